package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchDriver;
import io.tributary.bench.report.RunResult;
import io.tributary.bench.workload.Workload;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A five-second workload through the whole harness against an in-process broker: counts add up, nothing is
 * lost, no errors. Timings are not asserted; they are bench figures, not test outcomes.
 */
class SmokeWorkloadTest {

    /** Whether the runner had announced the run (its first progress line) when the window opened. */
    private static String r(List<String> progress) {
        return progress.stream().anyMatch(line -> line.contains("producer(s)")) ? "after start" : "before start";
    }

    @Test
    void producersMetricsMergeAsTheLargestMaxAndTheMeanOfTheRest() {
        assertThat(MeasuredWindow.merge(List.of(Map.of("request-latency-max", 4.0, "request-latency-avg", 1.0),
            Map.of("request-latency-max", 9.0, "request-latency-avg", 3.0, "batch-size-avg", 100.0))))
            .isEqualTo(Map.of("request-latency-max", 9.0, "request-latency-avg", 2.0, "batch-size-avg", 100.0));
        assertThat(MeasuredWindow.merge(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0} driver")
    @ValueSource(strings = {"kafka", "tributary"})
    void aFiveSecondFixedRateWorkloadDeliversEveryRecordWithoutErrors(String driverName) throws Exception {
        Workload w = Workload.of(Map.ofEntries(
            Map.entry("name", "smoke"),
            Map.entry("partitions-per-topic", "3"),
            Map.entry("record-size", "100"),
            Map.entry("key-distribution", "uniform"),
            Map.entry("key-space", "100"),
            Map.entry("producers-per-topic", "1"),
            Map.entry("consumers-per-topic", "2"),
            Map.entry("producer-rate", "1000"),
            Map.entry("warmup", "1s"),
            Map.entry("duration", "4s"),
            Map.entry("compression", "lz4"),
            Map.entry("linger-ms", "1"),
            Map.entry("backlog-read", "true")));
        List<String> progress = new ArrayList<>();
        List<String> window = new ArrayList<>();
        List<Map<String, Double>> producerMetrics = new ArrayList<>();
        RunResult r;
        try (BrokerFixture broker = new BrokerFixture(); BenchDriver driver = BenchDriver.open(driverName, broker.bootstrap())) {
            r = new WorkloadRunner(driver, "tributary", progress::add).run(w, new MeasuredWindow() {
                @Override
                public void opened() {
                    window.add("opened " + r(progress));
                }

                @Override
                public void closed(Map<String, Double> metrics) {
                    window.add("closed");
                    producerMetrics.add(metrics);
                }
            });
        }

        // Told once each, in order, after the warm-up's progress line.
        assertThat(window).containsExactly("opened after start", "closed");
        if (driverName.equals("kafka")) {
            // kafka-clients' own view of the producer, at the window's end.
            assertThat(producerMetrics.get(0)).containsKeys("record-queue-time-avg", "record-queue-time-max", "request-latency-avg",
                "records-per-request-avg", "batch-size-avg");
            assertThat(producerMetrics.get(0).get("records-per-request-avg")).isPositive();
            assertThat(producerMetrics.get(0).values()).allSatisfy(v -> assertThat(v).isFinite());
        } else {
            assertThat(producerMetrics.get(0)).isEmpty();
        }

        assertThat(r.driver()).isEqualTo(driverName);
        assertThat(r.redelivered()).as("records a consumer received twice").isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.missing()).isZero();
        // 5 s at 1,000/s: 5,000 sends are due; a loaded machine may leave the last few unsent at the stop.
        assertThat(r.sent()).isBetween(4_500L, 5_000L);
        assertThat(r.acked()).isEqualTo(r.sent());
        assertThat(r.received()).isEqualTo(r.acked());
        assertThat(r.ackedBytes()).isEqualTo(r.acked() * (100 + "key-00000000".length()));
        assertThat(r.receivedBytes()).isEqualTo(r.ackedBytes());
        assertThat(r.backlog().records()).isEqualTo(r.acked());
        assertThat(r.backlog().errors()).isZero();
        // Warm-up acknowledgements are not in the histograms; everything after it is.
        assertThat(r.publish().count()).isBetween(1L, r.acked() - 1);
        assertThat(r.endToEnd().count()).isBetween(1L, r.received() - 1);
        assertThat(r.samples()).hasSize(5);
        assertThat(r.samples().get(0).warmup()).isTrue();
        assertThat(r.samples().get(1).warmup()).isFalse();
        assertThat(r.samples()).allSatisfy(s -> assertThat(s.errors()).isZero());
        assertThat(progress).anyMatch(line -> line.startsWith("[smoke]") && line.contains("produce"));
    }
}
