package io.tributary.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Told when a run's measured window (after the warm-up, until the producers are asked to stop) opens and closes, on
 * the runner's own thread, so instruments beside the harness (the kernel's counters, the broker's JFR recording, the
 * harness JVM's GC) can cover exactly the seconds the latency histograms cover.
 */
public interface MeasuredWindow {
    /** Nothing to tell. */
    MeasuredWindow NONE = new MeasuredWindow() {
        @Override
        public void opened() {
        }

        @Override
        public void closed(Map<String, Double> producerMetrics) {
        }
    };

    /** The warm-up has ended: from now on latencies count. */
    void opened();

    /**
     * The window has ended; the producers are still open.
     *
     * @param producerMetrics the client library's metrics of the run's producers, merged: for a metric named
     *                        {@code *-max} the largest, for any other the mean over the producers
     */
    void closed(Map<String, Double> producerMetrics);

    /** Several producers' metrics as one: {@code *-max} the largest, others the mean of the producers that have it. */
    static Map<String, Double> merge(List<Map<String, Double>> producers) {
        Map<String, List<Double>> byName = new TreeMap<>();
        producers.forEach(p -> p.forEach((name, v) -> byName.computeIfAbsent(name, k -> new ArrayList<>()).add(v)));
        Map<String, Double> merged = new TreeMap<>();
        byName.forEach((name, values) -> merged.put(name, name.endsWith("-max")
            ? values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
            : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return merged;
    }
}
