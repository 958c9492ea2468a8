package io.tributary.clients.consumer.fetch;

import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * read_committed filtering of one fetch answer, with two producers' transactions interleaved in one partition: only
 * the aborted producer's batches between its transaction's first offset and its ABORT marker are dropped, the other
 * producer's and the aborted producer's next transaction are kept, markers never show, and read_uncommitted keeps all.
 */
class CompletedFetchReadCommittedTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long ABORTED = 7;
    private static final long COMMITTED = 8;

    /** The log: offset -> batch. */
    private static ByteBuffer log() {
        List<ByteBuffer> batches = List.of(
            data(0, ABORTED, "aborted-a"),
            data(1, COMMITTED, "committed-a"),
            data(2, ABORTED, "aborted-b"),
            marker(3, ABORTED, EndTransactionMarker.ControlType.ABORT),
            data(4, COMMITTED, "committed-b"),
            marker(5, COMMITTED, EndTransactionMarker.ControlType.COMMIT),
            data(6, ABORTED, "next-transaction"),
            marker(7, ABORTED, EndTransactionMarker.ControlType.COMMIT),
            plain(8, "not-transactional"));
        ByteBuffer all = ByteBuffer.allocate(batches.stream().mapToInt(ByteBuffer::remaining).sum());
        batches.forEach(all::put);
        return all.flip();
    }

    private static ByteBuffer data(long offset, long producerId, String value) {
        return new RecordBatchBuilder(Compression.none()).baseOffset(offset).producer(producerId, (short) 0, (int) offset)
            .transactional(true).append(1_000L, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static ByteBuffer plain(long offset, String value) {
        return new RecordBatchBuilder(Compression.none()).baseOffset(offset)
            .append(1_000L, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static ByteBuffer marker(long offset, long producerId, EndTransactionMarker.ControlType type) {
        ByteBuffer batch = new EndTransactionMarker(type, 0).toBatch(producerId, (short) 0, 1_000L);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, offset);   // the CRC does not cover the base offset
        return batch;
    }

    private static List<String> drain(CompletedFetch fetch) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        while (!fetch.isExhausted()) {
            fetch.drain(2, new StringDeserializer(), new StringDeserializer(), out);
        }
        return out.stream().map(ConsumerRecord::value).toList();
    }

    @Test
    void readCommittedDropsOnlyTheAbortedTransactionsBatches() {
        CompletedFetch fetch = new CompletedFetch(TP, 0, 0, ErrorCode.NONE, 9, 9, 0,
            List.of(new CompletedFetch.AbortedTransaction(ABORTED, 0)), log(), RecordBatchReader.DEFAULT);
        assertThat(drain(fetch)).containsExactly("committed-a", "committed-b", "next-transaction", "not-transactional");
        assertThat(fetch.nextOffset()).isEqualTo(9);
        assertThat(fetch.lastStableOffset()).isEqualTo(9);
    }

    @Test
    void aFetchStartingInsideTheAbortedTransactionStillDropsItsRest() {
        CompletedFetch fetch = new CompletedFetch(TP, 0, 2, ErrorCode.NONE, 9, 9, 0,
            List.of(new CompletedFetch.AbortedTransaction(ABORTED, 0)), log(), RecordBatchReader.DEFAULT);
        assertThat(drain(fetch)).containsExactly("committed-b", "next-transaction", "not-transactional");
    }

    @Test
    void readUncommittedKeepsEveryDataRecordAndNoMarker() {
        CompletedFetch fetch = new CompletedFetch(TP, 0, 0, ErrorCode.NONE, 9, 0, log(), RecordBatchReader.DEFAULT);
        assertThat(drain(fetch)).containsExactly("aborted-a", "committed-a", "aborted-b", "committed-b", "next-transaction",
            "not-transactional");
        assertThat(fetch.nextOffset()).isEqualTo(9);
    }
}
