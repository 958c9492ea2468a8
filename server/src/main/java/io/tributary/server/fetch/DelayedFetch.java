package io.tributary.server.fetch;

import io.tributary.protocol.TopicPartition;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fetch waiting in the {@link FetchPurgatory} for min_bytes of records or for max_wait_ms, whichever
 * comes first (Kafka's DelayedFetch).
 *
 * <p>It holds no log slices while it waits: every attempt to complete reads the partitions afresh, and
 * the reads that complete it are the ones sent, so a slice never outlives a wait or is read before the
 * data it should carry. All reads and the completion run on the connection's event loop; appends, the
 * timer and connection closes only schedule work there. An append schedules at most one pending check
 * however many arrive before it runs.
 *
 * <p>Completes exactly once ({@code completed} is set by whichever of append check, expiry, connection
 * close or broker shutdown gets there first).
 */
final class DelayedFetch {
    private static final Logger log = LoggerFactory.getLogger(DelayedFetch.class);

    private final FetchOperation operation;
    private final RequestContext request;
    private final FetchPurgatory purgatory;
    private final Set<TopicPartition> watched;
    private final CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private volatile ScheduledFuture<?> expiry;

    /** @param firstReads the reads that found too little, used only to know which partitions to watch */
    DelayedFetch(FetchOperation operation, RequestContext request, FetchPurgatory purgatory, FetchReads firstReads) {
        this.operation = operation;
        this.request = request;
        this.purgatory = purgatory;
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (PartitionRead read : firstReads.partitions()) {
            if (read.partition() != null) {
                partitions.add(read.partition());
            }
        }
        this.watched = partitions;
    }

    CompletableFuture<ApiResponse> answer() {
        return answer;
    }

    Set<TopicPartition> watched() {
        return watched;
    }

    String connectionId() {
        return request.connectionId();
    }

    long maxWaitMs() {
        return operation.maxWaitMs();
    }

    void expireAfter(ScheduledFuture<?> timeout) {
        this.expiry = timeout;
        if (completed.get()) {
            timeout.cancel(false);
        }
    }

    /** Any thread: records were appended to a watched partition; check on the event loop (coalesced). */
    void wake() {
        if (!completed.get() && checkScheduled.compareAndSet(false, true)) {
            onEventLoop(() -> {
                checkScheduled.set(false);
                tryComplete();
            });
        }
    }

    /** Any thread: max_wait_ms has passed, or the connection closed; answer with whatever is there now. */
    void expire() {
        onEventLoop(this::completeWithFreshReads);
    }

    /** Broker shutdown: no connection is left to answer; complete without reading. */
    void abandon() {
        if (completed.compareAndSet(false, true)) {
            purgatory.unpark(this);
            answer.complete(ApiResponse.NONE);
        }
    }

    private void tryComplete() {
        if (completed.get()) {
            return;
        }
        try {
            FetchReads reads = operation.read();
            if (operation.satisfiedBy(reads)) {
                complete(reads);
            } else {
                reads.release();
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            purgatory.countCheck(); // after the outcome, so an observer of the count sees it
        }
    }

    private void completeWithFreshReads() {
        if (completed.get()) {
            return;
        }
        try {
            complete(operation.read());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void complete(FetchReads reads) {
        if (!completed.compareAndSet(false, true)) {
            reads.release();
            return;
        }
        finish();
        ApiResponse response;
        try {
            response = operation.answer(reads);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        answer.complete(response);
    }

    private void fail(RuntimeException e) {
        log.error("Parked fetch on connection {} failed", request.connectionId(), e);
        if (completed.compareAndSet(false, true)) {
            finish();
            answer.completeExceptionally(e);
        }
    }

    private void finish() {
        ScheduledFuture<?> timeout = expiry;
        if (timeout != null) {
            timeout.cancel(false);
        }
        purgatory.unpark(this);
    }

    private void onEventLoop(Runnable task) {
        try {
            request.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            abandon(); // the event loop has stopped: so has the connection
        }
    }

    @Override
    public String toString() {
        return "DelayedFetch(connection=" + request.connectionId() + ", partitions=" + List.copyOf(watched) + ")";
    }
}
