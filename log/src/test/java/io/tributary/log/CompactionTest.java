package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.cleaner.CleanerStats;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.KeyedRecords.batch;
import static io.tributary.log.KeyedRecords.entries;
import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactionTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<PartitionLog> opened = new ArrayList<>();
    final LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
        cleaner.close();
    }

    PartitionLog log(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("cleanup.policy", "compact"));
        all.putAll(overrides);
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(all), clock);
        opened.add(log);
        return log;
    }

    /** Appends {@code updates} rounds of one value per key, {@code perBatch} records per batch; returns what was written. */
    List<Entry> writeUpdates(PartitionLog log, int keys, int updates, int perBatch, Compression codec) {
        List<KeyValue> pending = new ArrayList<>();
        for (int round = 0; round < updates; round++) {
            for (int k = 0; k < keys; k++) {
                pending.add(kv("key-" + k, "value-" + k + "-" + round));
                if (pending.size() == perBatch) {
                    log.append(batch(codec, clock.millis(), pending), 0);
                    pending.clear();
                    clock.advance(1);
                }
            }
        }
        if (!pending.isEmpty()) {
            log.append(batch(codec, clock.millis(), pending), 0);
        }
        return entries(log);
    }

    static void assertStrictlyIncreasing(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).offset()).isGreaterThan(entries.get(i - 1).offset());
        }
    }

    @Test
    void keepsExactlyTheLatestValuePerKeyAtItsOriginalOffsetAndTimestamp() throws Exception {
        PartitionLog log = log(Map.of("segment.bytes", "2000", "index.interval.bytes", "200"));
        List<Entry> written = writeUpdates(log, 20, 10, 7, Compression.none());
        log.roll();
        long end = log.logEndOffset();
        long sizeBefore = log.sizeInBytes();

        CleanerStats stats = cleaner.cleanNow(log);

        List<Entry> survivors = entries(log);
        assertThat(survivors).containsExactlyElementsOf(KeyedRecords.latestPerKey(written).values().stream()
            .sorted(java.util.Comparator.comparingLong(Entry::offset)).toList());
        assertThat(survivors).hasSize(20);
        assertStrictlyIncreasing(survivors);
        assertThat(stats.recordsRemoved()).isEqualTo(180);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 3);
        assertThat(log.firstDirtyOffset()).isEqualTo(log.activeSegment().baseOffset());
        assertThat(log.append(batch(Compression.none(), clock.millis(), List.of(kv("key-0", "new"))), 0).firstOffset()).isEqualTo(end);

        // Reading from an offset compacted away starts at the batch holding the next survivor.
        Entry firstSurvivor = survivors.get(0);
        assertThat(firstSurvivor.offset()).isPositive();
        for (long offset : new long[] {0, firstSurvivor.offset() - 1, survivors.get(5).offset() - 1}) {
            try (LogSlice slice = log.read(offset, 1 << 20, true)) {
                List<RecordBatch> got = TestBatches.split(slice.readIntoHeap());
                assertThat(got).isNotEmpty();
                // Whole batches: the first one returned holds the first survivor at or after the offset.
                long firstAtOrAfter = survivors.stream().mapToLong(Entry::offset).filter(o -> o >= offset).min().orElseThrow();
                assertThat(KeyedRecords.entries(got.get(0))).extracting(Entry::offset).contains(firstAtOrAfter);
                assertThat(got.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
            }
        }
        // Timestamp lookups see the surviving records only.
        for (Entry survivor : survivors) {
            Entry expected = survivors.stream().filter(e -> e.timestamp() >= survivor.timestamp() - 1).findFirst().orElseThrow();
            assertThat(log.offsetForTimestamp(survivor.timestamp() - 1)).isEqualTo(new TimestampOffset(expected.timestamp(), expected.offset()));
        }
    }

    @Test
    void tombstonesStayForDeleteRetentionMsAfterTheCleaningThatSawThemThenGo() {
        PartitionLog log = log(Map.of("segment.bytes", "1000", "delete.retention.ms", "60000"));
        writeUpdates(log, 10, 3, 4, Compression.none());
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("key-3", null), kv("key-7", null))), 0);
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("key-8", "after"))), 0);
        log.roll();
        long end = log.logEndOffset();

        cleaner.cleanNow(log);
        Map<String, Entry> afterFirst = KeyedRecords.latestPerKey(entries(log));
        assertThat(entries(log)).hasSize(10);
        assertThat(afterFirst.get("key-3").isTombstone()).isTrue();
        assertThat(afterFirst.get("key-7").isTombstone()).isTrue();
        assertThat(afterFirst.get("key-8").value()).isEqualTo("after");
        RecordBatch tombstones = KeyedRecords.batches(log).stream()
            .filter(b -> KeyedRecords.entries(b).stream().anyMatch(Entry::isTombstone)).findFirst().orElseThrow();
        assertThat(tombstones.hasDeleteHorizon()).isTrue();
        assertThat(tombstones.deleteHorizonMs()).isEqualTo(clock.millis() + 60_000);
        assertThat(log.nextDeleteHorizonMs()).isEqualTo(clock.millis() + 60_000);

        clock.advance(59_999);
        cleaner.cleanNow(log);
        assertThat(entries(log)).hasSize(10).filteredOn(Entry::isTombstone).hasSize(2);

        clock.advance(1);
        cleaner.cleanNow(log);
        List<Entry> finalEntries = entries(log);
        assertThat(finalEntries).hasSize(8).noneMatch(Entry::isTombstone);
        assertThat(finalEntries).extracting(Entry::key).doesNotContain("key-3", "key-7");
        assertThat(log.nextDeleteHorizonMs()).isEqualTo(-1);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertStrictlyIncreasing(finalEntries);
    }

    @Test
    void aCompactedTopicRejectsRecordsWithoutAKeyAndStaysUnchanged() {
        PartitionLog log = log(Map.of());
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("a", "1"))), 0);
        for (Compression codec : List.of(Compression.none(), Compression.gzip(), Compression.snappy(), Compression.lz4(), Compression.zstd())) {
            ByteBuffer keyless = batch(codec, clock.millis(), List.of(kv("b", "2"), kv(null, "3")));
            assertThatThrownBy(() -> log.append(keyless, 0)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("without a key").hasMessageContaining("record 1 of batch 0")
                .hasMessageContaining("cleanup.policy=compact");
            assertThat(log.logEndOffset()).isEqualTo(1);
        }
        assertThat(log.append(batch(Compression.zstd(), clock.millis(), List.of(kv("b", "2"))), 0).firstOffset()).isEqualTo(1);

        PartitionLog deleting = PartitionLog.open(dir.resolve("other"), LogTestSupport.TP, LogConfig.defaults(), 0, true, clock, Runnable::run);
        opened.add(deleting);
        assertThat(deleting.append(batch(Compression.lz4(), clock.millis(), List.of(kv(null, "3"))), 0).firstOffset()).isZero();
    }

    @Test
    void aRewrittenBatchInTheTopicsCodecKeepsTheTopicsLevel() throws Exception {
        PartitionLog log = log(Map.of("compression.type", "gzip", "compression.gzip.level", "1"));
        List<KeyValue> records = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 30; k++) {
                records.add(kv("key-" + k, ("value " + k + " of round " + round + "; ").repeat(20)));
            }
        }
        log.append(batch(Compression.gzip(1), clock.millis(), records), 0);
        log.roll();

        cleaner.cleanNow(log);

        List<RecordBatch> batches = KeyedRecords.batches(log);
        assertThat(batches).hasSize(1);
        RecordBatch rebuilt = batches.get(0);
        assertThat(rebuilt.recordCount()).as("the first round is superseded").isEqualTo(30);
        ByteBuffer compressed = rebuilt.buffer().duplicate()
            .limit(rebuilt.start() + rebuilt.sizeInBytes()).position(rebuilt.start() + RecordBatch.RECORDS_OFFSET).slice();
        ByteBuffer uncompressed = io.tributary.protocol.record.RecordBatchReader.DEFAULT.uncompressedRecords(rebuilt);
        java.io.ByteArrayOutputStream atTopicLevel = new java.io.ByteArrayOutputStream();
        Compression.gzip(1).compress(uncompressed.duplicate(), atTopicLevel);
        java.io.ByteArrayOutputStream atDefaultLevel = new java.io.ByteArrayOutputStream();
        Compression.gzip().compress(uncompressed.duplicate(), atDefaultLevel);
        assertThat(atTopicLevel.toByteArray()).as("the two levels must tell apart").isNotEqualTo(atDefaultLevel.toByteArray());
        assertThat(compressed).isEqualTo(ByteBuffer.wrap(atTopicLevel.toByteArray()));
    }

    @Test
    void rewrittenBatchesKeepCodecProducerFieldsAndLastOffsetDeltaAndEmptiedBatchesGoUnlessTheyAreAProducersLast() {
        PartitionLog log = log(Map.of());
        List<Compression> codecs = List.of(Compression.none(), Compression.gzip(), Compression.snappy(), Compression.lz4(), Compression.zstd());
        int sequence = 0;
        for (Compression codec : codecs) {
            // k-x, k-y, k-x: the first record goes, the batch is re-encoded with two records.
            log.append(batch(codec, clock.millis(), List.of(kv("x-" + codec.type(), "1"), kv("y-" + codec.type(), "1"),
                kv("x-" + codec.type(), "2")), 42, (short) 3, sequence), 5);
            sequence += 3;
        }
        // Producer 7: an early batch wholly superseded (dropped), then its last batch wholly superseded (kept bare).
        log.append(batch(Compression.lz4(), clock.millis(), List.of(kv("p", "1")), 7, (short) 0, 0), 5);
        log.append(batch(Compression.lz4(), clock.millis(), List.of(kv("q", "1")), 7, (short) 0, 1), 5);
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("p", "2"), kv("q", "2"))), 5);
        log.roll();

        cleaner.cleanNow(log);

        List<RecordBatch> batches = KeyedRecords.batches(log);
        for (int i = 0; i < codecs.size(); i++) {
            RecordBatch rebuilt = batches.get(i);
            assertThat(rebuilt.compressionType()).isEqualTo(codecs.get(i).type());
            assertThat(rebuilt.baseOffset()).isEqualTo(3L * i);
            assertThat(rebuilt.lastOffsetDelta()).isEqualTo(2);
            assertThat(rebuilt.recordCount()).isEqualTo(2);
            assertThat(rebuilt.producerId()).isEqualTo(42);
            assertThat(rebuilt.producerEpoch()).isEqualTo((short) 3);
            assertThat(rebuilt.baseSequence()).isEqualTo(3 * i);
            assertThat(rebuilt.lastSequence()).isEqualTo(3 * i + 2);
            assertThat(rebuilt.partitionLeaderEpoch()).isEqualTo(5);
            assertThat(KeyedRecords.entries(rebuilt)).extracting(Entry::offset).containsExactly(3L * i + 1, 3L * i + 2);
        }
        RecordBatch bare = batches.get(codecs.size());
        assertThat(bare.baseOffset()).isEqualTo(16);
        assertThat(bare.recordCount()).isZero();
        assertThat(bare.sizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        assertThat(bare.producerId()).isEqualTo(7);
        assertThat(bare.baseSequence()).isEqualTo(1);
        assertThat(bare.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(batches.get(codecs.size() + 1).baseOffset()).isEqualTo(17);
        assertThat(batches).hasSize(codecs.size() + 2);
    }

    @Test
    void aTinyOffsetMapCleansInSeveralPassesToTheSameResult() {
        PartitionLog log = log(Map.of("segment.bytes", "3000"));
        List<Entry> written = writeUpdates(log, 200, 4, 9, Compression.snappy());
        log.roll();
        LogCleaner tiny = KeyedRecords.cleaner(clock, 1024);
        try {
            CleanerStats stats = tiny.cleanNow(log);
            assertThat(stats.passes()).isGreaterThan(5);
            assertThat(stats.dirtyLeft()).isFalse();
        } finally {
            tiny.close();
        }
        List<Entry> survivors = entries(log);
        assertThat(survivors).containsExactlyInAnyOrderElementsOf(KeyedRecords.latestPerKey(written).values());
        assertStrictlyIncreasing(survivors);
    }

    @Test
    void smallCleanedSegmentsAreMergedWithinSegmentBytes() {
        PartitionLog log = log(Map.of("segment.bytes", "1500"));
        writeUpdates(log, 8, 40, 4, Compression.none());
        log.roll();
        int before = log.segments().size();

        // Segments join a group while the output so far plus their size before cleaning fits in segment.bytes:
        // those that compaction empties all merge into one, in the same pass.
        CleanerStats stats = cleaner.cleanNow(log);
        assertThat(stats.segmentsReplaced()).isEqualTo(before - 1);
        assertThat(stats.segmentsWritten()).isEqualTo(1);

        List<LogSegment> after = log.segments();
        assertThat(before).isGreaterThan(6);
        assertThat(after).hasSize(2); // one cleaned segment and the active one
        assertThat(after).allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(1500));
        assertThat(after).allSatisfy(s -> assertThat(s.fileSuffix()).isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(entries(log)).hasSize(8);
    }

    @Test
    void minCompactionLagKeepsYoungRecordsAndMaxCompactionLagRollsTheActiveSegment() {
        PartitionLog log = log(Map.of("min.compaction.lag.ms", "10000", "max.compaction.lag.ms", "20000"));
        writeUpdates(log, 5, 4, 5, Compression.none());
        log.roll();
        cleaner.cleanNow(log);
        assertThat(entries(log)).hasSize(20);

        clock.advance(10_001);
        cleaner.cleanNow(log);
        assertThat(entries(log)).hasSize(5);

        // The active segment rolls after max.compaction.lag.ms although segment.ms is a week.
        assertThat(log.config().rollMs()).isEqualTo(20_000);
        long active = log.activeSegment().baseOffset();
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("key-1", "x"))), 0);
        clock.advance(20_000);
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("key-1", "y"))), 0);
        assertThat(log.activeSegment().baseOffset()).isGreaterThan(active);
    }

    @Test
    void retentionAppliesOnlyWithTheDeletePolicyAndCompactDeleteDoesBoth() {
        PartitionLog compactOnly = log(Map.of("segment.bytes", "1000", "retention.ms", "5000"));
        writeUpdates(compactOnly, 5, 10, 5, Compression.none());
        clock.advance(60_000);
        assertThat(compactOnly.deleteRetainedSegments()).isZero();
        assertThat(compactOnly.logStartOffset()).isZero();
        assertThat(entries(compactOnly)).hasSize(50);

        PartitionLog both = PartitionLog.open(dir.resolve("both"), LogTestSupport.TP, LogTestSupport.config(
            Map.of("cleanup.policy", "Delete, compact", "segment.bytes", "1000", "retention.ms", "5000")), 0, true, clock, Runnable::run);
        opened.add(both);
        assertThat(both.config().value(LogConfig.CLEANUP_POLICY)).isEqualTo("delete,compact");
        assertThat(both.config().compact).isTrue();
        assertThat(both.config().delete).isTrue();
        writeUpdates(both, 5, 10, 5, Compression.none());
        both.roll();
        cleaner.cleanNow(both);
        assertThat(entries(both)).hasSize(5);

        clock.advance(60_000);
        List<Entry> recent = new ArrayList<>(writeUpdates(both, 5, 10, 5, Compression.none()));
        recent.removeIf(e -> e.timestamp() < clock.millis() - 5_000);
        assertThat(both.deleteRetainedSegments()).isPositive();
        assertThat(both.logStartOffset()).isPositive();
        assertThat(entries(both)).isEqualTo(recent).hasSize(50);
        both.roll();
        cleaner.cleanNow(both);
        assertThat(entries(both)).hasSize(5).allSatisfy(e -> assertThat(e.value()).endsWith("-9"));
    }

    @Test
    void aCleanedLogReopensCleanlyAndAfterACrashWithTheSameContent() {
        LogConfig cfg = LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", "1200", "index.interval.bytes", "100"));
        PartitionLog log = LogTestSupport.open(dir, cfg, clock);
        writeUpdates(log, 12, 8, 5, Compression.gzip());
        log.roll();
        cleaner.cleanNow(log);
        List<Entry> cleaned = entries(log);
        long end = log.logEndOffset();
        Path image = TempDirs.snapshot(dir); // as a crash would leave it: indices untrimmed, no time index end entry
        log.close();

        PartitionLog reopened = LogTestSupport.open(dir, cfg, clock);
        opened.add(reopened);
        assertSameContent(reopened, cleaned, end);
        PartitionLog recovered = LogTestSupport.reopenUnclean(image, cfg, clock, 0);
        try {
            assertSameContent(recovered, cleaned, end);
        } finally {
            recovered.close();
            TempDirs.delete(image);
        }
    }

    private void assertSameContent(PartitionLog reopened, List<Entry> expected, long end) {
        assertThat(entries(reopened)).isEqualTo(expected);
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        for (Entry entry : expected) {
            try (LogSlice slice = reopened.read(entry.offset(), 1, true)) {
                RecordBatch first = TestBatches.split(slice.readIntoHeap()).get(0);
                assertThat(KeyedRecords.entries(first)).contains(entry);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            Entry firstAtOrAfter = expected.stream().filter(e -> e.timestamp() >= entry.timestamp()).findFirst().orElseThrow();
            assertThat(reopened.offsetForTimestamp(entry.timestamp()))
                .isEqualTo(new TimestampOffset(firstAtOrAfter.timestamp(), firstAtOrAfter.offset()));
        }
        assertThat(reopened.append(batch(Compression.none(), clock.millis(), List.of(kv("z", "z"))), 0).firstOffset()).isEqualTo(end);
    }

    @Test
    void logAppendTimeBatchesKeepTheirTimestampsWhenRewritten() {
        PartitionLog log = log(Map.of("message.timestamp.type", "LogAppendTime"));
        log.append(batch(Compression.lz4(), 5, List.of(kv("a", "1"), kv("b", "1"))), 0);
        long appendTime = clock.millis();
        clock.advance(1000);
        log.append(batch(Compression.lz4(), 5, List.of(kv("a", "2"))), 0);
        log.roll();
        cleaner.cleanNow(log);
        RecordBatch rewritten = KeyedRecords.batches(log).get(0);
        assertThat(rewritten.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(KeyedRecords.entries(rewritten)).containsExactly(new Entry(1, appendTime, "b", "1"));
    }

    @Test
    void aSliceOfAReplacedSegmentStaysReadable() throws Exception {
        PartitionLog log = log(Map.of());
        writeUpdates(log, 4, 5, 4, Compression.none());
        log.roll();
        LogSegment old = log.segments().get(0);
        LogSlice held = log.read(0, 1 << 20, true);
        ByteBuffer before = held.readIntoHeap();

        cleaner.cleanNow(log);

        assertThat(log.segments().get(0)).isNotSameAs(old);
        assertThat(old.isDeleted()).isTrue();
        assertThat(held.readIntoHeap()).isEqualTo(before);
        assertThat(old.channel().isOpen()).isTrue();
        held.release();
        assertThat(old.channel().isOpen()).isFalse();
    }

    @Test
    void controlBatchesAndBatchesWithoutProducerStateAreCopiedAsTheyAre() {
        PartitionLog log = log(Map.of());
        RecordBatchBuilder marker = new RecordBatchBuilder(Compression.none()).producer(9, (short) 1, -1).transactional(true).control(true);
        marker.append(clock.millis(), KeyedRecords.bytes("ctl"), KeyedRecords.bytes("commit"));
        ByteBuffer control = marker.build();
        log.append(control.duplicate(), 0);
        log.append(batch(Compression.none(), clock.millis(), List.of(kv("ctl", "value"))), 0);
        log.roll();
        cleaner.cleanNow(log);
        List<RecordBatch> batches = KeyedRecords.batches(log);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).isControlBatch()).isTrue();
        assertThat(batches.get(0).buffer()).isEqualTo(control.duplicate().position(0));
    }
}
