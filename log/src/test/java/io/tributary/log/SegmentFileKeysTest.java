package io.tributary.log;

import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic keys that shape a partition's files: {@code preallocate}, {@code segment.jitter.ms},
 * {@code file.delete.delay.ms}, and {@code compression.type}'s stored form.
 */
class SegmentFileKeysTest {
    static final long T0 = 1_800_000_000_000L;
    final Path dir = TempDirs.create();
    final ManualClock clock = new ManualClock(T0);

    @AfterEach
    void cleanUp() {
        TempDirs.delete(dir);
    }

    private static long fileSize(Path file) throws Exception {
        return Files.size(file);
    }

    private Path logFile(long base) {
        return dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
    }

    @Test
    void preallocatedSegmentsHaveTheirFullLengthWhileActiveAndAreTrimmedAtRollAndClose() throws Exception {
        LogConfig config = LogTestSupport.config(Map.of("preallocate", "true", "segment.bytes", "65536"));
        PartitionLog log = LogTestSupport.open(dir, config, clock);
        assertThat(fileSize(logFile(0))).isEqualTo(65536);
        for (int i = 0; i < 5; i++) {
            log.append(TestBatches.batch(10, T0, 100), 0);
        }
        LogSegment first = log.segments().get(0);
        assertThat(fileSize(logFile(0))).isEqualTo(65536);
        assertThat(first.size()).isLessThan(65536).isPositive();
        assertThat(LogTestSupport.readFrom(log, 0, 1 << 20)).hasSize(5);

        int firstSize = first.size();
        log.roll();
        assertThat(fileSize(logFile(0))).as("trimmed at roll").isEqualTo(firstSize);
        assertThat(fileSize(logFile(50))).as("the new segment is preallocated").isEqualTo(65536);
        log.append(TestBatches.batch(3, T0, 100), 0);
        int secondSize = log.segments().get(1).size();
        log.close();
        assertThat(fileSize(logFile(50))).as("trimmed at close").isEqualTo(secondSize);

        PartitionLog reopened = LogTestSupport.open(dir, config, clock);
        assertThat(reopened.logEndOffset()).isEqualTo(53);
        assertThat(LogTestSupport.readFrom(reopened, 0, 1 << 20)).hasSize(6);
        reopened.close();
    }

    @Test
    void recoveryStopsAtThePreallocatedZerosOfACrashedSegment() throws Exception {
        LogConfig config = LogTestSupport.config(Map.of("preallocate", "true", "segment.bytes", "65536"));
        PartitionLog crashed = LogTestSupport.open(dir, config, clock);
        crashed.append(TestBatches.batch(10, T0, 100), 0);
        crashed.append(TestBatches.batch(10, T0, 100), 0);
        crashed.flush();
        int written = crashed.segments().get(0).size();
        assertThat(fileSize(logFile(0))).isEqualTo(65536);
        // no close: the file keeps its preallocated zeros, as after a crash

        PartitionLog recovered = LogTestSupport.reopenUnclean(dir, config, clock, 0);
        assertThat(recovered.logEndOffset()).isEqualTo(20);
        assertThat(fileSize(logFile(0))).as("the zeros are cut off").isEqualTo(written);
        recovered.append(TestBatches.batch(1, T0, 100), 0);
        assertThat(LogTestSupport.readFrom(recovered, 0, 1 << 20)).hasSize(3);
        recovered.close();
    }

