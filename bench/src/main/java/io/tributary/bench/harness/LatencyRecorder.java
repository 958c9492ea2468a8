package io.tributary.bench.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency measure (publish or end-to-end) of a run, in microseconds from 1 µs to 1 hour with three
 * significant digits. Any thread records without locking (HdrHistogram's {@link Recorder}); the run's
 * reporting thread harvests once a second, keeping the interval in the total only after warm-up. Values
 * above an hour are counted as an hour rather than dropped, so a pathological stall still shows as the max.
 */
public final class LatencyRecorder {
    public static final long MAX_MICROS = 3_600_000_000L;
    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private Histogram interval;

    public void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        recorder.recordValue(Math.min(micros, MAX_MICROS));
    }

    /**
     * Takes what was recorded since the last harvest, adds it to the total when {@code keep} (false during
     * warm-up), and returns it.
     */
    public synchronized Histogram harvest(boolean keep) {
        interval = recorder.getIntervalHistogram(interval);
        if (keep) {
            total.add(interval);
        }
        return interval;
    }

    /** A copy of everything kept so far. */
    public synchronized Histogram total() {
        return total.copy();
    }
}
