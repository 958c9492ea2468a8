package io.tributary.clients.consumer.fetch;

import io.tributary.clients.Headers;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.RecordDeserializationException;
import io.tributary.clients.serialization.Deserializer;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.Records;
import io.tributary.protocol.record.TimestampType;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One partition's part of a fetch response, turned into {@link ConsumerRecord}s a few at a time as the
 * application polls.
 *
 * <p>The records field is the broker's log slice as is: whole v2 batches, possibly starting before the offset
 * asked for (a compressed batch is sent whole) and possibly ending in a partial batch (the broker cuts at the
 * byte limit). So: batches before the position are skipped, records of a batch below the position are
 * skipped, a trailing partial batch is ignored (the next fetch asks for it again), and control batches
 * (transaction markers) are stepped over, never shown. Every batch's CRC32C is checked before its records
 * are read; compressed batches are decompressed by the protocol's {@link RecordBatchReader}, bounded.
 *
 * <p>read_committed (as Kafka's consumer): the broker sends only data below the last stable offset, plus the
 * list of aborted transactions (producer id, first offset) that overlap it. Walking the batches in offset
 * order, a producer id becomes "aborted" when a listed transaction of it starts at or before the batch's last
 * offset, and stops being aborted at its ABORT marker; a transactional batch of an aborted producer id is
 * skipped whole. Committed transactions and non-transactional batches are returned as usual.
 *
 * <p>Zero copy: keys, values and headers are views of the response buffer (or of a compressed batch's
 * decompressed bytes); deserializers read them in place through {@link Deserializer#deserialize(String,
 * Headers, ByteBuffer)}.
 *
 * <p>Failure: a corrupt batch or a failing deserializer ends the fetch with a
 * {@link RecordDeserializationException} naming partition and offset. Records decoded before it in the same
 * call are returned first; the error comes on the next call, and the position stays at the bad record.
 *
 * <p>Not thread-safe: made on the I/O thread, then used only by the application thread.
 */
public final class CompletedFetch {
    private final TopicPartition partition;
    private final int epoch;
    private final long fetchOffset;
    private final ErrorCode error;
    private final long highWatermark;
    private final long logStartOffset;
    private final ByteBuffer records;
    private final Iterator<RecordBatch> batches;
    private final RecordBatchReader reader;
    private final long lastStableOffset;
    /** read_committed only: the aborted transactions not yet reached, by first offset; null for read_uncommitted. */
    private final PriorityQueue<AbortedTransaction> abortedTransactions;
    /** read_committed only: producer ids whose transaction is aborted at the current batch. */
    private final Set<Long> abortedProducerIds = new HashSet<>();

    private RecordBatch batch;
    private Iterator<Record> batchRecords = Collections.emptyIterator();
    private long nextOffset;
    private int lastEpoch = -1;
    private RuntimeException failure;
    private boolean exhausted;

    /** One element of a fetch response's {@code aborted_transactions}: a transaction of the producer that ended in ABORT. */
    public record AbortedTransaction(long producerId, long firstOffset) {
    }

    /** A read_uncommitted answer: no aborted transactions to drop, and the last stable offset unknown. */
    public CompletedFetch(TopicPartition partition, int epoch, long fetchOffset, ErrorCode error, long highWatermark,
                          long logStartOffset, ByteBuffer records, RecordBatchReader reader) {
        this(partition, epoch, fetchOffset, error, highWatermark, -1, logStartOffset, null, records, reader);
    }

