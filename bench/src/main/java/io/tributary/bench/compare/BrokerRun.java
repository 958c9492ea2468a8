package io.tributary.bench.compare;

import io.tributary.bench.report.RunResult;

import java.util.List;

/**
 * One broker instance's part of a comparison: its start-up time, the workloads run against it, the CPU it
 * used while they ran and the bytes they moved through it (acknowledged plus consumed plus read back), and
 * its resident memory after the last one (VmRSS) and at its peak (VmHWM).
 */
public record BrokerRun(String broker, int round, double startupSeconds, double cpuSeconds, long bytesMoved,
                        long residentBytes, long peakResidentBytes, List<RunResult> runs) {

    public BrokerRun {
        runs = List.copyOf(runs);
    }

    public double cpuSecondsPerGigabyte() {
        return bytesMoved > 0 ? cpuSeconds / (bytesMoved / 1e9) : 0;
    }
}
