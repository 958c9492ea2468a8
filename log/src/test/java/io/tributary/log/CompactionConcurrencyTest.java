package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.cleaner.CleanerStats;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tributary.log.KeyedRecords.batch;
import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;

/** A cleaning pass never holds up appends or reads: they only wait for the swap of the segment map. */
class CompactionConcurrencyTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
    PartitionLog log;

    @AfterEach
    void cleanUp() {
        pool.shutdownNow();
        if (log != null) {
            log.close();
        }
        cleaner.close();
    }

    private PartitionLog openLog() {
        log = LogTestSupport.open(dir, LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", "2000")), clock);
        return log;
    }

    private static List<Entry> append(PartitionLog log, int from, int batches, ManualClock clock) {
        List<Entry> written = new ArrayList<>();
        for (int i = from; i < from + batches; i++) {
            List<KeyValue> records = List.of(kv("key-" + i % 17, "value-" + i), kv("key-" + (i * 7) % 17, "other-" + i));
            AppendResult result = log.append(batch(Compression.lz4(), clock.millis(), records), 0);
            for (int r = 0; r < records.size(); r++) {
                written.add(new Entry(result.firstOffset() + r, clock.millis(), records.get(r).key(), records.get(r).value()));
            }
        }
        return written;
    }

    @Test
    void appendsReadsRollsAndFlushesProceedWhileAPassIsInTheMiddleOfASwap() throws Exception {
        PartitionLog log = openLog();
        List<Entry> written = new ArrayList<>(append(log, 0, 200, clock));
        log.roll();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        log.onSwapStep(step -> {
            if (step.equals("swap committed") && paused.getCount() > 0) {
                paused.countDown();
                try {
                    assertThat(resume.await(30, TimeUnit.SECONDS)).as("test released the pass").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Future<CleanerStats> cleaning = pool.submit(() -> cleaner.cleanNow(log));
        assertThat(paused.await(30, TimeUnit.SECONDS)).as("the pass reached its first swap").isTrue();

        // The pass holds the log's cleaning lock, half-way through a swap. Everything else goes on.
        Future<List<Entry>> work = pool.submit(() -> {
            List<Entry> more = append(log, 200, 150, clock);
            log.roll();
            log.flush();
            assertThat(log.deleteRetainedSegments()).isZero();
            for (long offset = 0; offset < log.logEndOffset(); offset += 37) {
                try (LogSlice slice = log.read(offset, 4096, true)) {
                    List<RecordBatch> batches = TestBatches.split(slice.readIntoHeap());
                    assertThat(batches).isNotEmpty();
                    batches.forEach(RecordBatch::ensureValid);
                    assertThat(batches.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
                }
            }
            return more;
        });
        written.addAll(work.get(30, TimeUnit.SECONDS));
        assertThat(cleaning.isDone()).as("the pass was in progress all along").isFalse();

        resume.countDown();
        cleaning.get(30, TimeUnit.SECONDS);
        log.onSwapStep(step -> { });
        cleaner.cleanNow(log); // the records appended meanwhile
        assertThat(KeyedRecords.entries(log)).containsExactlyInAnyOrderElementsOf(KeyedRecords.latestPerKey(written).values());
    }

    @Test
    void writerReadersAndRepeatedCleaningRaceWithoutCorruptionOrLoss() throws Exception {
        PartitionLog log = openLog();
        AtomicBoolean done = new AtomicBoolean();
        Future<List<Entry>> writer = pool.submit(() -> {
            List<Entry> written = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                written.addAll(append(log, round * 50, 50, clock));
            }
            done.set(true);
            return written;
        });
        Future<Integer> cleanings = pool.submit(() -> {
            int passes = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.get() && System.nanoTime() < deadline) {
                passes += cleaner.cleanNow(log).passes();
            }
            return passes;
        });
        List<Future<Long>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(pool.submit(() -> {
                long checked = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!done.get() && System.nanoTime() < deadline) {
                    long end = log.logEndOffset();
                    long from = end == 0 ? 0 : ThreadLocalRandom.current().nextLong(end);
                    try (LogSlice slice = log.read(from, 8000, true)) {
                        ByteBuffer bytes = slice.readIntoHeap();
                        long previous = -1;
                        for (RecordBatch batch : TestBatches.split(bytes)) {
                            batch.ensureValid();
                            assertThat(batch.baseOffset()).isGreaterThan(previous);
                            if (previous < 0) {
                                assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(from);
                            }
                            previous = batch.lastOffset();
                            checked++;
                        }
                    }
                }
                return checked;
            }));
        }
        List<Entry> written = writer.get(60, TimeUnit.SECONDS);
        assertThat(cleanings.get(60, TimeUnit.SECONDS)).isPositive();
        for (Future<Long> reader : readers) {
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        }
        log.roll();
        cleaner.cleanNow(log);
        List<Entry> survivors = KeyedRecords.entries(log);
        assertThat(survivors).containsExactlyInAnyOrderElementsOf(KeyedRecords.latestPerKey(written).values());
        assertThat(log.logEndOffset()).isEqualTo(written.get(written.size() - 1).offset() + 1);
    }
}
