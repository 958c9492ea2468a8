package io.tributary.clients.consumer.fetch;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over point between the I/O thread, which adds completed fetches as responses arrive, and the
 * application thread, which takes them in {@code poll} and waits here when there is nothing to return.
 *
 * <p>Anything that should end such a wait early (a wakeup, a rebalance noticed by the heartbeat, a failed
 * fetch) calls {@link #signal()}. A signal that arrives while nobody waits is remembered, so the next
 * {@link #await} returns at once instead of missing it.
 */
public final class FetchBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<CompletedFetch> completed = new ArrayDeque<>();
    private boolean signalled;

    /** From the I/O thread. */
    public void add(CompletedFetch fetch) {
        lock.lock();
        try {
            completed.add(fetch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest completed fetch, or null. */
    public CompletedFetch poll() {
        lock.lock();
        try {
            return completed.poll();
        } finally {
            lock.unlock();
        }
    }

    public void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a completed fetch is there, a signal came, or {@code deadlineNanos} ({@link System#nanoTime})
     * passes. Clears the signal.
     */
    public void await(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (completed.isEmpty() && !signalled) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            completed.clear();
        } finally {
            lock.unlock();
        }
    }
}
