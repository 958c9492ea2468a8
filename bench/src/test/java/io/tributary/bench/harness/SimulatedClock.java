package io.tributary.bench.harness;

/** A clock that moves only when told to or when parked: single-threaded tests of pacing and latency. */
final class SimulatedClock implements BenchClock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        now = Math.max(now, deadlineNanos);
    }

    void advance(long nanos) {
        now += nanos;
    }
}
