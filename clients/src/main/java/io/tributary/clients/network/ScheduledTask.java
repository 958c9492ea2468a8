package io.tributary.clients.network;

/**
 * A task that will run once on a {@link NetworkClient}'s I/O thread after a delay, unless cancelled first.
 * Ordered by deadline, then by scheduling order.
 */
public final class ScheduledTask implements Comparable<ScheduledTask> {
    final long deadlineNanos;
    final long sequence;
    final Runnable task;
    private volatile boolean cancelled;

    ScheduledTask(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    /** The task will not run if it has not started yet; harmless after it ran. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(ScheduledTask o) {
        int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
