package io.tributary.bench.harness;

import java.util.concurrent.locks.LockSupport;

/** The harness's time source: the system's monotonic clock in runs, a simulated one in tests. */
public interface BenchClock {

    BenchClock SYSTEM = new BenchClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    };

    long nanoTime();

    /** Returns once {@link #nanoTime} has reached {@code deadlineNanos}. */
    void parkUntil(long deadlineNanos);
}
