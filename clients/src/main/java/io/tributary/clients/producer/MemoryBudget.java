package io.tributary.clients.producer;

import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.TimeoutException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code buffer.memory} limit: bytes reserved by batches from their creation until they are acknowledged
 * or failed. A reservation that does not fit blocks its caller until enough is released or its deadline passes
 * (then a TimeoutException that names the sizes), which is how a producer pushes back on an application
 * that sends faster than the cluster takes. Waiters are served first come, first served.
 *
 * <p>Design note: only bytes are counted, not buffers pooled: batches are heap buffers the garbage collector
 * reclaims, and the limit is what bounds them.
 */
final class MemoryBudget {
    private final long total;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    private long available;
    private volatile int waiters;

    MemoryBudget(long total) {
        this.total = total;
        this.available = total;
    }

    long total() {
        return total;
    }

    /**
     * Reserves {@code bytes}, waiting until {@code deadlineNanos} if needed.
     *
     * @throws TimeoutException when they are not free by then
     */
    void reserve(int bytes, long deadlineNanos, long maxBlockMs) {
        lock.lock();
        try {
            if (available >= bytes && waiters == 0) {
                available -= bytes;
                return;
            }
            waiters++;
            try {
                while (available < bytes) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        throw new TimeoutException("Failed to allocate " + bytes + " bytes of buffer.memory (" + total
                            + " bytes, " + available + " free) within max.block.ms = " + maxBlockMs
                            + " ms: records are produced faster than the brokers acknowledge them");
                    }
                    released.awaitNanos(remaining);
                }
                available -= bytes;
            } catch (InterruptedException e) {
                throw new InterruptException("Interrupted while waiting for buffer memory", e);
            } finally {
                waiters--;
                if (waiters > 0 && available > 0) {
                    released.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code bytes} if they are free now and nobody waits (waiters come first); never blocks, so it may be
     * called under a partition queue's lock.
     */
    boolean tryReserve(int bytes) {
        lock.lock();
        try {
            if (waiters == 0 && available >= bytes) {
                available -= bytes;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    void release(int bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            available += bytes;
            released.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a sender is blocked: the producer then sends every batch at once to free memory. */
    boolean hasWaiters() {
        return waiters > 0;
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of a batch's reservation: {@code batch.size}, or more for a record that alone is larger. */
    static int reservationFor(int batchSize, int recordSize) {
        return Math.max(batchSize, recordSize);
    }

    static long toMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
