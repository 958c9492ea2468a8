package io.tributary.bench.harness;

/**
 * Decides when each send of one producer is due. At a fixed rate send i is due at {@code start + i / rate},
 * whatever happened to the sends before it: a producer that stalls falls behind, then sends its backlog back
 * to back, and every one of those sends is measured from the time it was due. That is what keeps coordinated
 * omission out of the fixed-rate percentiles: a stall counts once for every send it held up, not once in
 * total. Unbounded (max-rate) sends are due whenever the producer gets to them. Not thread-safe.
 */
public final class Pacer {
    private final BenchClock clock;
    private final long startNanos;
    private final double intervalNanos;
    private long sends;

    private Pacer(BenchClock clock, long startNanos, double intervalNanos) {
        this.clock = clock;
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** @param perSecond sends per second of this producer, above 0 */
    public static Pacer fixedRate(BenchClock clock, double perSecond, long startNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate " + perSecond + " must be above 0 sends/s");
        }
        return new Pacer(clock, startNanos, 1e9 / perSecond);
    }

    public static Pacer unbounded(BenchClock clock) {
        return new Pacer(clock, 0, 0);
    }

    public boolean isFixedRate() {
        return intervalNanos > 0;
    }

    /** The time the next send was due at (now when unbounded), after waiting for it if it lies ahead. */
    public long awaitNext() {
        if (intervalNanos == 0) {
            return clock.nanoTime();
        }
        // Computed from the start, not by adding intervals, so rounding never accumulates into drift.
        long due = startNanos + (long) (sends++ * intervalNanos);
        if (due - clock.nanoTime() > 0) {
            clock.parkUntil(due);
        }
        return due;
    }
}
