package io.tributary.clients.producer;

import io.tributary.clients.TopicPartition;
import io.tributary.clients.metadata.Cluster;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records for one partition that travel together as one v2 record batch.
 *
 * <p>Life: open (application threads append under the partition queue's lock) -> sealed (no more appends;
 * set under that lock when a newer batch takes over or the sender drains it) -> built (records encoded and
 * compressed once, by whichever thread needs it first: the appender that filled it, or the sender) ->
 * stamped with the producer id, epoch and base sequence when drained (header fields and CRC rewritten, the
 * records untouched, so a retry after an epoch bump costs one CRC pass) -> completed once, on the callback
 * thread.
 *
 * <p>A batch of an ordered topic remembers the partition count its records were routed with
 * ({@link #routingCount}); records routed with different counts never share a batch, so that a batch refused
 * after a growth can be re-routed as a whole ({@link Rerouter}).
 *
 * <p>Fields after "sender state" belong to the I/O thread.
 */
final class ProducerBatch {
    final TopicPartition partition;
    final long createdNanos;
    final int reservedBytes;
    private final int batchSize;
    private final RecordBatchBuilder builder;
    final List<RecordFuture> futures = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The ordered topic's bookkeeping, or null for a hash topic or a record sent to a partition the application chose. */
    final OrderedTopic ordered;
    /** The partition count the records were routed with (ordered topics only; 0 otherwise). */
    final int routingCount;

    /** Guarded by the partition queue's lock. */
    boolean sealed;
    private volatile ByteBuffer built;

    // sender state (I/O thread)
    int attempts;
    long retryAtNanos;
    int baseSequence = RecordBatch.NO_SEQUENCE;
    boolean completed;
    /**
     * Set when the broker refused the batch as misrouted (an ordered topic that grew): the snapshot the sender
     * had then. The batch waits at the head of its queue until a newer snapshot shows whether the topic grew.
     */
    Cluster refusedWith;
    /** Made by re-routing a refused batch's records; kept ahead of newer batches of its partition. */
    boolean rerouted;

    ProducerBatch(TopicPartition partition, Compression compression, int batchSize, int reservedBytes, long nowNanos,
                  OrderedTopic ordered, int routingCount) {
        this.ordered = ordered;
        this.routingCount = routingCount;
        this.partition = partition;
        this.batchSize = batchSize;
        this.reservedBytes = reservedBytes;
        this.createdNanos = nowNanos;
        // Room for a full batch up front, so appends do not grow (copy) the buffer.
        this.builder = new RecordBatchBuilder(compression, Math.min(reservedBytes, batchSize) + RecordBatch.HEADER_SIZE + 64);
    }

    /** Appends if the batch is open and the record fits (an empty batch takes any record); under the queue lock. */
    boolean tryAppend(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers, int estimatedSize,
                      RecordFuture future) {
        if (sealed || (builder.recordCount() > 0 && builder.uncompressedSizeInBytes() + estimatedSize > batchSize)) {
            return false;
        }
        builder.append(timestamp, key, value, headers);
        futures.add(future);
        return true;
    }

    /** Whether records routed with {@code routingCount} partitions (0: not routed by an ordered topic's count) may join. */
    boolean routedWith(OrderedTopic topic, int count) {
        return ordered == topic && routingCount == count;
    }

    /** Full: no further record of any size would be appended; under the queue lock. */
    boolean isFull() {
        return sealed || builder.uncompressedSizeInBytes() >= batchSize;
    }

    int recordCount() {
        return futures.size();
    }

    /** The encoded batch, built (and compressed) on first call; the batch must be sealed. */
    ByteBuffer buffer() {
        ByteBuffer b = built;
        if (b == null) {
            synchronized (this) {
                b = built;
                if (b == null) {
                    b = builder.build();
                    built = b;
                }
            }
        }
        return b;
    }

    /** Writes the idempotent-producer fields into the built batch's header and recomputes its CRC. */
    void stamp(long producerId, short epoch, int sequence) {
        ByteBuffer b = buffer();
        b.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        b.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, epoch);
        b.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, sequence);
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(b, 0).computeChecksum());
        baseSequence = sequence;
    }

    int lastSequence() {
        return baseSequence + recordCount() - 1;
    }

    @Override
    public String toString() {
        return "batch of " + recordCount() + " records for " + partition + (baseSequence >= 0 ? " from sequence " + baseSequence : "");
    }
}
