package io.tributary.server;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, polling every few milliseconds: never a bare sleep. */
public final class Await {
    private Await() {
    }

    /** @throws AssertionError naming {@code what} when the condition does not hold within {@code timeout} */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
