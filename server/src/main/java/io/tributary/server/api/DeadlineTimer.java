package io.tributary.server.api;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer of a purgatory whose requests wait with a deadline (parked fetches, acks=all produces): one daemon thread
 * that sleeps until the nearest deadline, started by the first schedule. A deadline cancelled because its request
 * completed first leaves the heap at once, so the heap holds only the requests waiting now, and none runs after
 * shutdown. Not a timer wheel: one ticking every 10 ms woke 100 times a second for the broker's whole life and cost an
 * idle broker about 0.5% of a core (docs/performance/broker-cpu-2026-12-06.md).
 */
public final class DeadlineTimer {
    private DeadlineTimer() {
    }

    /** A timer whose thread is named {@code threadName}. */
    public static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory(threadName, true));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }
}
