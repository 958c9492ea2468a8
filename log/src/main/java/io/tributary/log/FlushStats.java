package io.tributary.log;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many fsyncs the logs of one {@link LogManager} did and how long they took in total: every flush
 * that advanced a recovery point (flush.messages, flush.ms, an explicit flush, the background flush after a
 * roll). Flushes during recovery at start are not counted; they are part of the start. Read by the broker's
 * metrics as a running count and total, from which a scraper derives rate and mean duration.
 *
 * <p>Adders rather than a lock: flushes of different partitions run on different threads at once.
 */
public final class FlushStats {
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();

    void record(long nanos) {
        count.increment();
        totalNanos.add(nanos);
    }

    /** Flushes so far. */
    public long count() {
        return count.sum();
    }

    /** Their total duration in nanoseconds. */
    public long totalNanos() {
        return totalNanos.sum();
    }
}