    /**
     * @param epoch              the partition's epoch when the fetch was sent, to recognise it as stale after a seek
     * @param fetchOffset        the offset the fetch asked for
     * @param lastStableOffset   the answer's last stable offset, -1 if unknown
     * @param abortedTransactions read_committed: the answer's aborted transactions (empty when none); null for
     *                           read_uncommitted, which returns every record
     * @param records            the records field of the response (a view of its buffer), or null for none
     */
    public CompletedFetch(TopicPartition partition, int epoch, long fetchOffset, ErrorCode error, long highWatermark,
                          long lastStableOffset, long logStartOffset, List<AbortedTransaction> abortedTransactions,
                          ByteBuffer records, RecordBatchReader reader) {
        this.lastStableOffset = lastStableOffset;
        if (abortedTransactions == null) {
            this.abortedTransactions = null;
        } else {
            this.abortedTransactions = new PriorityQueue<>(Math.max(1, abortedTransactions.size()),
                Comparator.comparingLong(AbortedTransaction::firstOffset));
            this.abortedTransactions.addAll(abortedTransactions);
        }
        this.partition = partition;
        this.epoch = epoch;
        this.fetchOffset = fetchOffset;
        this.error = error;
        this.highWatermark = highWatermark;
        this.logStartOffset = logStartOffset;
        this.batches = records == null || error != ErrorCode.NONE
            ? Collections.emptyIterator() : Records.wrap(records).iterator();
        this.reader = reader;
        this.records = records;
        this.nextOffset = fetchOffset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public int epoch() {
        return epoch;
    }

    public long fetchOffset() {
        return fetchOffset;
    }

    public ErrorCode error() {
        return error;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The answer's last stable offset (below it no transaction is open), or -1 if the broker did not say. */
    public long lastStableOffset() {
        return lastStableOffset;
    }

    /** The offset after the last record returned or stepped over: the partition's position once drained. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The leader epoch of the last record returned, or -1. */
    public int lastLeaderEpoch() {
        return lastEpoch;
    }

    /**
     * The offset after the last complete batch of the answer (at least the fetch offset), from batch headers
     * only: where the partition's next fetch may start while these records are still being consumed.
     */
    public long endOffset() {
        long end = fetchOffset;
        if (records == null || error != ErrorCode.NONE) {
            return end;
        }
        try {
            for (RecordBatch b : Records.wrap(records)) {
                end = Math.max(end, b.nextOffset());
            }
        } catch (RuntimeException e) {
            // A corrupt length: the records up to it are read, and draining reports the corruption.
        }
        return end;
    }

    /** Whether every complete batch has been read. */
    public boolean isExhausted() {
        return exhausted;
    }

    /**
     * Appends up to {@code max} records to {@code into}.
     *
     * @return how many were appended
     * @throws RecordDeserializationException as described in the class comment
     */
    public <K, V> int drain(int max, Deserializer<K> keys, Deserializer<V> values, List<ConsumerRecord<K, V>> into) {
        if (failure != null) {
            throw failure;
        }
        int added = 0;
        String topic = partition.topic();
        while (added < max) {
            try {
                if (!batchRecords.hasNext() && !nextBatch()) {
                    break;
                }
            } catch (RecordDeserializationException e) {
                return fail(added, e);
            }
            if (!batchRecords.hasNext()) {
                continue;
            }
            Record record;
            try {
                record = batchRecords.next();
            } catch (RuntimeException e) {
                return fail(added, new RecordDeserializationException(partition, nextOffset,
                    "Corrupt record in " + partition + " at offset " + nextOffset + ": " + e.getMessage()
                        + "; seek past it to continue", e));
            }
            long offset = record.offset();
            if (offset < nextOffset) {
                continue;
            }
            ConsumerRecord<K, V> converted;
            try {
                converted = convert(topic, record, keys, values);
            } catch (RuntimeException e) {
                return fail(added, new RecordDeserializationException(partition, offset, "Error deserializing the "
                    + "record of " + partition + " at offset " + offset + ": " + e.getMessage()
                    + "; seek past it to continue", e));
            }
            into.add(converted);
            added++;
            nextOffset = offset + 1;
            lastEpoch = batch.partitionLeaderEpoch();
        }
        return added;
    }

    private <K, V> ConsumerRecord<K, V> convert(String topic, Record record, Deserializer<K> keys, Deserializer<V> values) {
        List<io.tributary.protocol.record.Header> recordHeaders = record.headers();
        Headers headers = recordHeaders.isEmpty() ? Headers.empty() : Headers.wrap(recordHeaders);
        ByteBuffer keyBytes = record.key();
        ByteBuffer valueBytes = record.value();
        K key = keys.deserialize(topic, headers, keyBytes);
        V value = values.deserialize(topic, headers, valueBytes);
        TimestampType type = batch.timestampType();
        return new ConsumerRecord<>(topic, partition.partition(), record.offset(), record.timestamp(), type,
            record.keySize(), record.valueSize(), key, value, headers, batch.partitionLeaderEpoch());
    }

    /** Moves to the next batch with records at or after the position; false when there are none left. */
    private boolean nextBatch() {
        if (batch != null) {
            // Offsets at the end of a batch may have no record (compaction keeps the batch's last offset delta).
            nextOffset = Math.max(nextOffset, batch.nextOffset());
            batch = null;
        }
        while (true) {
            if (!batches.hasNext()) {
                exhausted = true;
                return false;
            }
            RecordBatch next;
            try {
                next = batches.next();
                if (next.lastOffset() < nextOffset) {
                    continue;
                }
                if (abortedTransactions != null && next.producerId() >= 0) {
                    // Transactions of this batch's producer that started at or before it are aborted from here on.
                    while (!abortedTransactions.isEmpty() && abortedTransactions.peek().firstOffset() <= next.lastOffset()) {
                        abortedProducerIds.add(abortedTransactions.poll().producerId());
                    }
                }
                if (next.isControlBatch()) {
                    next.ensureValid();
                    if (abortedTransactions != null && abortedProducerIds.contains(next.producerId())
                        && EndTransactionMarker.read(next).type() == EndTransactionMarker.ControlType.ABORT) {
                        abortedProducerIds.remove(next.producerId());
                    }
                    nextOffset = next.nextOffset();
                    continue;
                }
                if (abortedTransactions != null && next.isTransactional() && abortedProducerIds.contains(next.producerId())) {
                    next.ensureValid();
                    nextOffset = next.nextOffset();   // an aborted transaction's data: never shown
                    continue;
                }
                batch = next;
                batchRecords = reader.records(next);
            } catch (RuntimeException e) {
                throw new RecordDeserializationException(partition, nextOffset, "Corrupt record batch in "
                    + partition + " at offset " + nextOffset + ": " + e.getMessage() + "; seek past it to continue", e);
            }
            return true;
        }
    }

    private int fail(int added, RecordDeserializationException e) {
        failure = e;
        if (added == 0) {
            throw e;
        }
        return added;
    }

    @Override
    public String toString() {
        return "CompletedFetch(" + partition + ", fetchOffset=" + fetchOffset + ", next=" + nextOffset + ", error=" + error + ")";
    }
}
