package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.cleaner.CleanerStats;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures, and prints, what compaction buys on a log of 1,000,000 small keyed records over 1,000 keys: size,
 * segment count, reopen time after a clean stop and after a crash (a full recovery scan from offset 0), and
 * the time to read the whole log through slices, before and after one cleaning. Nothing timed is asserted
 * (figures vary with the machine); only that compaction kept the latest value of each key.
 *
 * <p>A measurement, not part of the suite (its name matches none of surefire's includes); run it with
 * {@code mvn -o verify -pl protocol,log -Dtest=CompactionMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CompactionMeasurement {
    private static final int KEYS = 1_000;
    private static final int RECORDS = 1_000_000;
    private static final int PER_BATCH = 100;

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);

    @Test
    void sizeAndReopenAndScanTimeBeforeAndAfterCompaction() throws IOException {
        LogConfig cfg = LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(4 << 20)));
        PartitionLog log = LogTestSupport.open(dir, cfg, clock);
        long appendStart = System.nanoTime();
        for (int first = 0; first < RECORDS; first += PER_BATCH) {
            RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none(), 4096);
            for (int i = first; i < first + PER_BATCH; i++) {
                builder.append(clock.millis(), utf8(String.format("key-%04d", i % KEYS)), utf8(String.format("value-%09d", i)));
            }
            log.append(builder.build(), 0);
            clock.advance(1);
        }
        log.roll();
        long appendNanos = System.nanoTime() - appendStart;
        Figures before = measure(log, cfg);
        log = before.reopened();

        LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        CleanerStats stats;
        try {
            stats = cleaner.cleanNow(log);
        } finally {
            cleaner.close();
        }
        Figures after = measure(log, cfg);
        log = after.reopened();
        try {
            System.out.printf(Locale.ROOT, "Compaction of %,d records over %,d keys (%d per batch, uncompressed; appended in %d ms):%n",
                RECORDS, KEYS, PER_BATCH, appendNanos / 1_000_000);
            System.out.printf(Locale.ROOT, "  %-7s %14s %9s %17s %19s %14s%n", "", "bytes", "segments", "reopen clean ms",
                "reopen crashed ms", "full read ms");
            before.print("before");
            after.print("after");
            System.out.printf(Locale.ROOT, "  cleaning: %d pass(es), %d ms, %,d bytes read, %,d written, %,d of %,d records removed; "
                    + "size ratio %.4f, crashed-reopen ratio %.3f, read ratio %.3f%n",
                stats.passes(), stats.elapsedNanos() / 1_000_000, stats.bytesRead(), stats.bytesWritten(), stats.recordsRemoved(),
                stats.recordsRead(), (double) after.bytes() / before.bytes(), (double) after.crashedReopenNanos() / before.crashedReopenNanos(),
                (double) after.readNanos() / before.readNanos());

            Map<String, Entry> latest = KeyedRecords.latestPerKey(KeyedRecords.entries(log));
            assertThat(KeyedRecords.entries(log)).hasSize(KEYS);
            for (int k = 0; k < KEYS; k++) {
                int lastWrite = RECORDS - KEYS + k;
                assertThat(latest.get(String.format("key-%04d", k)).value()).isEqualTo(String.format("value-%09d", lastWrite));
            }
        } finally {
            log.close();
        }
    }

    /** Figures of one state of the log; {@code reopened} is the log, open again, for the caller to go on with. */
    private record Figures(long bytes, int segments, long cleanReopenNanos, long crashedReopenNanos, long readNanos,
                           PartitionLog reopened) {
        void print(String label) {
            System.out.printf(Locale.ROOT, "  %-7s %,14d %9d %17.1f %19.1f %14.1f%n", label, bytes, segments,
                cleanReopenNanos / 1e6, crashedReopenNanos / 1e6, readNanos / 1e6);
        }
    }

    private Figures measure(PartitionLog log, LogConfig cfg) throws IOException {
        long bytes = log.sizeInBytes();
        int segments = log.segments().size();
        log.close();

        long start = System.nanoTime();
        PartitionLog clean = LogTestSupport.open(dir, cfg, clock);
        long cleanReopen = System.nanoTime() - start;
        clean.close();

        start = System.nanoTime();
        PartitionLog crashed = LogTestSupport.reopenUnclean(dir, cfg, clock, 0);
        long crashedReopen = System.nanoTime() - start;

        start = System.nanoTime();
        long batches = 0;
        long next = crashed.logStartOffset();
        for (int reads = 0; reads < 10_000_000; reads++) {
            try (LogSlice slice = crashed.read(next, 1 << 20, true)) {
                if (slice.isEmpty()) {
                    break;
                }
                ByteBuffer bytesRead = slice.readIntoHeap();
                batches += TestBatches.split(bytesRead).size();
                next = slice.nextOffset();
            }
        }
        long read = System.nanoTime() - start;
        assertThat(batches).isPositive();
        assertThat(next).isLessThanOrEqualTo(crashed.logEndOffset());
        return new Figures(bytes, segments, cleanReopen, crashedReopen, read, crashed);
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
