package io.tributary.bench.compare;

import io.tributary.bench.report.BacklogRead;
import io.tributary.bench.report.LatencySummary;
import io.tributary.bench.report.ResultFile;
import io.tributary.bench.report.RunResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ComparisonTest {

    private static RunResult run(String target, String workload, String rate, double produceMb, double backlogMb, double e2eP99) {
        LatencySummary latency = new LatencySummary(100, 1, 1, 2, e2eP99, 10, 20, 30, List.of());
        return new RunResult(workload, target, "kafka", Map.of("name", workload, "producer-rate", rate), "t", 20,
            100, 100, 1000, 100, 1000, 0, 0, 0, 1000 * produceMb, produceMb, 1000 * produceMb, produceMb,
            backlogMb > 0 ? new BacklogRead(100, (long) (backlogMb * 1e6), 1, 0) : null, latency, latency, List.of());
    }

    private static BrokerRun instance(String broker, int round, double produceMb, double backlogMb, double e2eP99,
                                      double cpu, long rssMib, double startup) {
        return new BrokerRun(broker, round, startup, cpu, 2_000_000_000L, rssMib << 20, (rssMib + 10) << 20, List.of(
            run(broker, "max", "max", produceMb, backlogMb, 500),
            run(broker, "fixed", "10000.0", 10, 0, e2eP99)));
    }

    @Test
    void ratiosAreTributaryOverKafkaMeanedOverRoundsAndJudgedAgainstTheirTargets() {
        List<BrokerRun> instances = List.of(
            instance("kafka", 1, 100, 400, 10, 12, 800, 2.5),
            instance("tributary", 1, 210, 420, 4, 4, 300, 0.3),
            instance("kafka", 2, 120, 600, 14, 12, 900, 3.5),
            instance("tributary", 2, 230, 580, 8, 6, 500, 0.5));
        List<Comparison.Row> rows = Comparison.rows(instances, List.of("max", "fixed"), new PhysicalLimits(400, 2000));

        Comparison.Row produce = row(rows, "max: produce throughput (MB/s)");
        assertThat(produce.kafka()).isEqualTo(110);
        assertThat(produce.tributary()).isEqualTo(220);
        assertThat(produce.ratio()).isEqualTo(2.0);
        assertThat(produce.verdict()).isEqualTo("yes");
        assertThat(produce.note()).contains("Kafka 0.28, Tributary 0.55");

        Comparison.Row backlog = row(rows, "max: consume throughput, backlog read (MB/s)");
        assertThat(backlog.ratio()).isCloseTo(1.0, within(1e-9));
        assertThat(backlog.targetText()).isEqualTo(">= 1.2x");
        assertThat(backlog.verdict()).isEqualTo("no");

        Comparison.Row e2e = row(rows, "fixed: end-to-end latency p99 (ms)");
        assertThat(e2e.ratio()).isEqualTo(0.5);
        assertThat(e2e.verdict()).isEqualTo("yes"); // lower is better: at the bound counts
        assertThat(row(rows, "max: end-to-end latency p99 (ms)").target()).isNull(); // only fixed-rate p99 has a target

        assertThat(row(rows, "broker CPU seconds per GB moved").ratio()).isCloseTo(5.0 / 12, within(1e-9));
        Comparison.Row memory = row(rows, "broker resident memory after the runs (MiB)");
        assertThat(memory.kafka()).isEqualTo(850);
        assertThat(memory.tributary()).isEqualTo(400);
        assertThat(memory.verdict()).isEqualTo("yes");
        assertThat(row(rows, "start-up to a listening port (s)").verdict()).isEqualTo("yes");

        String md = Comparison.markdown(rows);
        assertThat(md).startsWith("| figure | Apache Kafka | Tributary | ratio T/K | target | met | note |")
            .contains("| max: produce throughput (MB/s) | 110.0 | 220.0 | 2.00 | >= 1.5x | yes |");
    }

    @Test
    void everyRoundIsReportedWithItsOwnRatio() {
        List<BrokerRun> instances = List.of(
            instance("kafka", 1, 100, 400, 10, 12, 800, 2.5),
            instance("tributary", 1, 210, 420, 4, 4, 300, 0.3),
            instance("kafka", 2, 120, 600, 14, 12, 900, 3.5));
        // The time limit stopped the run before Tributary's second round: its cell is "-", the mean is of round 1.
        List<Comparison.Row> rows = Comparison.rows(instances, List.of("max", "fixed"), new PhysicalLimits(400, 2000));
        Comparison.Row produce = row(rows, "max: produce throughput (MB/s)");
        assertThat(produce.kafkaRounds()).containsExactly(100.0, 120.0);
        assertThat(produce.tributaryRounds()).hasSize(2).first().isEqualTo(210.0);
        assertThat(produce.tributary()).isEqualTo(210);
        assertThat(produce.roundRatios().get(0)).isEqualTo(2.1);
        assertThat(produce.roundRatios().get(1)).isNaN();

        String md = Comparison.roundsMarkdown(rows);
        assertThat(md).startsWith("| figure | kafka r1 | tributary r1 | kafka r2 | tributary r2 | ratio T/K per round |")
            .contains("| max: produce throughput (MB/s) | 100.0 | 210.0 | 120.0 | - | 2.10 / - |")
            .contains("| fixed: end-to-end latency p99 (ms) | 10.0 | 4.00 | 14.0 | - | 0.40 / - |")
            .contains("| start-up to a listening port (s) | 2.50 | 0.30 | 3.50 | - | 0.12 / - |");
    }

    @Test
    void aWorkloadWithoutConsumersHasOnlyProducerFigures() {
        LatencySummary publish = new LatencySummary(100, 1, 1, 2, 6, 9, 20, 30, List.of());
        Map<String, String> settings = Map.of("name", "fixed-rate-100b", "producer-rate", "20000.0", "consumers-per-topic", "0");
        List<BrokerRun> instances = List.of("kafka", "tributary").stream().map(broker -> new BrokerRun(broker, 1, 1, 1, 1_000_000L,
            1 << 20, 1 << 20, List.of(new RunResult("fixed-rate-100b", broker, "kafka", settings, "t", 30, 100, 100, 10_000, 0, 0, 0,
                0, 0, 20_000, 2, 0, 0, null, publish, LatencySummary.EMPTY, List.of())))).toList();

        List<Comparison.Row> rows = Comparison.rows(instances, List.of("fixed-rate-100b"), new PhysicalLimits(400, 2000));
        List<String> metrics = rows.stream().map(Comparison.Row::metric).toList();
        assertThat(metrics).contains("fixed-rate-100b: publish latency p99 (ms)", "fixed-rate-100b: publish latency p99.9 (ms)")
            .noneMatch(m -> m.contains("end-to-end") || m.contains("consume"));
        Map<String, String> targets = new java.util.HashMap<>();
        rows.forEach(row -> targets.put(row.metric(), row.targetText()));
        assertThat(targets).containsEntry("fixed-rate-100b: publish latency p99 (ms)", "<= 0.5x")
            .containsEntry("fixed-rate-100b: publish latency p99.9 (ms)", "<= 0.3x")
            .containsEntry("fixed-rate-100b: publish latency p50 (ms)", "");
    }

    @Test
    void theBundledFixedRate100BytesWorkloadIsTheIssuesOne() throws IOException {
        io.tributary.bench.workload.Workload w = io.tributary.bench.workload.Workload.read(
            Path.of("workloads/compare-fixed-rate-100b.properties"));
        assertThat(w.producerRate()).isEqualTo(20_000);
        assertThat(w.recordSize()).isEqualTo(100);
        assertThat(w.acks()).isEqualTo("1");
        assertThat(w.lingerMs()).isEqualTo(5);
        assertThat(w.batchSize()).isEqualTo(65_536);
        assertThat(w.partitionsPerTopic()).isEqualTo(6);
        assertThat(new CompareCommand().workloads).contains("bench/workloads/compare-fixed-rate-100b.properties");
    }

    @Test
    void diagnosticsOfFixedRateWorkloadsAreRowsOfBothBrokersPerRound() {
        List<BrokerRun> plain = List.of(
            instance("kafka", 1, 100, 400, 10, 12, 800, 2.5),
            instance("tributary", 1, 210, 420, 4, 4, 300, 0.3),
            instance("kafka", 2, 120, 600, 14, 12, 900, 3.5),
            instance("tributary", 2, 230, 580, 8, 6, 500, 0.5));
        List<BrokerRun> instances = List.of(
            withDiagnostics(plain.get(0), Map.of("fixed", inOrder("producer record-queue-time-avg (ms)", 2.5, "host Dirty max (MiB)", 3.0),
                "max", Map.of("producer record-queue-time-avg (ms)", 0.1))),
            withDiagnostics(plain.get(1), Map.of("fixed", Map.of("producer record-queue-time-avg (ms)", 2.4))),
            withDiagnostics(plain.get(2), Map.of("fixed", Map.of("producer record-queue-time-avg (ms)", 2.7, "broker JFR GC pause max (ms)", 8.0))),
            plain.get(3));

        List<Comparison.Row> rows = Comparison.diagnostics(instances, List.of("max", "fixed"));

        assertThat(rows).extracting(Comparison.Row::metric).containsExactly("fixed: producer record-queue-time-avg (ms)",
            "fixed: host Dirty max (MiB)", "fixed: broker JFR GC pause max (ms)"); // max-rate workloads have none
        Comparison.Row queue = rows.get(0);
        assertThat(queue.kafkaRounds()).containsExactly(2.5, 2.7);
        assertThat(queue.tributaryRounds().get(0)).isEqualTo(2.4);
        assertThat(queue.tributaryRounds().get(1)).isNaN();
        assertThat(queue.target()).isNull();
        assertThat(queue.note()).contains("producer-metrics", "per batch");
        assertThat(rows.get(1).note()).contains("/proc");
        assertThat(rows.get(2).note()).contains("JFR");
        assertThat(Comparison.roundsMarkdown(rows)).contains("| fixed: producer record-queue-time-avg (ms) | 2.50 | 2.40 | 2.70 | - | 0.96 / - |");
        // The issue's ratio table is unchanged by them.
        assertThat(Comparison.rows(instances, List.of("max", "fixed"), new PhysicalLimits(400, 2000)))
            .noneMatch(r -> r.metric().contains("record-queue-time"));
    }

    @Test
    void aBrokerRunWrittenBeforeDiagnosticsReadsBackWithNone() {
        BrokerRun run = withDiagnostics(instance("kafka", 1, 100, 400, 10, 12, 800, 2.5), Map.of("fixed", Map.of("host Dirty max (MiB)", 3.0)));
        assertThat(ResultFile.fromTree(BrokerRun.class, ResultFile.tree(run))).isEqualTo(run);
        @SuppressWarnings("unchecked")
        Map<String, Object> old = (Map<String, Object>) ResultFile.tree(run);
        old.remove("diagnostics");
        assertThat(ResultFile.fromTree(BrokerRun.class, old).diagnostics()).isEmpty();
        old.remove("round");
        assertThatThrownBy(() -> ResultFile.fromTree(BrokerRun.class, old)).hasMessageContaining("lacks 'round'");
    }

    @Test
    void workloadsAreFoundByFileOrByNameAndCanBeShortened(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path workloads = Path.of("workloads");
        assertThat(CompareCommand.workloadFile("workloads/compare-fixed-rate.properties", workloads))
            .isEqualTo(Path.of("workloads/compare-fixed-rate.properties"));
        assertThat(CompareCommand.workloadFile("fixed-rate-100b-linger0", workloads))
            .isEqualTo(workloads.resolve("compare-fixed-rate-100b-linger0.properties"));
        // By the name inside the file: compare-fixed-rate.properties holds fixed-rate-1k.
        assertThat(CompareCommand.workloadFile("fixed-rate-1k", workloads)).isEqualTo(workloads.resolve("compare-fixed-rate.properties"));
        assertThatThrownBy(() -> CompareCommand.workloadFile("no-such-workload", workloads))
            .hasMessageContaining("no-such-workload").hasMessageContaining("workloads");

        io.tributary.bench.workload.Workload w = io.tributary.bench.workload.Workload.read(workloads.resolve("compare-fixed-rate-100b.properties"));
        io.tributary.bench.workload.Workload shortened = CompareCommand.shortened(w, "1s", "3s");
        assertThat(shortened.warmup()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(shortened.duration()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(shortened.settings()).containsEntry("linger-ms", "5").containsEntry("producer-rate", "20000.0");
        assertThat(CompareCommand.shortened(w, null, null)).isSameAs(w);
    }

    @Test
    void theLingerZeroWorkloadIsFixedRate100BytesWithoutTheLingerAndNotADefault() throws IOException {
        io.tributary.bench.workload.Workload base = io.tributary.bench.workload.Workload.read(Path.of("workloads/compare-fixed-rate-100b.properties"));
        io.tributary.bench.workload.Workload linger0 = io.tributary.bench.workload.Workload.read(
            Path.of("workloads/compare-fixed-rate-100b-linger0.properties"));
        assertThat(linger0.name()).isEqualTo("fixed-rate-100b-linger0");
        assertThat(linger0.lingerMs()).isZero();
        Map<String, String> expected = new java.util.LinkedHashMap<>(base.settings());
        expected.put("name", "fixed-rate-100b-linger0");
        expected.put("linger-ms", "0");
        assertThat(linger0.settings()).isEqualTo(expected);
        assertThat(new CompareCommand().workloads).noneMatch(w -> w.contains("linger0"));
    }

    @Test
    void producerMetricUnitsFollowTheirNames() {
        assertThat(CompareCommand.producerUnit("record-queue-time-avg")).isEqualTo(" (ms)");
        assertThat(CompareCommand.producerUnit("request-latency-max")).isEqualTo(" (ms)");
        assertThat(CompareCommand.producerUnit("batch-size-avg")).isEqualTo(" (bytes)");
        assertThat(CompareCommand.producerUnit("records-per-request-avg")).isEmpty();
    }

    private static Map<String, Double> inOrder(String first, double a, String second, double b) {
        Map<String, Double> figures = new java.util.LinkedHashMap<>();
        figures.put(first, a);
        figures.put(second, b);
        return figures;
    }

    private static BrokerRun withDiagnostics(BrokerRun r, Map<String, Map<String, Double>> diagnostics) {
        return new BrokerRun(r.broker(), r.round(), r.startupSeconds(), r.cpuSeconds(), r.bytesMoved(), r.residentBytes(),
            r.peakResidentBytes(), r.runs(), diagnostics);
    }

    @Test
    void theJvmMeterRefusesAProcessThatIsNotAJvm() throws Exception {
        assertThat(ProcessMeter.ofJvm(ProcessHandle.current().pid()).pid()).isEqualTo(ProcessHandle.current().pid());
        Process shell = new ProcessBuilder("sh", "-c", "read line").start();
        try {
            assertThatThrownBy(() -> ProcessMeter.ofJvm(shell.pid())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a JVM");
        } finally {
            shell.destroyForcibly().waitFor();
        }
    }

    @Test
    void aBrokerRunReadsBackFromItsJsonTree() {
        BrokerRun run = instance("kafka", 1, 100, 400, 10, 12, 800, 2.5);
        assertThat(ResultFile.fromTree(BrokerRun.class, ResultFile.tree(run))).isEqualTo(run);
        assertThat(ResultFile.fromTree(PhysicalLimits.class, ResultFile.tree(new PhysicalLimits(1.5, 2.5))))
            .isEqualTo(new PhysicalLimits(1.5, 2.5));
    }

    @Test
    void theMeterReadsThisProcesssCpuAndMemory() throws IOException {
        ProcessMeter meter = new ProcessMeter(ProcessHandle.current().pid());
        double before = meter.cpuSeconds();
        long spin = 0;
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        assertThat(spin).isPositive();
        assertThat(meter.cpuSeconds() - before).isGreaterThan(0.1);
        long rss = meter.residentBytes();
        assertThat(rss).isGreaterThan(16L << 20);
        assertThat(meter.peakResidentBytes()).isGreaterThanOrEqualTo(rss);
    }

    @Test
    void theLimitsAreMeasuredOnThisMachine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        PhysicalLimits limits = PhysicalLimits.measure(dir, 16, 64);
        assertThat(limits.diskWriteMegabytesPerSecond()).isPositive();
        assertThat(limits.sendfileMegabytesPerSecond()).isPositive();
        assertThat(dir.resolve("limits.bin")).doesNotExist();
    }

    private static Comparison.Row row(List<Comparison.Row> rows, String metric) {
        return rows.stream().filter(r -> r.metric().equals(metric)).findFirst()
            .orElseThrow(() -> new AssertionError("no row " + metric + " in " + rows.stream().map(Comparison.Row::metric).toList()));
    }
}
