package io.tributary.clients.admin;

import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.network.Backoff;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.network.ScheduledTask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One admin operation under its deadline ({@code default.api.timeout.ms}): runs an attempt (which sends its
 * requests and parses the answers), and when it fails with a retriable error (a lost connection, a request
 * timeout, a coordinator still loading or moved) runs it again after a backoff, until it succeeds, fails with a
 * non-retriable error, or the deadline passes. Then it fails with a {@link TimeoutException} naming the
 * operation and the last error, whether an attempt was still waiting for an answer or not. Closing the admin
 * fails the calls still running ({@link #abandon}).
 *
 * <p>Design note: an object per operation, so the attempts and the deadline task share the last error; all of
 * it runs on the I/O thread except the first attempt, which runs on the caller's.
 *
 * <p>{@link UnknownTopicOrPartitionException} is retriable by its Kafka code but is not retried: an admin
 * naming a topic that does not exist wants to hear so at once, as with Kafka's AdminClient.
 */
final class RetryingCall<T> {
    private final NetworkClient network;
    private final String what;
    private final long timeoutMs;
    private final Backoff backoff;
    private final Supplier<CompletableFuture<T>> attempt;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    /** Shared by the admin's calls: how many retries were scheduled, for tests to wait on. */
    private final AtomicLong retries;
    private volatile Throwable lastError;
    private int failures;

    RetryingCall(NetworkClient network, String what, long timeoutMs, Backoff backoff, Supplier<CompletableFuture<T>> attempt,
                 AtomicLong retries) {
        this.network = network;
        this.retries = retries;
        this.what = what;
        this.timeoutMs = timeoutMs;
        this.backoff = backoff;
        this.attempt = attempt;
    }

    CompletableFuture<T> start() {
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ScheduledTask deadline;
        try {
            deadline = network.schedule(timeoutMs, this::expire);
        } catch (RuntimeException closed) {
            result.completeExceptionally(closed);
            return result;
        }
        result.whenComplete((v, e) -> deadline.cancel());
        run(deadlineNanos);
        return result;
    }

    private void run(long deadlineNanos) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<T> f;
        try {
            f = attempt.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = AdminContext.unwrap(error);
            if (!retriable(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            lastError = cause;
            long delayMs = backoff.delayMs(++failures);
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - deadlineNanos >= 0) {
                return; // no attempt fits before the deadline, whose task fails the call on time
            }
            try {
                network.schedule(delayMs, () -> run(deadlineNanos));
                retries.incrementAndGet();
            } catch (RuntimeException closed) {
                result.completeExceptionally(closed);
            }
        });
    }

    /**
     * Fails the call because the admin closed: its scheduled retry and deadline died with the network
     * client's timers, so nothing else would ever complete it.
     */
    void abandon() {
        Throwable last = lastError;
        result.completeExceptionally(new TributaryException("The admin client closed before " + what + " completed"
            + (last == null ? "" : "; last error: " + last.getMessage()), last));
    }

    CompletableFuture<T> result() {
        return result;
    }

    static boolean retriable(Throwable cause) {
        return cause instanceof RetriableException && !(cause instanceof UnknownTopicOrPartitionException);
    }

    private void expire() {
        Throwable last = lastError;
        result.completeExceptionally(new TimeoutException(what + " did not complete within " + timeoutMs
            + " ms (default.api.timeout.ms)" + (last == null ? "" : "; last error: " + last.getMessage()), last));
    }
}
