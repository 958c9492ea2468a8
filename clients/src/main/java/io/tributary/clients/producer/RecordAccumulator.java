package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where {@code send} puts records: one {@link PartitionQueue} of batches per partition, filled by application
 * threads and drained by the sender on the I/O thread.
 *
 * <p>The hot path ({@link #append}) takes the partition's lock once when the record fits the open batch: the
 * key and value are copied once, into the batch's buffer. Only when a new batch is needed does it reserve
 * {@code buffer.memory} (possibly blocking, outside any lock), seal the previous batch and compress it on the
 * calling thread, so compression work is spread over the application's threads instead of the I/O thread.
 */
final class RecordAccumulator {
    /** Upper bound of a record's framing inside a batch: length, attributes, deltas, key/value/header-count lengths. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;

    private final int batchSize;
    private final Compression compression;
    final MemoryBudget memory;
    private final Runnable newBatchCreated;
    private final ConcurrentHashMap<String, PartitionQueue[]> byTopic = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompressionRatio> ratios = new ConcurrentHashMap<>();
    final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    final AtomicInteger flushesInProgress = new AtomicInteger();
    /** Whether a batch of an ordered topic was ever made: until then the sender skips its re-routing pass. */
    volatile boolean hasOrderedBatches;
    volatile boolean closed;

    RecordAccumulator(int batchSize, Compression compression, MemoryBudget memory, Runnable newBatchCreated) {
        this.batchSize = batchSize;
        this.compression = compression;
        this.memory = memory;
        this.newBatchCreated = newBatchCreated;
    }

    /** Bytes a record takes in a batch at most (the batch header included, as Kafka's size check counts it). */
    static int estimateSize(byte[] key, byte[] value, List<Header> headers) {
        int size = RecordBatch.HEADER_SIZE + RECORD_OVERHEAD + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            ByteBuffer k = h.keyBytes();
            size += 10 + k.remaining() + Math.max(0, h.valueSize());
        }
        return size;
    }

    /** The topic's compression estimate, or null without compression. */
    private CompressionRatio compressionRatio(String topic) {
        return compression.type() == CompressionType.NONE ? null : ratios.computeIfAbsent(topic, t -> new CompressionRatio());
    }

    int batchSize() {
        return batchSize;
    }

    Collection<PartitionQueue> queues() {
        return queues.values();
    }

    PartitionQueue queue(TopicPartition tp) {
        return queues.get(tp);
    }

    /** The queue of a partition, created if needed. */
    PartitionQueue queue(String topic, int partition) {
        PartitionQueue[] array = byTopic.get(topic);
        if (array != null && partition < array.length && array[partition] != null) {
            return array[partition];
        }
        return byTopic.compute(topic, (t, old) -> {
            PartitionQueue[] grown = old == null ? new PartitionQueue[partition + 1]
                : java.util.Arrays.copyOf(old, Math.max(old.length, partition + 1));
            if (grown[partition] == null) {
                grown[partition] = queues.computeIfAbsent(new TopicPartition(topic, partition), PartitionQueue::new);
            }
            return grown;
        })[partition];
    }

    /** {@link #append(String, int, long, byte[], byte[], List, int, Callback, long, long, OrderedTopic, int)} for a record not routed by an ordered topic's count. */
    RecordFuture append(String topic, int partition, long timestamp, byte[] key, byte[] value, List<Header> headers,
                        int estimatedSize, Callback callback, long deadlineNanos, long maxBlockMs) {
        return append(topic, partition, timestamp, key, value, headers, estimatedSize, callback, deadlineNanos, maxBlockMs, null, 0);
    }

    /**
     * Adds a record to its partition's open batch, or to a new one.
     *
     * @param estimatedSize from {@link #estimateSize}
     * @param deadlineNanos how long a buffer-memory reservation may block
     * @param ordered       the ordered topic's bookkeeping when the partition was chosen by its routing, else null
     * @param routingCount  the partition count that routing used (0 without {@code ordered})
     */
    RecordFuture append(String topic, int partition, long timestamp, byte[] key, byte[] value, List<Header> headers,
                        int estimatedSize, Callback callback, long deadlineNanos, long maxBlockMs, OrderedTopic ordered,
                        int routingCount) {
        if (closed) {
            throw new IllegalStateException("Cannot send after the producer is closed");
        }
        PartitionQueue q = queue(topic, partition);
        ByteBuffer k = key == null ? null : ByteBuffer.wrap(key);
        ByteBuffer v = value == null ? null : ByteBuffer.wrap(value);
        RecordFuture future = new RecordFuture(callback, timestamp, key == null ? -1 : key.length, value == null ? -1 : value.length);
        int recordSize = estimatedSize - RecordBatch.HEADER_SIZE;
        synchronized (q) {
            ProducerBatch last = q.batches.peekLast();
            if (last != null && last.routedWith(ordered, routingCount) && last.tryAppend(timestamp, k, v, headers, recordSize, future)) {
                return future;
            }
        }
        int reservation = MemoryBudget.reservationFor(batchSize, estimatedSize);
        memory.reserve(reservation, deadlineNanos, maxBlockMs);
        ProducerBatch toSeal = null;
        boolean created = false;
        try {
            synchronized (q) {
                if (closed) {
                    throw new IllegalStateException("Cannot send after the producer is closed");
                }
                ProducerBatch last = q.batches.peekLast();
                if (last != null && last.routedWith(ordered, routingCount) && last.tryAppend(timestamp, k, v, headers, recordSize, future)) {
                    return future;   // another thread made room meanwhile; the reservation is returned below
                }
                if (last != null && !last.sealed) {
                    last.sealed = true;
                    toSeal = last;
                }
                ProducerBatch batch = newBatch(q.partition, reservation, System.nanoTime(), ordered, routingCount);
                batch.tryAppend(timestamp, k, v, headers, recordSize, future);
                q.batches.addLast(batch);
                incomplete.add(batch);
                created = true;
            }
        } finally {
            if (!created) {
                memory.release(reservation);
            }
        }
        if (toSeal != null) {
            toSeal.buffer();
        }
        newBatchCreated.run();
        return future;
    }

    /** A new, empty batch, registered with its ordered topic's bookkeeping; the caller queues it and adds it to {@link #incomplete}. */
    ProducerBatch newBatch(TopicPartition partition, int reservation, long createdNanos, OrderedTopic ordered, int routingCount) {
        if (ordered != null) {
            ordered.batchCreated(routingCount);
            hasOrderedBatches = true;
        }
        return new ProducerBatch(partition, compression, compressionRatio(partition.topic()), batchSize, memory, reservation,
            createdNanos, ordered, routingCount);
    }
}
