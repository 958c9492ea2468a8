package io.tributary.bench.compare;

import io.tributary.bench.driver.BenchDriver;
import io.tributary.bench.harness.MeasuredWindow;
import io.tributary.bench.harness.WorkloadRunner;
import io.tributary.bench.report.HtmlReport;
import io.tributary.bench.report.Json;
import io.tributary.bench.report.ResultFile;
import io.tributary.bench.report.RunCharts;
import io.tributary.bench.report.RunReport;
import io.tributary.bench.report.RunResult;
import io.tributary.bench.workload.Workload;
import jdk.jfr.Recording;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code compare}: Apache Kafka and Tributary on this machine, in one run. Measures the disk and sendfile
 * limits, then starts each broker in turn (A B A B ...), each time as a fresh child JVM on a fresh data
 * directory, runs every workload against it through the same client, and meters its CPU and memory. Writes
 * {@code compare.md} (the ratio table), {@code compare.json}, {@code compare.html} and the chart PNGs.
 *
 * <p>Over each workload's measured window it also takes the figures that say where a fixed-rate latency goes
 * ({@link BrokerRun#diagnostics}, a table of their own): the producer's metrics, the harness JVM's GC pauses
 * ({@link HarnessPauses}), the kernel's dirty pages, pressure and the broker's context switches ({@link HostProbe}); with
 * {@code --jfr}, JDK Flight Recorder recordings of each broker JVM and of the harness, summarised per window
 * ({@link JfrSummary}).
 *
 * <p>Bounded in time: no new broker instance starts once the next one would not finish within
 * {@code --time-limit} (judged by the slowest instance so far); each workload is bounded by its own
 * duration plus drain and read-back deadlines. Every child is stopped on the way out, a shutdown hook
 * included.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Run the same workloads against Apache Kafka and Tributary (A B A B) and write a ratio table.")
public final class CompareCommand implements Callable<Integer> {
    /** Kafka's own defaults from kafka-server-start.sh and kafka-run-class.sh, given to both brokers. */
    @Option(names = {"-w", "--workload"}, split = ",", description = "Workload files, or names of workloads in --workload-dir, "
        + "e.g. fixed-rate-100b-linger0 (default: ${DEFAULT-VALUE}).")
    List<String> workloads = List.of("bench/workloads/compare-max-rate.properties",
        "bench/workloads/compare-fixed-rate.properties", "bench/workloads/compare-fixed-rate-100b.properties");

    @Option(names = "--workload-dir", description = "Where -w looks up workloads by name (default: ${DEFAULT-VALUE}).")
    Path workloadDir = Path.of("bench/workloads");

    @Option(names = "--duration", description = "Override every workload's measured duration, e.g. 10s (a short smoke run).")
    String duration;

    @Option(names = "--warmup", description = "Override every workload's warm-up, e.g. 2s.")
    String warmup;

    @Option(names = "--jfr", description = "Record each broker JVM (and the harness JVM) with JDK Flight Recorder into this "
        + "directory and summarise every workload's measured window: <broker>-r<round>.jfr/.md, harness-<broker>-r<round>.jfr/.md.")
    Path jfr;

    @Option(names = "--jfr-threshold-ms", description = "Shortest monitor, park and file-I/O event recorded with --jfr "
        + "(default: ${DEFAULT-VALUE}).")
    double jfrThresholdMs = 1;

    @Option(names = "--probe-period-ms", description = "How often /proc's dirty pages and pressure are sampled (default: ${DEFAULT-VALUE}).")
    int probePeriodMs = 200;

    @Option(names = "--rounds", description = "Instances of each broker, alternating (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    @Mixin
    BrokerBuilds builds = new BrokerBuilds();

    @Option(names = "--driver", description = "Client library for both (default: ${DEFAULT-VALUE}).")
    String driver = "kafka";

    @Option(names = "--work-dir", description = "Where data directories go; emptied after each instance (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("bench/target/compare-work");

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results/compare");

    @Option(names = "--time-limit", description = "Stop starting brokers after this many minutes (default: ${DEFAULT-VALUE}).")
    int timeLimitMinutes = 20;

    @Option(names = "--disk-mib", description = "MiB written for the disk limit (default: ${DEFAULT-VALUE}).")
    int diskMib = 1024;

    @Option(names = "--sendfile-mib", description = "MiB sent for the sendfile limit (default: ${DEFAULT-VALUE}).")
    int sendfileMib = 4096;

    @Option(names = "--from", description = "Run nothing: write the outputs again from an earlier compare.json.")
    Path from;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds " + rounds + " must be in [1, 10]");
        }
        if (jfrThresholdMs < 0 || probePeriodMs < 10) {
            throw new IllegalArgumentException("--jfr-threshold-ms must be >= 0 and --probe-period-ms >= 10");
        }
        List<Workload> parsed = new ArrayList<>();
        for (String workload : workloads) {
            parsed.add(shortened(Workload.read(workloadFile(workload, workloadDir)), warmup, duration));
        }
        if (from != null) {
            return rewrite(parsed);
        }
        builds.requirePresent();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(timeLimitMinutes));

        System.out.printf("compare: %d round(s) of Apache Kafka 4.3.1 and Tributary, JVM flags for both: %s%n", rounds, builds.jvmFlags);
        PhysicalLimits limits = PhysicalLimits.measure(workDir, diskMib, sendfileMib);
        System.out.printf("limits: disk sequential write %.0f MB/s (with fsync), loopback sendfile %.0f MB/s%n",
            limits.diskWriteMegabytesPerSecond(), limits.sendfileMegabytesPerSecond());

        List<BrokerRun> instances = new ArrayList<>();
        Duration slowest = Duration.ZERO;
        outer:
        for (int round = 1; round <= rounds; round++) {
            for (BrokerProcess.Kind kind : List.of(BrokerProcess.Kind.KAFKA, BrokerProcess.Kind.TRIBUTARY)) {
                if (Instant.now().plus(slowest).isAfter(deadline)) {
                    System.out.printf("time limit of %d min reached: stopping before %s round %d%n", timeLimitMinutes, kind.label, round);
                    break outer;
                }
                Instant began = Instant.now();
                instances.add(runInstance(kind, round, parsed));
                Duration took = Duration.between(began, Instant.now());
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
        }
        List<String> names = parsed.stream().map(Workload::name).toList();
        List<Comparison.Row> rows = Comparison.rows(instances, names, limits);
        write(instances, rows, limits, parsed, Instant.now().toString());
        System.out.println();
        System.out.print(Comparison.markdown(rows));
        System.out.println();
        System.out.print(Comparison.roundsMarkdown(rows));
        List<Comparison.Row> diagnostics = Comparison.diagnostics(instances, names);
        if (!diagnostics.isEmpty()) {
            System.out.println();
            System.out.print(Comparison.roundsMarkdown(diagnostics));
        }
        System.out.println("wrote " + out.resolve("compare.md") + ", compare.json, compare.html and the PNG charts");
        long errors = instances.stream().flatMap(i -> i.runs().stream()).mapToLong(r -> r.errors() + r.missing()).sum();
        return errors > 0 ? 2 : 0;
    }

    /** The outputs of an earlier run, from its compare.json (e.g. after a change to the charts). */
    private int rewrite(List<Workload> parsed) throws IOException {
        if (!(Json.parse(Files.readString(from, StandardCharsets.UTF_8)) instanceof Map<?, ?> json)
            || !ResultFile.FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException(from + " is not a compare.json of format " + ResultFile.FORMAT);
        }
        PhysicalLimits limits = ResultFile.fromTree(PhysicalLimits.class, json.get("limits"));
        List<BrokerRun> instances = new ArrayList<>();
        for (Object instance : (List<?>) json.get("instances")) {
            instances.add(ResultFile.fromTree(BrokerRun.class, instance));
        }
        builds.jvmFlags = (String) json.get("jvmFlags");
        rounds = instances.stream().mapToInt(BrokerRun::round).max().orElse(0);
        List<Comparison.Row> rows = Comparison.rows(instances, parsed.stream().map(Workload::name).toList(), limits);
        if (json.get("driver") instanceof String name) {
            driver = name;
        }
        String finishedAt = json.get("finishedAt") instanceof String at ? at : Files.getLastModifiedTime(from).toInstant().toString();
        write(instances, rows, limits, parsed, finishedAt);
        System.out.print(Comparison.markdown(rows));
        System.out.println();
        System.out.print(Comparison.roundsMarkdown(rows));
        List<Comparison.Row> diagnostics = Comparison.diagnostics(instances, parsed.stream().map(Workload::name).toList());
        if (!diagnostics.isEmpty()) {
            System.out.println();
            System.out.print(Comparison.roundsMarkdown(diagnostics));
        }
        return 0;
    }

    private BrokerRun runInstance(BrokerProcess.Kind kind, int round, List<Workload> parsed) throws Exception {
        Path dir = workDir.resolve(kind.label + "-" + round);
        deleteTree(dir);
        List<RunResult> runs = new ArrayList<>();
        Map<String, Map<String, Double>> diagnostics = new LinkedHashMap<>();
        List<JfrSummary.Window> windows = new ArrayList<>();
        Map<String, List<HostProbe.Switches>> busiestThreads = new LinkedHashMap<>();
        double cpu = 0;
        long bytes = 0;
        double startup;
        long resident;
        long peak;
        List<String> flags = new ArrayList<>(builds.flagList());
        Path brokerRecording = null;
        Path harnessRecording = null;
        Duration threshold = Duration.ofNanos((long) (jfrThresholdMs * 1e6));
        if (jfr != null) {
            Files.createDirectories(jfr);
            Path settings = jfr.toAbsolutePath().resolve("tributary-bench.jfc");
            JfrSummary.writeSettings(settings, threshold);
            brokerRecording = jfr.toAbsolutePath().resolve(kind.label + "-r" + round + ".jfr");
            harnessRecording = jfr.toAbsolutePath().resolve("harness-" + kind.label + "-r" + round + ".jfr");
            Files.deleteIfExists(brokerRecording);
            // Written when the broker exits (SIGTERM from close()); the summary reads it after that.
            flags.add("-XX:StartFlightRecording=name=bench,filename=" + brokerRecording + ",settings=" + settings + ",dumponexit=true");
        }
        try (BrokerProcess broker = BrokerProcess.start(kind, dir, builds.kafkaLib, builds.tributaryJar, flags);
             Recording harness = jfr == null ? null : new Recording(JfrSummary.settings(threshold))) {
            System.out.printf("%n%s round %d: listening on %s after %.2f s%n", kind.label, round, broker.bootstrap(), broker.startupSeconds());
            ProcessMeter meter = broker.meter();
            if (harness != null) {
                harness.setName("bench-harness");
                harness.start();
            }
            try (BenchDriver client = BenchDriver.open(driver, broker.bootstrap())) {
                WorkloadRunner runner = new WorkloadRunner(client, kind.label, System.out::println);
                for (Workload w : parsed) {
                    double before = meter.cpuSeconds();
                    WindowProbe probe = new WindowProbe(meter.pid());
                    RunResult result;
                    try {
                        result = runner.run(w, probe);
                    } finally {
                        probe.close();
                    }
                    cpu += meter.cpuSeconds() - before;
                    bytes += result.ackedBytes() + result.receivedBytes() + (result.backlog() == null ? 0 : result.backlog().bytes());
                    runs.add(result);
                    diagnostics.put(w.name(), new LinkedHashMap<>(probe.figures));
                    if (probe.openedAt != null && probe.closedAt != null) {
                        windows.add(new JfrSummary.Window(w.name(), probe.openedAt, probe.closedAt));
                    }
                    busiestThreads.put(w.name(), probe.busiestThreads);
                    System.out.println("  " + String.join("  ", RunReport.summaryRow(result)));
                }
            }
            if (harness != null) {
                harness.stop();
                harness.dump(harnessRecording);
            }
            startup = broker.startupSeconds();
            resident = meter.residentBytes();
            peak = meter.peakResidentBytes();
        } finally {
            deleteTree(dir.resolve("data"));
        }
        if (jfr != null) {
            summarise(brokerRecording, "broker JFR", kind.label + " round " + round + ": the broker JVM", windows, threshold,
                diagnostics, busiestThreads);
            summarise(harnessRecording, "harness JFR", kind.label + " round " + round + ": the harness JVM (client side)", windows,
                threshold, diagnostics, Map.of());
        }
        BrokerRun run = new BrokerRun(kind.label, round, startup, cpu, bytes, resident, peak, runs, diagnostics);
        System.out.printf("%s round %d: %.1f CPU s for %.2f GB moved (%.1f s/GB), resident %d MiB, peak %d MiB%n",
            kind.label, round, cpu, bytes / 1e9, run.cpuSecondsPerGigabyte(), run.residentBytes() >> 20, run.peakResidentBytes() >> 20);
        return run;
    }

    /**
     * Summarises one recording over the workloads' windows into a Markdown file beside it and adds its headline figures to
     * {@code diagnostics}; a recording that is missing (a broker killed rather than stopped writes none) is reported and
     * skipped, as the run's other figures stand without it.
     */
    private static void summarise(Path recording, String who, String title, List<JfrSummary.Window> windows, Duration threshold,
                                  Map<String, Map<String, Double>> diagnostics,
                                  Map<String, List<HostProbe.Switches>> busiestThreads) throws IOException {
        if (!Files.isRegularFile(recording)) {
            System.out.println("no JFR recording at " + recording + ": not summarised");
            return;
        }
        Map<Long, String> threadNames = new HashMap<>();
        List<JfrSummary.WindowSummary> summaries = JfrSummary.summarise(recording, windows, threadNames);
        StringBuilder md = new StringBuilder(JfrSummary.markdown(title, summaries, threshold));
        for (JfrSummary.WindowSummary s : summaries) {
            diagnostics.computeIfAbsent(s.window().name(), k -> new LinkedHashMap<>()).putAll(s.figures(who));
        }
        busiestThreads.forEach((workload, threads) -> {
            md.append("## ").append(workload).append(": threads with the most context switches (/proc/PID/task)\n\n")
                .append("| thread | involuntary | voluntary |\n| --- | ---: | ---: |\n");
            threads.forEach(t -> md.append("| ").append(JfrSummary.cell(threadNames.getOrDefault(t.tid(), t.thread()))).append(" (")
                .append(t.tid()).append(") | ").append(t.involuntary()).append(" | ").append(t.voluntary()).append(" |\n"));
            md.append('\n');
        });
        Path file = Path.of(recording.toString().replaceAll("\\.jfr$", "") + ".md");
        Files.writeString(file, md, StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }

    /**
     * The instruments of one workload's measured window: the producer's metrics, the harness JVM's GC pauses, and
     * {@link HostProbe} on the broker's process; the window's bounds in wall-clock time, for the JFR summaries.
     */
    private final class WindowProbe implements MeasuredWindow, AutoCloseable {
        private final long brokerPid;
        private final Map<String, Double> figures = new LinkedHashMap<>();
        private List<HostProbe.Switches> busiestThreads = List.of();
        private Instant openedAt;
        private Instant closedAt;
        private HostProbe host;
        private HarnessPauses pauses;

        WindowProbe(long brokerPid) {
            this.brokerPid = brokerPid;
        }

        @Override
        public void opened() {
            openedAt = Instant.now();
            pauses = HarnessPauses.start();
            host = HostProbe.start(Path.of("/proc"), brokerPid, Duration.ofMillis(probePeriodMs));
        }

        @Override
        public void closed(Map<String, Double> producerMetrics) {
            closedAt = Instant.now();
            producerMetrics.forEach((name, v) -> figures.put("producer " + name + producerUnit(name), v));
            if (pauses != null) {
                figures.putAll(pauses.stop());
            }
            if (host != null) {
                figures.putAll(host.stop());
                busiestThreads = host.busiestThreads(12);
            }
            figures.values().removeIf(v -> !Double.isFinite(v));
        }

        @Override
        public void close() {
            if (pauses != null) {
                pauses.close();
            }
            if (host != null) {
                host.close();
            }
        }
    }

    /** The unit of a kafka-clients producer metric, from its name. */
    static String producerUnit(String metric) {
        if (metric.startsWith("record-queue-time") || metric.startsWith("request-latency") || metric.startsWith("produce-throttle-time")) {
            return " (ms)";
        }
        if (metric.startsWith("batch-size")) {
            return " (bytes)";
        }
        return "";
    }

    /** A workload file: {@code spec} itself if it is a file, else the workload of that name in {@code dir}. */
    static Path workloadFile(String spec, Path dir) throws IOException {
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return file;
        }
        for (String candidate : List.of(spec, spec + ".properties", "compare-" + spec + ".properties")) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
                    if (Workload.read(f).name().equals(spec)) {
                        return f;
                    }
                }
            }
        }
        throw new IllegalArgumentException("workload '" + spec + "' is neither a file nor the name of a workload in " + dir);
    }

    /** {@code w} with its warm-up and duration replaced where given (null keeps the workload's own). */
    static Workload shortened(Workload w, String warmup, String duration) {
        if (warmup == null && duration == null) {
            return w;
        }
        Map<String, String> settings = new LinkedHashMap<>(w.settings());
        if (warmup != null) {
            settings.put("warmup", warmup);
        }
        if (duration != null) {
            settings.put("duration", duration);
        }
        return Workload.of(settings);
    }

    private void write(List<BrokerRun> instances, List<Comparison.Row> rows, PhysicalLimits limits, List<Workload> parsed,
                       String finishedAt) throws IOException {
        Files.createDirectories(out);
        String table = Comparison.markdown(rows);
        String header = String.format(Locale.ROOT, "Apache Kafka 4.3.1 vs Tributary, %s, %d core(s), %d round(s) A B A B; "
                + "both brokers: %s; client: %s driver in the harness JVM on the same machine.%n"
                + "Limits measured in the same run: disk sequential write %.0f MB/s (fsync included), loopback sendfile %.0f MB/s.%n%n",
            finishedAt, Runtime.getRuntime().availableProcessors(), rounds, builds.jvmFlags, driver,
            limits.diskWriteMegabytesPerSecond(), limits.sendfileMegabytesPerSecond());
        List<Comparison.Row> diagnostics = Comparison.diagnostics(instances, parsed.stream().map(Workload::name).toList());
        String diagnosticsText = diagnostics.isEmpty() ? "" : "\nWhere the time goes, over each fixed-rate workload's measured window "
            + "(the producer's own metrics, the harness JVM's pauses, the kernel's dirty pages, pressure and the broker's context "
            + "switches; with --jfr the broker's and the harness's JFR figures, details in the .md beside each recording):\n\n"
            + Comparison.roundsMarkdown(diagnostics);
        Files.writeString(out.resolve("compare.md"), header + "Means over the rounds:\n\n" + table
            + "\nEvery round:\n\n" + Comparison.roundsMarkdown(rows) + diagnosticsText, StandardCharsets.UTF_8);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", ResultFile.FORMAT);
        json.put("finishedAt", finishedAt);
        json.put("jvmFlags", builds.jvmFlags);
        json.put("driver", driver);
        json.put("limits", ResultFile.tree(limits));
        json.put("table", jsonRows(rows));
        json.put("diagnostics", jsonRows(diagnostics));
        json.put("instances", ResultFile.tree(instances));
        Files.writeString(out.resolve("compare.json"), Json.write(json), StandardCharsets.UTF_8);

        HtmlReport html = new HtmlReport("Apache Kafka vs Tributary");
        html.paragraph(header.replace("\n", " "));
        List<List<String>> cells = new ArrayList<>();
        for (Comparison.Row r : rows) {
            cells.add(List.of(r.metric(), Comparison.number(r.kafka()), Comparison.number(r.tributary()),
                String.format(Locale.ROOT, "%.2f", r.ratio()), r.targetText(), r.verdict(), r.note()));
        }
        html.table(List.of("figure", "Apache Kafka", "Tributary", "ratio T/K", "target", "met", "note"), cells);
        html.paragraph("Every round:");
        List<String> roundHeaders = new ArrayList<>(List.of("figure"));
        for (int round = 1; round <= rounds; round++) {
            roundHeaders.add("kafka r" + round);
            roundHeaders.add("tributary r" + round);
        }
        roundHeaders.add("ratio T/K per round");
        List<List<String>> roundCells = rows.stream().map(this::roundLine).toList();
        html.table(roundHeaders, roundCells);
        if (!diagnostics.isEmpty()) {
            html.paragraph("Where the time goes, over each fixed-rate workload's measured window:");
            html.table(roundHeaders, diagnostics.stream().map(r -> roundLine(r)).toList());
        }
        List<RunResult> all = instances.stream().flatMap(i -> i.runs().stream()).toList();
        html.table(RunReport.SUMMARY_HEADERS, all.stream().map(RunReport::summaryRow).toList());
        for (Workload w : parsed) {
            List<RunResult> runs = all.stream().filter(r -> r.workload().equals(w.name())).toList();
            if (!runs.isEmpty()) {
                html.heading(w.name(), 2);
                html.paragraph("Workload: " + w.settings());
                RunCharts.of(w.name(), runs).forEach(html::chart);
            }
        }
        html.write(out, "compare.html");
    }

    private List<String> roundLine(Comparison.Row r) {
        List<String> line = new ArrayList<>(List.of(r.metric()));
        for (int i = 0; i < rounds; i++) {
            line.add(Comparison.roundNumber(r.kafkaRounds(), i));
            line.add(Comparison.roundNumber(r.tributaryRounds(), i));
        }
        line.add(Comparison.roundRatiosText(r));
        return line;
    }

    private static List<Object> jsonRows(List<Comparison.Row> rows) {
        List<Object> tableRows = new ArrayList<>();
        for (Comparison.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", r.metric());
            row.put("kafka", r.kafka());
            row.put("tributary", r.tributary());
            row.put("ratio", Double.isNaN(r.ratio()) ? null : r.ratio());
            row.put("kafkaRounds", orNull(r.kafkaRounds()));
            row.put("tributaryRounds", orNull(r.tributaryRounds()));
            row.put("roundRatios", orNull(r.roundRatios()));
            row.put("target", r.targetText());
            row.put("met", r.verdict());
            tableRows.add(row);
        }
        return tableRows;
    }

    /** JSON has no NaN: a round that did not run is null. */
    private static List<Double> orNull(List<Double> values) {
        return values.stream().map(v -> Double.isNaN(v) ? null : v).toList();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
