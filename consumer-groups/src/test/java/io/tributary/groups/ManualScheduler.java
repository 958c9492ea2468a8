package io.tributary.groups;

import io.tributary.groups.timer.Scheduler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A scheduler and clock that tests move by hand: {@link #advance} runs every task that falls due, in deadline
 * order (ties in scheduling order), on the calling thread. With a direct executor the coordinator is then
 * fully deterministic. Not thread-safe: one test thread drives it.
 */
public final class ManualScheduler implements Scheduler {
    /** More tasks than this in one advance means a timer re-arms itself without moving forward. */
    private static final int MAX_TASKS_PER_ADVANCE = 10_000_000;

    private long now;
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.due != b.due
        ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));

    private static final class Task {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }
    }

    public ManualScheduler(long startMs) {
        this.now = startMs;
    }

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMs), sequence++, task);
        queue.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves time forward by {@code ms}, running what falls due on the way (at its due time). */
    public void advance(long ms) {
        long target = now + ms;
        int ran = 0;
        while (!queue.isEmpty() && queue.peek().due <= target) {
            Task t = queue.poll();
            if (t.cancelled) {
                continue;
            }
            now = Math.max(now, t.due);
            t.body.run();
            if (++ran > MAX_TASKS_PER_ADVANCE) {
                throw new IllegalStateException("More than " + MAX_TASKS_PER_ADVANCE + " timer tasks in one advance of " + ms + " ms");
            }
        }
        now = target;
    }

    /** Runs what is due now (e.g. a zero delay) without moving time. */
    public void runDue() {
        advance(0);
    }

    /** Timers not cancelled and not yet run. */
    public int pending() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    /** This scheduler's time as a {@link Clock}, for the log manager. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public long millis() {
                return now;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        };
    }
}
