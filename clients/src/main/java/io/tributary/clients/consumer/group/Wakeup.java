package io.tributary.clients.consumer.group;

import io.tributary.clients.consumer.WakeupException;
import io.tributary.clients.consumer.fetch.FetchBuffer;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets another thread end the consumer's blocking calls ({@code wakeup()}), and is the one place where the
 * application thread blocks on a request: {@link #await} returns the answer, or throws {@link WakeupException}
 * when woken, {@link TimeoutException} at the deadline.
 *
 * <p>A wakeup that arrives while nothing blocks is kept, and the next blocking call throws it, as Kafka's
 * consumer does.
 */
public final class Wakeup {
    private final AtomicBoolean pending = new AtomicBoolean();
    private final FetchBuffer fetchBuffer;
    private volatile CompletableFuture<Void> waiting;

    public Wakeup(FetchBuffer fetchBuffer) {
        this.fetchBuffer = fetchBuffer;
    }

    /** From any thread. */
    public void wakeup() {
        pending.set(true);
        CompletableFuture<Void> w = waiting;
        if (w != null) {
            w.complete(null);
        }
        fetchBuffer.signal();
    }

    /** @throws WakeupException if a wakeup is pending (and clears it) */
    public void check() {
        if (pending.compareAndSet(true, false)) {
            throw new WakeupException();
        }
    }

    /**
     * Waits for {@code future} until {@code deadlineNanos} ({@link System#nanoTime}).
     *
     * @param what names the request in the timeout message
     * @throws TributaryException the future's own failure, unwrapped if it was one
     */
    public <T> T await(CompletableFuture<T> future, long deadlineNanos, String what) {
        check();
        CompletableFuture<Void> interrupter = new CompletableFuture<>();
        waiting = interrupter;
        try {
            if (pending.get()) {
                check();
            }
            CompletableFuture.anyOf(future, interrupter).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(what + " did not complete in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            // The future itself failed: reported below through join().
        } finally {
            waiting = null;
        }
        if (!future.isDone()) {
            check();
        }
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(what + " failed: " + cause, cause);
        }
    }
}
