package io.tributary.server.fetch;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, checking every millisecond or two. */
final class Conditions {
    private Conditions() {
    }

    static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