    @Test
    void withoutPreallocateTheFileIsOnlyItsBatches() throws Exception {
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(Map.of("segment.bytes", "65536")), clock);
        assertThat(fileSize(logFile(0))).isZero();
        log.append(TestBatches.batch(10, T0, 100), 0);
        assertThat(fileSize(logFile(0))).isEqualTo(log.segments().get(0).size());
        log.close();
    }

    @Test
    void segmentJitterTakesARandomAmountBelowTheBoundOffEachSegmentsRollTime() {
        LogConfig jittered = LogTestSupport.config(Map.of("segment.ms", "10000", "segment.jitter.ms", "4000"));
        PartitionLog log = LogTestSupport.open(dir, jittered, clock);
        List<Long> jitters = new ArrayList<>();
        for (int segment = 0; segment < 20; segment++) {
            LogSegment active = log.segments().get(log.segments().size() - 1);
            long jitter = active.rollJitterMs();
            assertThat(jitter).isBetween(0L, 3999L);
            jitters.add(jitter);
            log.append(TestBatches.batch(1, clock.millis(), 10), 0); // starts the segment's roll clock
            clock.advance(10_000 - jitter - 1);
            log.append(TestBatches.batch(1, clock.millis(), 10), 0);
            assertThat(log.segments().get(log.segments().size() - 1)).as("not yet due").isSameAs(active);
            clock.advance(1);
            log.append(TestBatches.batch(1, clock.millis(), 10), 0);
            assertThat(log.segments().get(log.segments().size() - 1)).as("due at segment.ms - jitter").isNotSameAs(active);
        }
        assertThat(jitters.stream().distinct().count()).as("drawn per segment").isGreaterThan(1);
        log.close();

        Path plainDir = TempDirs.create();
        try {
            PartitionLog plain = LogTestSupport.open(plainDir, LogTestSupport.config(Map.of()), clock);
            assertThat(plain.segments().get(0).rollJitterMs()).isZero();
            plain.close();
        } finally {
            TempDirs.delete(plainDir);
        }
    }

    @Test
    void removedSegmentsAreRenamedDeletedAndRemovedAfterTheDelayWhileSlicesStayReadable() throws Exception {
        List<Runnable> scheduled = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        LogContext context = new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run),
            LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS, (task, delayMs) -> {
                scheduled.add(task);
                delays.add(delayMs);
            });
        LogConfig config = LogTestSupport.config(Map.of("retention.ms", "1000", "file.delete.delay.ms", "30000"));
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, config, 0, true, context);
        log.append(TestBatches.batch(10, clock.millis(), 100), 0);
        log.roll();
        log.append(TestBatches.batch(10, clock.millis() + 5000, 100), 0);
        clock.advance(2000);

        try (LogSlice before = log.read(0, 1 << 20, true)) {
            assertThat(log.deleteRetainedSegments()).isEqualTo(1);
            assertThat(log.logStartOffset()).isEqualTo(10);
            assertThat(logFile(0)).doesNotExist();
            Path deleted = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX);
            assertThat(deleted).exists();
            assertThat(dir.resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX) + LogSegment.DELETED_SUFFIX)).exists();
            assertThat(dir.resolve(LogSegment.fileName(0, LogSegment.TIME_INDEX_SUFFIX) + LogSegment.DELETED_SUFFIX)).exists();
            assertThat(delays).containsExactly(30_000L);

            ByteBuffer read = before.readIntoHeap();
            assertThat(RecordBatch.at(read, 0).baseOffset()).isZero();
            assertThat(RecordBatch.at(read, 0).isChecksumValid()).isTrue();

            scheduled.forEach(Runnable::run);
            assertThat(deleted).doesNotExist();
            assertThat(before.readIntoHeap()).as("a slice taken before still reads its bytes").isEqualTo(read);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(LogSegment.DELETED_SUFFIX));
            }
        }
        log.close();
    }

    @Test
    void theCleanersSwapRenamesReplacedSegmentsToDeletedAndDeletesThemAfterTheDelay() throws Exception {
        List<Runnable> scheduled = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        LogContext context = new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run),
            LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS, (task, delayMs) -> {
                scheduled.add(task);
                delays.add(delayMs);
            });
        LogConfig config = LogTestSupport.config(Map.of("cleanup.policy", "compact", "file.delete.delay.ms", "30000"));
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, config, 0, true, context);
        io.tributary.log.cleaner.LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        try {
            for (int round = 0; round < 2; round++) {
                log.append(KeyedRecords.batch(io.tributary.protocol.record.compression.Compression.none(), clock.millis(),
                    List.of(KeyedRecords.kv("a", "a" + round), KeyedRecords.kv("b", "b" + round))), 0);
                log.roll();
            }
            try (LogSlice before = log.read(0, 1 << 20, true)) {
                ByteBuffer read = before.readIntoHeap();
                cleaner.cleanNow(log);

                assertThat(KeyedRecords.entries(log)).extracting(KeyedRecords.Entry::offset).containsExactly(2L, 3L);
                assertThat(logFile(0)).as("the cleaned segment took the first one's name").exists();
                assertThat(logFile(2)).doesNotExist();
                for (long base : new long[] {0, 2}) {
                    for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
                        assertThat(dir.resolve(LogSegment.fileName(base, suffix) + LogSegment.DELETED_SUFFIX)).exists();
                    }
                }
                assertThat(delays).containsExactly(30_000L, 30_000L);
                assertThat(before.readIntoHeap()).as("a slice taken before the swap still reads its bytes").isEqualTo(read);

                scheduled.forEach(Runnable::run);
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(LogSegment.DELETED_SUFFIX));
                }
                assertThat(KeyedRecords.entries(log)).extracting(KeyedRecords.Entry::offset).containsExactly(2L, 3L);
            }
        } finally {
            cleaner.close();
            log.close();
        }
    }

    @Test
    void deletedFilesLeftByAStopAreRemovedAtTheNextStart() throws Exception {
        LogContext neverRuns = new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run),
            LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS, (task, delayMs) -> { });
        LogConfig config = LogTestSupport.config(Map.of("retention.ms", "1000"));
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, config, 0, true, neverRuns);
        log.append(TestBatches.batch(10, clock.millis(), 100), 0);
        log.roll();
        log.append(TestBatches.batch(10, clock.millis() + 5000, 100), 0);
        clock.advance(2000);
        assertThat(log.deleteRetainedSegments()).isEqualTo(1);
        Path deleted = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX);
        assertThat(deleted).exists();
        log.close();

        PartitionLog reopened = LogTestSupport.open(dir, config, clock);
        assertThat(deleted).doesNotExist();
        assertThat(reopened.logStartOffset()).isEqualTo(10);
        reopened.close();
    }

    @Test
    void truncationRenamesTheSegmentsItRemovesToo() {
        List<Runnable> scheduled = new ArrayList<>();
        LogContext context = new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run),
            LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS, (task, delayMs) -> scheduled.add(task));
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP, LogTestSupport.config(Map.of()), 0, true, context);
        log.append(TestBatches.batch(10, clock.millis(), 100), 0);
        log.roll();
        log.append(TestBatches.batch(10, clock.millis(), 100), 0);
        log.truncateTo(10);
        assertThat(dir.resolve(LogSegment.fileName(10, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX)).exists();
        assertThat(log.logEndOffset()).isEqualTo(10);
        scheduled.forEach(Runnable::run);
        assertThat(dir.resolve(LogSegment.fileName(10, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX)).doesNotExist();
        log.close();
    }

    @Test
    void compressionTypeStoresEveryNewBatchInTheTopicsCodec() {
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(Map.of("compression.type", "zstd")), clock);
        log.append(TestBatches.batch(10, clock.millis(), 100), 0);
        List<ByteBuffer> stored = LogTestSupport.readFrom(log, 0, 1 << 20);
        assertThat(stored).hasSize(1);
        RecordBatch batch = RecordBatch.at(stored.get(0), 0);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.ZSTD);
        assertThat(batch.recordCount()).isEqualTo(10);
        assertThat(batch.baseOffset()).isZero();
        log.close();
    }
}
