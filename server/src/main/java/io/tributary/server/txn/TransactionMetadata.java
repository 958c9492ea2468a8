package io.tributary.server.txn;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One transactional id's state as the coordinator holds it (Kafka's TransactionMetadata). Mutable, touched only on
 * the coordinator thread; a change is made on a {@link #copy()}, written and kept as {@link #pending} (Kafka's
 * pendingState) until its followers have it, then {@link #assign assigned}, so the fields are always those of the id's
 * last replicated record; a failed write only clears {@code pending}. While a change is pending the id takes no other
 * (CONCURRENT_TRANSACTIONS). {@code lastEpoch} (the epoch before the last bump, for recognising a retried request)
 * and the waiting EndTxn answers are not stored.
 */
final class TransactionMetadata {
    final String transactionalId;
    long producerId;
    long previousProducerId = -1;
    long nextProducerId = -1;
    short epoch;
    short lastEpoch = -1;
    int timeoutMs;
    TransactionState state;
    final Set<TopicPartition> partitions = new HashSet<>();
    long startMs = -1;
    long lastUpdateMs;
    /** 0 unknown, 1 or 2: the transaction protocol version the producer used last. */
    short clientVersion;
    final List<CompletableFuture<TransactionCoordinator.EndResult>> waiters = new ArrayList<>();
    /** The state written and waiting for its followers (Kafka's pendingState), or null. */
    TransactionMetadata pending;

    TransactionMetadata(String transactionalId, long producerId, short epoch, int timeoutMs, long nowMs) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.epoch = epoch;
        this.timeoutMs = timeoutMs;
        this.state = TransactionState.EMPTY;
        this.lastUpdateMs = nowMs;
    }

    static TransactionMetadata fromLog(String transactionalId, TransactionLogValue value) {
        TransactionMetadata txn = new TransactionMetadata(transactionalId, value.producerId(), value.producerEpoch(),
            value.timeoutMs(), value.lastUpdateMs());
        txn.previousProducerId = value.previousProducerId();
        txn.nextProducerId = value.nextProducerId();
        txn.state = value.state();
        txn.partitions.addAll(value.partitions());
        txn.startMs = value.startMs();
        txn.clientVersion = value.clientTransactionVersion();
        return txn;
    }

    TransactionLogValue toLog() {
        return new TransactionLogValue(producerId, previousProducerId, nextProducerId, epoch, (short) -1, timeoutMs, state,
            partitions, lastUpdateMs, startMs, clientVersion);
    }

    /** A copy of the stored fields (not the waiters). */
    TransactionMetadata copy() {
        TransactionMetadata copy = new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, lastUpdateMs);
        copy.assign(this);
        return copy;
    }

    /** Takes the stored fields of {@code other} (the waiters stay). */
    void assign(TransactionMetadata other) {
        producerId = other.producerId;
        previousProducerId = other.previousProducerId;
        nextProducerId = other.nextProducerId;
        epoch = other.epoch;
        lastEpoch = other.lastEpoch;
        timeoutMs = other.timeoutMs;
        state = other.state;
        if (other != this) {
            partitions.clear();
            partitions.addAll(other.partitions);
        }
        startMs = other.startMs;
        lastUpdateMs = other.lastUpdateMs;
        clientVersion = other.clientVersion;
    }

    void failWaiters(ErrorCode error) {
        List<CompletableFuture<TransactionCoordinator.EndResult>> waiting = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<TransactionCoordinator.EndResult> waiter : waiting) {
            waiter.complete(TransactionCoordinator.EndResult.error(error));
        }
    }
}
