package io.tributary.log.producer;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One idempotent producer's state in one partition: its current epoch and the metadata of its last
 * {@value #BATCHES_KEPT} batches of that epoch, oldest first, and when it last wrote.
 *
 * <p>Transactions: the first offset of the producer's open transaction in this partition (set by its first
 * transactional batch, cleared by the COMMIT or ABORT marker) and the coordinator epoch of its last marker, as
 * Kafka keeps them.
 *
 * <p>Invariants: every kept batch belongs to {@link #epoch()}; batches are in the order they were appended,
 * so their sequences follow each other (wrapping after Integer.MAX_VALUE) and their offsets increase; a new
 * epoch starts with no batches. Five is Kafka's number: an idempotent producer keeps at most five requests
 * in flight per connection, so a retry is always of one of the last five batches.
 *
 * <p>Not thread-safe: owned by a {@link ProducerStateManager} and touched under its partition log's write lock;
 * what leaves the manager is a {@link #copy()}.
 */
public final class ProducerEntry {
    static final int BATCHES_KEPT = 5;

    private final long producerId;
    private short epoch;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_KEPT);
    private long lastUpdateMs;
    /** The epoch of the transaction coordinator that wrote this producer's last marker here, or -1. */
    private int coordinatorEpoch = -1;
    /** The first offset of the producer's transaction open in this partition, or -1 when none is. */
    private long currentTxnFirstOffset = -1;

    ProducerEntry(long producerId, short epoch, long lastUpdateMs) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastUpdateMs = lastUpdateMs;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public long lastUpdateMs() {
        return lastUpdateMs;
    }

    /** The epoch of the coordinator that wrote this producer's last transaction marker here, or -1. */
    public int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** The first offset of this producer's open transaction in this partition, or -1 when none is open. */
    public long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    /** Whether a snapshot must keep transaction fields for this producer (version 2 of the snapshot file). */
    boolean hasTransactionState() {
        return coordinatorEpoch != -1 || currentTxnFirstOffset != -1;
    }

    void beginTransaction(long firstOffset) {
        currentTxnFirstOffset = firstOffset;
    }

    /** A marker written by a coordinator of {@code markerCoordinatorEpoch} ended the open transaction (if any). */
    void endTransaction(short markerEpoch, int markerCoordinatorEpoch, long nowMs) {
        if (markerEpoch != epoch) {
            epoch = markerEpoch; // a marker of a newer epoch (the coordinator bumped it on abort) starts it afresh
            batches.clear();
        }
        currentTxnFirstOffset = -1;
        coordinatorEpoch = markerCoordinatorEpoch;
        lastUpdateMs = Math.max(lastUpdateMs, nowMs);
    }

    /** Oldest first. */
    public List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    /** The last sequence written in the current epoch, or -1 when none is kept. */
    public int lastSeq() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1 : last.lastSeq();
    }

    /** A kept batch of {@code batchEpoch} with exactly this sequence range, or null. */
    BatchMetadata findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) {
            return null;
        }
        for (BatchMetadata batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    /** Records a written batch; a different epoch forgets the batches of the old one. */
    void add(short batchEpoch, BatchMetadata batch, long nowMs) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == BATCHES_KEPT) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastUpdateMs = Math.max(lastUpdateMs, nowMs);
    }

    ProducerEntry copy() {
        ProducerEntry copy = new ProducerEntry(producerId, epoch, lastUpdateMs);
        copy.batches.addAll(batches);
        copy.coordinatorEpoch = coordinatorEpoch;
        copy.currentTxnFirstOffset = currentTxnFirstOffset;
        return copy;
    }

    /** Rebuilds an entry read from a snapshot; {@code batches} oldest first, at most {@value #BATCHES_KEPT} (older ones are dropped). */
    static ProducerEntry restore(long producerId, short epoch, long lastUpdateMs, List<BatchMetadata> batches) {
        ProducerEntry entry = new ProducerEntry(producerId, epoch, lastUpdateMs);
        entry.batches.addAll(batches.subList(Math.max(0, batches.size() - BATCHES_KEPT), batches.size()));
        return entry;
    }

    /** {@link #restore} with the transaction fields of a version 2 snapshot. */
    static ProducerEntry restore(long producerId, short epoch, long lastUpdateMs, List<BatchMetadata> batches,
                                 int coordinatorEpoch, long currentTxnFirstOffset) {
        ProducerEntry entry = restore(producerId, epoch, lastUpdateMs, batches);
        entry.coordinatorEpoch = coordinatorEpoch;
        entry.currentTxnFirstOffset = currentTxnFirstOffset;
        return entry;
    }

    @Override
    public String toString() {
        return "ProducerEntry(id=" + producerId + ", epoch=" + epoch + ", batches=" + batches + ", lastUpdateMs=" + lastUpdateMs
            + (hasTransactionState() ? ", coordinatorEpoch=" + coordinatorEpoch + ", currentTxnFirstOffset=" + currentTxnFirstOffset : "")
            + ")";
    }
}
