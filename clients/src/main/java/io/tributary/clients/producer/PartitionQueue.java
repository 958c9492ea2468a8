package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition's batches waiting to be sent, oldest first, plus the sender's sequence bookkeeping.
 *
 * <p>Invariants: only the last batch of {@link #batches} may be open; batches that already have a sequence
 * (they were sent and are being retried) come first, in sequence order, so they are re-sent before anything
 * newer and the broker sees every sequence of the partition in order. {@link #inFlight} holds the batches sent
 * and not yet answered, in sequence order.
 *
 * <p>{@link #batches} is guarded by this object's monitor (application threads append, the sender drains);
 * the sequence fields and {@link #inFlight} belong to the I/O thread.
 */
final class PartitionQueue {
    final TopicPartition partition;
    final ArrayDeque<ProducerBatch> batches = new ArrayDeque<>();

    // I/O thread
    int nextSequence;
    int lastAckedSequence = -1;
    final ArrayDeque<ProducerBatch> inFlight = new ArrayDeque<>();
    /** Batches sent and not yet answered, idempotent or not. */
    int sentUnanswered;

    PartitionQueue(TopicPartition partition) {
        this.partition = partition;
    }

    /** Puts a batch that failed retriably back among the first ones, by sequence (after the sequenced ones if it has none). */
    synchronized void requeue(ProducerBatch batch) {
        List<ProducerBatch> sequenced = new ArrayList<>();
        while (!batches.isEmpty() && batches.peekFirst().baseSequence >= 0
            && (batch.baseSequence < 0 || batches.peekFirst().baseSequence < batch.baseSequence)) {
            sequenced.add(batches.pollFirst());
        }
        batches.addFirst(batch);
        for (int i = sequenced.size() - 1; i >= 0; i--) {
            batches.addFirst(sequenced.get(i));
        }
    }

    /**
     * Queues a batch of re-routed records: after the batches already sent (which have sequences) and the
     * batches re-routed before it, ahead of every batch the application filled since; under this queue's lock.
     */
    synchronized void insertRerouted(ProducerBatch batch) {
        List<ProducerBatch> ahead = new ArrayList<>();
        while (!batches.isEmpty() && (batches.peekFirst().baseSequence >= 0 || batches.peekFirst().rerouted)) {
            ahead.add(batches.pollFirst());
        }
        batches.addFirst(batch);
        for (int i = ahead.size() - 1; i >= 0; i--) {
            batches.addFirst(ahead.get(i));
        }
    }

    /** Puts {@code replacement} where {@code batch} is, or just removes {@code batch} when it is null; under this queue's lock. */
    synchronized void replace(ProducerBatch batch, ProducerBatch replacement) {
        List<ProducerBatch> all = new ArrayList<>(batches);
        int at = all.indexOf(batch);
        if (at < 0) {
            throw new IllegalStateException(batch + " is not queued for " + partition);
        }
        if (replacement == null) {
            all.remove(at);
        } else {
            all.set(at, replacement);
        }
        batches.clear();
        batches.addAll(all);
    }

    /** Whether a batch with a lower sequence than {@code sequence} is in flight. */
    boolean inFlightBefore(int sequence) {
        ProducerBatch first = inFlight.peekFirst();
        return first != null && first.baseSequence < sequence;
    }

    void removeInFlight(ProducerBatch batch) {
        inFlight.remove(batch);
    }

    void addInFlight(ProducerBatch batch) {
        // Sent in sequence order, except a retry of an older one: keep the deque sorted.
        if (inFlight.isEmpty() || inFlight.peekLast().baseSequence < batch.baseSequence) {
            inFlight.addLast(batch);
            return;
        }
        List<ProducerBatch> all = new ArrayList<>(inFlight);
        all.add(batch);
        all.sort((a, b) -> Integer.compare(a.baseSequence, b.baseSequence));
        inFlight.clear();
        inFlight.addAll(all);
    }
}
