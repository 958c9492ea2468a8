package io.tributary.groups.timer;

/**
 * The coordinator's clock and its one timer facility. Every timeout of every group (session expiry,
 * rebalance and initial-join delays, pending syncs, offset expiry) is a task here; there is no thread per
 * member or group.
 *
 * <p>A task runs on the scheduler's thread and must only hand work over (the coordinator submits it to the
 * owning partition's executor); a cancelled task may still run if it was already due, so tasks check their
 * own validity where they execute.
 */
public interface Scheduler {
    /** Milliseconds since the epoch. */
    long nowMs();

    /** Runs {@code task} once, about {@code delayMs} from now (0 = as soon as possible). */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
