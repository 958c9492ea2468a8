package io.tributary.log;

import java.nio.ByteBuffer;

/**
 * Batches that one {@link PartitionLog} has checked with {@link PartitionLog#validate} and that may now be
 * appended to it with {@link PartitionLog#appendValidated}, unchanged.
 *
 * <p>Design note: validation and the write are two steps so that a caller can make its own decisions about
 * validated batches in between — the broker applies Kafka's per-request rules (one batch, no control batch,
 * codec by version) to headers whose CRC has been verified — without computing the CRC twice. The write step
 * ({@link PartitionLog#appendAsLeader}) checks the producer sequences itself, under the log's write lock. Only the
 * log makes instances; the caller must not modify the bytes between the two steps. A topic whose
 * {@code compression.type} is not "producer" gets the batches re-encoded here, in their stored form.
 */
public final class ValidatedBatches {
    private final PartitionLog log;
    private final ByteBuffer records;
    private final ByteBuffer received;
    private final int batchCount;
    private final int recordCount;
    private final int routedWith;
    private final long validatedAtMs;

    ValidatedBatches(PartitionLog log, ByteBuffer records, ByteBuffer received, int batchCount, int recordCount, int routedWith,
                     long validatedAtMs) {
        this.log = log;
        this.records = records;
        this.received = received;
        this.batchCount = batchCount;
        this.recordCount = recordCount;
        this.routedWith = routedWith;
        this.validatedAtMs = validatedAtMs;
    }

    /** The broker time the timestamps were checked against; a re-check under the write lock uses it again. */
    long validatedAtMs() {
        return validatedAtMs;
    }

    /** The partition count the keys were checked against (an ordered topic), or 0 when they were not routed. */
    int routedWith() {
        return routedWith;
    }

    PartitionLog log() {
        return log;
    }

    /**
     * The batches to store, position to limit: the buffer that was validated, not a copy — or, when the topic's
     * {@code compression.type} asked for another codec than the producer's, the batches re-encoded in it.
     */
    public ByteBuffer records() {
        return records;
    }

    /** The batches as the producer sent them (the same buffer as {@link #records()} unless they were re-encoded). */
    public ByteBuffer received() {
        return received;
    }

    public int batchCount() {
        return batchCount;
    }

    public int recordCount() {
        return recordCount;
    }

    public int sizeInBytes() {
        return records.remaining();
    }
}
