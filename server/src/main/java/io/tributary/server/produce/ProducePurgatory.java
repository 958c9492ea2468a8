package io.tributary.server.produce;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.api.DeadlineTimer;
import io.tributary.server.replica.ReplicaView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where acks=all produces wait for replication (Kafka's DelayedProduce): each appended partition waits until the high
 * watermark passes its last offset, indexed by partition so a high-watermark, ISR or leadership event of that partition
 * (told by the replica manager) re-checks exactly its waiters, each with the request's timeout on one timer thread
 * that sleeps until the nearest timeout ({@link DeadlineTimer}).
 *
 * <p>Outcomes, from {@link ReplicaView#replicationStatus}: NONE once the high watermark reaches it with enough replicas
 * in sync, NOT_ENOUGH_REPLICAS_AFTER_APPEND when it reaches it with fewer (the ISR shrank while it waited),
 * NOT_LEADER_OR_FOLLOWER when this broker stops leading, REQUEST_TIMED_OUT when the timeout passes first. Each waiter
 * completes exactly once; completion runs on whichever thread decided it (the network layer writes the response on
 * the connection's event loop).
 *
 * <p>Invariant: a waiter is in {@code byPartition} from {@link #await} until it completes; after {@link #close()}
 * nothing waits (what was left completes with REQUEST_TIMED_OUT: no connection is left to answer).
 */
public final class ProducePurgatory implements AutoCloseable {
    private final ReplicaView replicas;
    private final Map<TopicPartition, Set<DelayedProduce>> byPartition = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer = DeadlineTimer.create("produce-expiry");
    private volatile boolean closed;

    public ProducePurgatory(ReplicaView replicas) {
        this.replicas = replicas;
    }

    /** One partition of an acks=all produce: done when the high watermark reaches {@code requiredOffset}. */
    private final class DelayedProduce {
        final TopicPartition partition;
        final int leaderEpoch;
        final long requiredOffset;
        final int minInsyncReplicas;
        final CompletableFuture<ErrorCode> outcome = new CompletableFuture<>();
        final AtomicBoolean completed = new AtomicBoolean();
        volatile ScheduledFuture<?> expiry;

        DelayedProduce(TopicPartition partition, int leaderEpoch, long requiredOffset, int minInsyncReplicas) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
            this.requiredOffset = requiredOffset;
            this.minInsyncReplicas = minInsyncReplicas;
        }

        void check() {
            ErrorCode status = replicas.replicationStatus(partition, leaderEpoch, requiredOffset, minInsyncReplicas);
            if (status != null) {
                complete(status);
            }
        }

        void complete(ErrorCode result) {
            if (completed.compareAndSet(false, true)) {
                ScheduledFuture<?> timeout = expiry;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                byPartition.computeIfPresent(partition, (p, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
                outcome.complete(result);
            }
        }
    }

    /**
     * Waits until the partition's high watermark reaches {@code requiredOffset} (the offset after the batch appended at
     * {@code leaderEpoch}), at most {@code timeoutMs}. Completes at once when it already has (or the partition is led alone).
     */
    public CompletableFuture<ErrorCode> await(TopicPartition partition, int leaderEpoch, long requiredOffset, int minInsyncReplicas,
                                              long timeoutMs) {
        ErrorCode now = replicas.replicationStatus(partition, leaderEpoch, requiredOffset, minInsyncReplicas);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        DelayedProduce waiter = new DelayedProduce(partition, leaderEpoch, requiredOffset, minInsyncReplicas);
        byPartition.compute(partition, (p, set) -> {
            Set<DelayedProduce> waiting = set != null ? set : ConcurrentHashMap.newKeySet();
            waiting.add(waiter);
            return waiting;
        });
        if (closed) {
            waiter.complete(ErrorCode.REQUEST_TIMED_OUT);
            return waiter.outcome;
        }
        try {
            waiter.expiry = timer.schedule(() -> waiter.complete(ErrorCode.REQUEST_TIMED_OUT), Math.max(0, timeoutMs),
                TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            waiter.complete(ErrorCode.REQUEST_TIMED_OUT); // the timer stopped: the broker is closing
            return waiter.outcome;
        }
        if (waiter.completed.get()) {
            waiter.expiry.cancel(false);
        }
        waiter.check(); // the high watermark may have moved between the first check and the registration
        return waiter.outcome;
    }

    /** The partition's high watermark, ISR or leadership moved: re-check its waiters. Any thread. */
    public void partitionChanged(TopicPartition partition) {
        Set<DelayedProduce> waiting = byPartition.get(partition);
        if (waiting != null) {
            for (DelayedProduce waiter : waiting) {
                waiter.check();
            }
        }
    }

    /** Produces waiting now. */
    public int waitingCount() {
        int count = 0;
        for (Set<DelayedProduce> waiting : byPartition.values()) {
            count += waiting.size();
        }
        return count;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        List<DelayedProduce> left = new ArrayList<>();
        byPartition.values().forEach(left::addAll);
        left.forEach(waiter -> waiter.complete(ErrorCode.REQUEST_TIMED_OUT));
    }
}
