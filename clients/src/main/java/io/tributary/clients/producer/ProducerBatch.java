package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.metadata.Cluster;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records for one partition that travel together as one v2 record batch.
 *
 * <p>Life: open (application threads append under the partition queue's lock) -> sealed (no more appends;
 * set under that lock when a newer batch takes over or the sender drains it) -> built (records encoded and
 * compressed once, by whichever thread needs it first: the appender that filled it, or the sender) ->
 * stamped with the producer id, epoch and base sequence when drained (header fields and CRC rewritten, the
 * records untouched, so a retry after an epoch bump costs one CRC pass) -> completed once (callbacks on the I/O
 * thread, futures on the callback thread); or, refused by the broker as too large, split into new batches that
 * carry its records, futures and sequences on.
 *
 * <p>A batch of an ordered topic remembers the partition count its records were routed with
 * ({@link #routingCount}); records routed with different counts never share a batch, so that a batch refused
 * after a growth can be re-routed as a whole ({@link Rerouter}).
 *
 * <p>Fields after "sender state" belong to the I/O thread.
 */
final class ProducerBatch {
    /** The v2 batch attributes' bit 4: the batch belongs to a transaction (Kafka's isTransactional). */
    private static final int TRANSACTIONAL_FLAG = 0x10;
    /** Bytes a record's timestamp and offset deltas may grow by when it moves to another batch. */
    private static final int SPLIT_DELTA_SLACK = 10;
    /** A compressed batch's buffer is allocated for at most this many batch.size of records up front; it grows after. */
    private static final int MAX_INITIAL_FILL_BATCHES = 4;

    final TopicPartition partition;
    final long createdNanos;
    private final int batchSize;
    /** Where the reservation grows from; null for the pieces of a split batch, whose records are accounted for. */
    private final MemoryBudget memory;
    /** The topic's compression estimate: the batch fills to batch.size compressed; null to fill by uncompressed size. */
    private final CompressionRatio ratio;
    /**
     * Bytes of buffer.memory the batch holds: grows (without waiting) while it is open, under the queue lock; shrinks
     * to the compressed size once built; 0 once taken to be released.
     */
    private final AtomicInteger reserved;
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
    /** Holds records already accounted for in buffer.memory (moved from another batch): no size or memory limit. */
    private boolean carrying;

    /**
     * @param ratio         the topic's estimate, to fill a compressed batch to {@code batchSize} after compression;
     *                      null to fill to {@code batchSize} before it
     * @param memory        to grow the reservation from as a compressed batch fills; null when nothing more may be
     *                      reserved
     * @param reservedBytes buffer.memory already reserved for this batch, released when it completes
     * @param ordered       the ordered topic's bookkeeping when the records were routed by its count, else null
     * @param routingCount  the partition count they were routed with (0 without {@code ordered})
     */
    ProducerBatch(TopicPartition partition, Compression compression, CompressionRatio ratio, int batchSize,
                  MemoryBudget memory, int reservedBytes, long nowNanos, OrderedTopic ordered, int routingCount) {
        this.ordered = ordered;
        this.routingCount = routingCount;
        this.partition = partition;
        this.batchSize = batchSize;
        this.memory = memory;
        this.ratio = compression.type() == CompressionType.NONE ? null : ratio;
        this.reserved = new AtomicInteger(reservedBytes);
        this.createdNanos = nowNanos;
        // Room for a full batch up front, so appends do not grow (copy) the buffer; split pieces start small.
        int expected = reservedBytes == 0 ? 0 : (int) Math.min(expectedFill(), MAX_INITIAL_FILL_BATCHES * (long) batchSize);
        this.builder = new RecordBatchBuilder(compression, expected + 64);
    }

    /**
     * A batch to carry records re-routed from {@code from}, a batch refused as misrouted: it takes any number of them
     * (they came from one batch), and {@code reservedBytes} of {@code from}'s reservation.
     */
    static ProducerBatch carrying(ProducerBatch from, TopicPartition partition, int reservedBytes, int routingCount) {
        ProducerBatch b = new ProducerBatch(partition, from.builder.compression(), null, from.batchSize, null, reservedBytes,
            from.createdNanos, from.ordered, routingCount);
        b.carrying = true;
        return b;
    }

    /** Appends if the batch is open and the record fits (an empty batch takes any record); under the queue lock. */
    boolean tryAppend(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers, int estimatedSize,
                      RecordFuture future) {
        if (sealed) {
            return false;
        }
        if (builder.recordCount() > 0 && !carrying) {
            long after = (long) builder.uncompressedSizeInBytes() + estimatedSize;
            if (wireSize(after) > batchSize || !reserveUpTo(after)) {
                return false;
            }
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
        return sealed || wireSize(builder.uncompressedSizeInBytes()) >= batchSize;
    }

    /** The expected size on the wire of a batch whose header and records take {@code uncompressedBytes} uncompressed. */
    private long wireSize(long uncompressedBytes) {
        return ratio == null ? uncompressedBytes
            : RecordBatch.HEADER_SIZE + ratio.estimatedCompressedSize(uncompressedBytes - RecordBatch.HEADER_SIZE);
    }

    /** The uncompressed bytes (header included) at which the batch is expected to be full. */
    private long expectedFill() {
        return ratio == null ? batchSize
            : RecordBatch.HEADER_SIZE + ratio.uncompressedFill(batchSize - RecordBatch.HEADER_SIZE);
    }

    /**
     * Makes the reservation cover {@code bytes}, taking the rest of the expected fill at once if buffer.memory has
     * it free now; false (the batch is full) if not, since an append under the queue lock must not wait.
     */
    private boolean reserveUpTo(long bytes) {
        int current = reserved.get();
        if (bytes <= current) {
            return true;
        }
        if (memory == null || bytes > Integer.MAX_VALUE) {
            return false;
        }
        int target = (int) Math.min(Integer.MAX_VALUE, Math.max(bytes, expectedFill()));
        if (!memory.tryReserve(target - current)) {
            return false;
        }
        reserved.addAndGet(target - current);
        return true;
    }

    /** Gives up the whole reservation, for the caller to release or hand on; 0 if it was already given up. */
    int takeReservation() {
        return reserved.getAndSet(0);
    }

    /** Once compressed, the batch holds only its compressed bytes: the rest of a larger reservation goes back. */
    private void shrinkReservationTo(int bytes) {
        while (true) {
            int current = reserved.get();
            if (current <= bytes) {
                return;
            }
            if (reserved.compareAndSet(current, bytes)) {
                memory.release(current - bytes);
                return;
            }
        }
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
                    int uncompressed = builder.uncompressedSizeInBytes();
                    b = builder.build();
                    if (ratio != null) {
                        ratio.observe(uncompressed - RecordBatch.HEADER_SIZE, b.remaining() - RecordBatch.HEADER_SIZE);
                        shrinkReservationTo(b.capacity());
                    }
                    built = b;
                }
            }
        }
        return b;
    }

    /**
     * Writes the idempotent-producer fields (and, for a transactional producer, the attributes' transactional bit)
     * into the built batch's header and recomputes its CRC.
     */
    void stamp(long producerId, short epoch, int sequence, boolean transactional) {
        ByteBuffer b = buffer();
        if (transactional) {
            b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) (b.getShort(RecordBatch.ATTRIBUTES_OFFSET) | TRANSACTIONAL_FLAG));
        }
        b.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        b.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, epoch);
        b.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, sequence);
        b.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(b, 0).computeChecksum());
        baseSequence = sequence;
    }

    /**
     * This batch's records, in order, as new sealed batches (at least one record each), for a batch the broker
     * refused as too large. A piece holds up to {@code batchSize} bytes of uncompressed records, or half of this
     * batch's when that is less, so that splitting again and again ends in batches of one record. The first
     * piece takes over this batch's memory reservation; each record keeps its future. The batch must be built.
     */
    List<ProducerBatch> split(int batchSize) {
        RecordBatch batch = RecordBatch.at(buffer(), 0);
        List<Record> records = RecordBatchReader.DEFAULT.read(batch);
        long recordBytes = 0;
        for (Record r : records) {
            recordBytes += r.sizeInBytes();
        }
        int maxBytes = (int) Math.max(1, Math.min(batchSize, recordBytes / 2));
        List<ProducerBatch> pieces = new ArrayList<>();
        ProducerBatch piece = null;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            // The deltas are re-encoded against the piece's first record and may take a few bytes more.
            int size = r.sizeInBytes() + SPLIT_DELTA_SLACK;
            if (piece == null || !piece.tryAppend(r.timestamp(), r.key(), r.value(), r.headers(), size, futures.get(i))) {
                if (piece != null) {
                    piece.sealed = true;
                }
                // Pieces fill by uncompressed size, so each split at least halves; they reserve nothing more.
                piece = new ProducerBatch(partition, builder.compression(), null, maxBytes, null,
                    pieces.isEmpty() ? takeReservation() : 0, createdNanos, ordered, routingCount);
                piece.rerouted = rerouted;
                piece.tryAppend(r.timestamp(), r.key(), r.value(), r.headers(), size, futures.get(i));
                pieces.add(piece);
            }
        }
        piece.sealed = true;
        return pieces;
    }

    int lastSequence() {
        return baseSequence + recordCount() - 1;
    }

    @Override
    public String toString() {
        return "batch of " + recordCount() + " records for " + partition + (baseSequence >= 0 ? " from sequence " + baseSequence : "");
    }
}
