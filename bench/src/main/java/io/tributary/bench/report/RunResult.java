package io.tributary.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one workload run measured. Rates cover the measured window only (after warm-up, until the
 * producers stopped); the counts cover the whole run, warm-up included, so nothing sent is unaccounted
 * for: {@code missing} is acknowledged records the consumers never received, {@code redelivered} records
 * a consumer received a second time (also in {@code errors}).
 *
 * @param target    what was measured, e.g. "tributary" or "kafka", or a bootstrap address
 * @param driver    the client library, see {@link io.tributary.bench.driver.BenchDriver#NAMES}
 * @param settings  the workload as its file would say it
 * @param backlog   null when the workload did not ask for a backlog read
 */
public record RunResult(String workload, String target, String driver, Map<String, String> settings,
                        String startedAt, double measuredSeconds,
                        long sent, long acked, long ackedBytes, long received, long receivedBytes, long errors, long redelivered, long missing,
                        double produceRecordsPerSecond, double produceMegabytesPerSecond,
                        double consumeRecordsPerSecond, double consumeMegabytesPerSecond,
                        BacklogRead backlog, LatencySummary publish, LatencySummary endToEnd,
                        List<ThroughputSample> samples) {

    public RunResult {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        samples = List.copyOf(samples);
    }

    /** "kafka/fixed-rate-1k": how charts and tables label this run. */
    public String label() {
        return target + "/" + workload;
    }
}
