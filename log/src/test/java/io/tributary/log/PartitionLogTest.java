package io.tributary.log;

import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tributary.log.LogTestSupport.config;
import static io.tributary.log.LogTestSupport.open;
import static io.tributary.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }

    PartitionLog log(Map<String, String> overrides) {
        PartitionLog log = open(dir, config(overrides), clock);
        opened.add(log);
        return log;
    }

    @Test
    void appendAssignsContiguousOffsetsByStampingTheHeader() {
        PartitionLog log = log(Map.of());
        AppendResult first = log.append(TestBatches.batch(3, 1000, 10), 7);
        AppendResult second = log.append(TestBatches.concat(List.of(TestBatches.batch(2, 1001, 10), TestBatches.batch(4, 1002, 10))), 7);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.logAppendTimeMs()).isEqualTo(-1);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(8);
        assertThat(second.batchCount()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(9);

        List<ByteBuffer> batches = readAll(log);
        assertThat(batches).extracting(LogTestSupport::baseOffset).containsExactly(0L, 3L, 5L);
        assertThat(batches).allSatisfy(b -> assertThat(RecordBatch.at(b, 0).partitionLeaderEpoch()).isEqualTo(7));
    }

    @Test
    void logAppendTimeTopicStampsTheBrokerClockAndKeepsTheCrcValid() {
        PartitionLog log = log(Map.of("message.timestamp.type", "LogAppendTime"));
        AppendResult result = log.append(TestBatches.batch(2, 5, 10), 0);

        assertThat(result.logAppendTimeMs()).isEqualTo(clock.millis());
        RecordBatch stored = RecordBatch.at(readAll(log).get(0), 0);
        stored.ensureValid();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(clock.millis());
        assertThat(log.offsetForTimestamp(clock.millis())).isEqualTo(new TimestampOffset(clock.millis(), 0));
    }

    @Test
    void timestampLookupOpensCompressedBatches() {
        PartitionLog log = log(Map.of());
        for (io.tributary.protocol.record.compression.Compression codec : List.of(
                io.tributary.protocol.record.compression.Compression.gzip(), io.tributary.protocol.record.compression.Compression.snappy(),
                io.tributary.protocol.record.compression.Compression.lz4(), io.tributary.protocol.record.compression.Compression.zstd())) {
            io.tributary.protocol.record.RecordBatchBuilder builder = new io.tributary.protocol.record.RecordBatchBuilder(codec);
            long base = 10_000L * (log.logEndOffset() + 1);
            for (int i = 0; i < 5; i++) {
                builder.append(base + 10 * i, null, ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            log.append(builder.build(), 0);
        }
        // codec k holds offsets 5k..5k+4 with timestamps 10000*(5k+1) + 10*i
        assertThat(log.offsetForTimestamp(10_000L * 16 + 21)).isEqualTo(new TimestampOffset(10_000L * 16 + 30, 18));
        assertThat(log.offsetForTimestamp(10_000L * 6 + 1)).isEqualTo(new TimestampOffset(10_000L * 6 + 10, 6));
        assertThat(log.offsetForTimestamp(10_000L * 16 + 41)).isNull();
        assertThat(log.maxTimestampOffset()).isEqualTo(new TimestampOffset(10_000L * 16 + 40, 19));
    }

    @Test
    void emptyAppendAssignsNothing() {
        PartitionLog log = log(Map.of());
        AppendResult result = log.append(ByteBuffer.allocate(0), 0);
        assertThat(result.firstOffset()).isEqualTo(-1);
        assertThat(log.logEndOffset()).isZero();
    }

    // ---- bad input: a specific error and an unchanged log

    private void assertRejectedAndUnchanged(ByteBuffer bad, Class<? extends Throwable> error, String messagePart) throws Exception {
        PartitionLog log = log(Map.of("max.message.bytes", "4000"));
        log.append(TestBatches.batch(2, 1000, 10), 0);
        long endBefore = log.logEndOffset();
        long sizeBefore = log.sizeInBytes();
        long fileBefore = Files.size(log.activeSegment().logFile());

        assertThatThrownBy(() -> log.append(bad, 0)).isInstanceOf(error).hasMessageContaining(messagePart);

        assertThat(log.logEndOffset()).isEqualTo(endBefore);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
        assertThat(Files.size(log.activeSegment().logFile())).isEqualTo(fileBefore);
        assertThat(readAll(log)).hasSize(1);
        // and the log still takes good appends at the right offset
        assertThat(log.append(TestBatches.batch(1, 1000, 10), 0).firstOffset()).isEqualTo(endBefore);
    }

    private static ByteBuffer mutated(ByteBuffer batch, Consumer<ByteBuffer> change) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        change.accept(copy);
        return copy;
    }

    private static void fixCrc(ByteBuffer batch) {
        RecordBatch view = RecordBatch.at(batch, 0);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) view.computeChecksum());
    }

    @Test
    void wrongCrcIsCorrupt() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 1)));
        assertRejectedAndUnchanged(bad, CorruptRecordException.class, "CRC32C");
    }

    @Test
    void wrongMagicIsCorrupt() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> b.put(RecordBatch.MAGIC_OFFSET, (byte) 1));
        assertRejectedAndUnchanged(bad, CorruptRecordException.class, "magic is 1");
    }

    @Test
    void lengthPastTheBufferIsCorrupt() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> b.putInt(RecordBatch.LENGTH_OFFSET, b.getInt(RecordBatch.LENGTH_OFFSET) + 1));
        assertRejectedAndUnchanged(bad, CorruptRecordException.class, "runs past the end");
    }

    @Test
    void lengthBelowAHeaderIsCorrupt() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> b.putInt(RecordBatch.LENGTH_OFFSET, 20));
        assertRejectedAndUnchanged(bad, CorruptRecordException.class, "smaller than the minimum");
    }

    @Test
    void trailingPartialBatchIsCorrupt() throws Exception {
        ByteBuffer good = TestBatches.batch(3, 1000, 10);
        ByteBuffer bad = TestBatches.concat(List.of(good, ByteBuffer.wrap(new byte[30])));
        assertRejectedAndUnchanged(bad, CorruptRecordException.class, "fewer than a batch header");
    }

    @Test
    void recordCountDisagreeingWithTheRecordsIsInvalid() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> {
            b.putInt(RecordBatch.RECORD_COUNT_OFFSET, 4);
            b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 3);
            fixCrc(b);
        });
        assertRejectedAndUnchanged(bad, InvalidRecordException.class, "declares 4 records but holds 3");
    }

    @Test
    void lastOffsetDeltaDisagreeingWithTheCountIsInvalid() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(3, 1000, 10), b -> {
            b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 5);
            fixCrc(b);
        });
        assertRejectedAndUnchanged(bad, InvalidRecordException.class, "last offset delta 5 but 3 records");
    }

    @Test
    void zeroRecordsIsInvalid() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(1, 1000, 10), b -> {
            b.putInt(RecordBatch.RECORD_COUNT_OFFSET, 0);
            b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, -1);
            fixCrc(b);
        });
        assertRejectedAndUnchanged(bad, InvalidRecordException.class, "declares 0 records");
    }

    @Test
    void recordOffsetDeltasOutOfOrderAreInvalid() throws Exception {
        // Record 1's offset delta byte sits right after its length, attributes and 1-byte timestamp delta.
        ByteBuffer good = TestBatches.batch(new long[] {1000, 1000}, 5);
        int firstRecordLength = good.get(RecordBatch.RECORDS_OFFSET) >> 1;
        int secondRecord = RecordBatch.RECORDS_OFFSET + 1 + firstRecordLength;
        ByteBuffer bad = mutated(good, b -> {
            b.put(secondRecord + 3, (byte) (5 << 1));
            fixCrc(b);
        });
        assertRejectedAndUnchanged(bad, InvalidRecordException.class, "offset delta 5, expected 1");
    }

    @Test
    void oversizedBatchIsTooLarge() throws Exception {
        assertRejectedAndUnchanged(TestBatches.batch(1, 1000, 5000), RecordTooLargeException.class, "max.message.bytes=4000");
    }

    @Test
    void appendLargerThanASegmentIsRejected() {
        PartitionLog log = log(Map.of("segment.bytes", "1000"));
        assertThatThrownBy(() -> log.append(TestBatches.batch(2, 1000, 600), 0))
            .isInstanceOf(RecordBatchTooLargeException.class).hasMessageContaining("segment.bytes=1000");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void invalidSecondBatchRejectsTheWholeAppend() throws Exception {
        ByteBuffer bad = mutated(TestBatches.batch(2, 1000, 10), b -> b.put(RecordBatch.MAGIC_OFFSET, (byte) 0));
        assertRejectedAndUnchanged(TestBatches.concat(List.of(TestBatches.batch(1, 1000, 10), bad)),
            CorruptRecordException.class, "magic");
    }

    // ---- reads

    @Test
    void readStartsAtTheBatchContainingTheOffsetAndEndsOnABatchBoundary() throws Exception {
        PartitionLog log = log(Map.of("index.interval.bytes", "100"));
        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.batch(5, 1000 + i, 20), 0);
        }
        int batchSize = TestBatches.batch(5, 1000, 20).remaining();
        try (LogSlice slice = log.read(12, batchSize * 3 + batchSize / 2, false)) {
            ByteBuffer bytes = slice.readIntoHeap();
            List<RecordBatch> batches = TestBatches.split(bytes);
            assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(10L, 15L, 20L);
            assertThat(slice.firstOffset()).isEqualTo(10);
        }
        try (LogSlice tooSmall = log.read(12, batchSize - 1, false)) {
            assertThat(tooSmall.isEmpty()).isTrue();
        }
        try (LogSlice minOne = log.read(12, 1, true)) {
            assertThat(minOne.length()).isEqualTo(batchSize);
        }
        try (LogSlice atEnd = log.read(100, 1000, true)) {
            assertThat(atEnd.isEmpty()).isTrue();
        }
        assertThatThrownBy(() -> log.read(101, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class)
            .hasMessageContaining("Offset 101").hasMessageContaining("[0, 100]");
    }

    @Test
    void sliceTransfersTheSameBytesZeroCopy() throws Exception {
        PartitionLog log = log(Map.of());
        log.append(TestBatches.batch(5, 1000, 20), 0);
        try (LogSlice slice = log.read(0, 1 << 20, true)) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            slice.transferTo(Channels.newChannel(sink));
            assertThat(ByteBuffer.wrap(sink.toByteArray())).isEqualTo(slice.readIntoHeap());
        }
    }

    // ---- roll and retention

    @Test
    void rollsBySegmentBytesAndSegmentMs() {
        PartitionLog log = log(Map.of("segment.bytes", "1000", "segment.ms", "60000"));
        int batchSize = TestBatches.batch(1, 1000, 100).remaining();
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch(1, clock.millis(), 100), 0);
        }
        int perSegment = 1000 / batchSize;
        assertThat(log.segments()).hasSize((10 + perSegment - 1) / perSegment);
        assertThat(log.segments()).allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(1000));

        int before = log.segments().size();
        clock.advance(60_000);
        log.append(TestBatches.batch(1, clock.millis(), 100), 0);
        assertThat(log.segments()).hasSize(before + 1);
        assertThat(log.activeSegment().baseOffset()).isEqualTo(10);
    }

    @Test
    void rollsWhenTheIndexIsFull() {
        // Room for two offset-index entries; an entry every batch.
        PartitionLog log = log(Map.of("segment.index.bytes", "24", "index.interval.bytes", "0"));
        for (int i = 0; i < 8; i++) {
            log.append(TestBatches.batch(1, 1000 + i, 10), 0);
        }
        assertThat(log.segments().size()).isGreaterThan(1);
        assertThat(log.segments()).allSatisfy(s -> assertThat(s.offsetIndex().entries()).isLessThanOrEqualTo(s.offsetIndex().maxEntries()));
        assertThat(readAll(log)).extracting(LogTestSupport::baseOffset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void retentionByTimeDeletesWholeOldSegmentsAndAdvancesTheStartOffset() {
        PartitionLog log = log(Map.of("segment.bytes", "2000", "retention.ms", "10000"));
        long t0 = clock.millis();
        for (int i = 0; i < 30; i++) {
            log.append(TestBatches.batch(1, t0 + i * 1000L, 200), 0);
        }
        clock.advance(30_000);
        // now = t0 + 30 s: records older than t0 + 20 s are expired
        int deleted = log.deleteRetainedSegments();
        assertThat(deleted).isPositive();
        long start = log.logStartOffset();
        assertThat(start).isEqualTo(log.segments().get(0).baseOffset());
        assertThat(log.segments().get(0).maxTimestamp()).isGreaterThanOrEqualTo(t0 + 20_000);
        assertThatThrownBy(() -> log.read(start - 1, 100, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(readAll(log)).extracting(LogTestSupport::baseOffset).first().isEqualTo(start);

        clock.advance(100_000);
        log.deleteRetainedSegments();
        assertThat(log.logStartOffset()).isEqualTo(30);
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(log.segments()).hasSize(1);
        assertThat(log.append(TestBatches.batch(1, clock.millis(), 10), 0).firstOffset()).isEqualTo(30);
    }

    @Test
    void retentionBySizeKeepsTheNewestSegmentsUnderTheLimit() {
        PartitionLog log = log(Map.of("segment.bytes", "1000", "retention.bytes", "2500"));
        for (int i = 0; i < 40; i++) {
            log.append(TestBatches.batch(1, clock.millis(), 100), 0);
        }
        log.deleteRetainedSegments();
        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(2500 + 1000);
        List<ByteBuffer> remaining = readAll(log);
        assertThat(LogTestSupport.baseOffset(remaining.get(remaining.size() - 1))).isEqualTo(39);
        for (int i = 1; i < remaining.size(); i++) {
            assertThat(LogTestSupport.baseOffset(remaining.get(i))).isEqualTo(LogTestSupport.baseOffset(remaining.get(i - 1)) + 1);
        }
    }

    @Test
    void aSliceStaysReadableAfterItsSegmentIsDeleted() throws Exception {
        PartitionLog log = log(Map.of("segment.bytes", "1000", "retention.bytes", "0"));
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch(1, 1000, 100), 0);
        }
        LogSlice held = log.read(0, 1 << 20, true);
        ByteBuffer before = held.readIntoHeap();
        LogSegment first = log.segments().get(0);

        log.deleteRetainedSegments();
        assertThat(Files.exists(first.logFile())).isFalse();
        assertThat(log.logStartOffset()).isEqualTo(10);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        held.transferTo(Channels.newChannel(sink));
        assertThat(ByteBuffer.wrap(sink.toByteArray())).isEqualTo(before);
        assertThat(first.channel().isOpen()).isTrue();
        held.release();
        held.release(); // idempotent
        assertThat(first.channel().isOpen()).isFalse();
    }

    // ---- flush policy

    @Test
    void flushMessagesAdvancesTheRecoveryPointAfterEnoughRecords() {
        PartitionLog log = log(Map.of("flush.messages", "5"));
        log.append(TestBatches.batch(3, 1000, 10), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.append(TestBatches.batch(2, 1000, 10), 0);
        assertThat(log.recoveryPoint()).isEqualTo(5);
    }

    @Test
    void flushMsFlushesWhenDue() {
        PartitionLog log = log(Map.of("flush.ms", "1000"));
        log.append(TestBatches.batch(3, 1000, 10), 0);
        log.flushIfDue();
        assertThat(log.recoveryPoint()).isZero();
        clock.advance(1000);
        log.flushIfDue();
        assertThat(log.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void explicitFlushAndRollFlushAdvanceTheRecoveryPoint() {
        PartitionLog log = log(Map.of("segment.bytes", "1000"));
        log.append(TestBatches.batch(1, 1000, 100), 0);
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch(1, 1000, 100), 0);
        }
        // Each roll fsyncs the finished segment (inline here): the recovery point reaches the active segment.
        assertThat(log.recoveryPoint()).isEqualTo(log.activeSegment().baseOffset());
    }

    // ---- truncation

    @Test
    void truncateToRemovesTheTailAcrossSegmentsAndAppendsContinue() {
        PartitionLog log = log(Map.of("segment.bytes", "1000"));
        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.batch(2, 1000 + i, 100), 0);
        }
        log.truncateTo(13); // batch [12, 13] goes whole
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(readAll(log)).extracting(LogTestSupport::baseOffset).containsExactly(0L, 2L, 4L, 6L, 8L, 10L);
        assertThat(log.segments()).allSatisfy(s -> assertThat(s.baseOffset()).isLessThanOrEqualTo(12));
        assertThat(log.append(TestBatches.batch(1, 2000, 10), 0).firstOffset()).isEqualTo(12);
        assertThat(log.offsetForTimestamp(1006)).isEqualTo(new TimestampOffset(2000, 12));

        log.truncateTo(0);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.append(TestBatches.batch(1, 2000, 10), 0).firstOffset()).isZero();
    }

    // ---- restart

    @Test
    void cleanReopenKeepsEverythingAndContinues() {
        LogConfig cfg = config(Map.of("segment.bytes", "1000", "index.interval.bytes", "150"));
        PartitionLog log = open(dir, cfg, clock);
        for (int i = 0; i < 25; i++) {
            log.append(TestBatches.batch(2, 1000 + i, 60), 0);
        }
        List<ByteBuffer> before = readAll(log);
        TimestampOffset byTime = log.offsetForTimestamp(1010);
        log.close();

        PartitionLog reopened = open(dir, cfg, clock);
        opened.add(reopened);
        assertThat(reopened.logEndOffset()).isEqualTo(50);
        assertThat(readAll(reopened)).isEqualTo(before);
        assertThat(reopened.offsetForTimestamp(1010)).isEqualTo(byTime).isEqualTo(new TimestampOffset(1010, 20));
        assertThat(reopened.maxTimestampOffset()).isEqualTo(new TimestampOffset(1024, 48));
        assertThat(reopened.append(TestBatches.batch(1, 5, 10), 0).firstOffset()).isEqualTo(50);
    }
}
