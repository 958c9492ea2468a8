package io.tributary.bench.compare;

import io.tributary.bench.report.RunResult;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One broker instance's part of a comparison: its start-up time, the workloads run against it, the CPU it
 * used while they ran and the bytes they moved through it (acknowledged plus consumed plus read back), and
 * its resident memory after the last one (VmRSS) and at its peak (VmHWM).
 *
 * <p>{@code diagnostics}: per workload name, the figures taken beside the harness over its measured window, by name with
 * their unit: the producer's own metrics, the harness JVM's GC pauses, the kernel's dirty pages and pressure, the
 * broker's context switches, and with JFR the broker's pauses (see {@code CompareCommand}). Empty in results written
 * before they existed.
 */
public record BrokerRun(String broker, int round, double startupSeconds, double cpuSeconds, long bytesMoved,
                        long residentBytes, long peakResidentBytes, List<RunResult> runs,
                        Map<String, Map<String, Double>> diagnostics) {

    public BrokerRun {
        runs = List.copyOf(runs);
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        if (diagnostics != null) {
            diagnostics.forEach((workload, figures) -> copy.put(workload, Collections.unmodifiableMap(new LinkedHashMap<>(figures))));
        }
        diagnostics = Collections.unmodifiableMap(copy);
    }

    /** An instance without diagnostics. */
    public BrokerRun(String broker, int round, double startupSeconds, double cpuSeconds, long bytesMoved,
                     long residentBytes, long peakResidentBytes, List<RunResult> runs) {
        this(broker, round, startupSeconds, cpuSeconds, bytesMoved, residentBytes, peakResidentBytes, runs, Map.of());
    }

    public double cpuSecondsPerGigabyte() {
        return bytesMoved > 0 ? cpuSeconds / (bytesMoved / 1e9) : 0;
    }
}
