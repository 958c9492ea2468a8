package io.tributary.log;

import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Readers racing one writer (with rolls and retention) only ever see whole, valid, contiguous batches. */
class ConcurrentReadWriteTest {
    @TempDir
    Path dir;

    @Test
    void readersNeverSeeAHalfWrittenBatch() throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        PartitionLog log = PartitionLog.open(dir, LogTestSupport.TP,
            LogTestSupport.config(Map.of("segment.bytes", "20000", "index.interval.bytes", "500", "retention.bytes", "60000")),
            0, true, clock, Runnable::run);
        int batches = 3000;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < batches; i++) {
                    log.append(TestBatches.batch(1 + i % 7, clock.millis(), 50 + i % 300), 0);
                    if (i % 200 == 0) {
                        log.deleteRetainedSegments();
                    }
                }
                done.set(true);
                return null;
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    long checked = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!done.get() && System.nanoTime() < deadline) {
                        long start = log.logStartOffset();
                        long end = log.logEndOffset();
                        long from = start + (end > start ? (long) (Math.random() * (end - start)) : 0);
                        try (LogSlice slice = log.read(from, 8000, true)) {
                            ByteBuffer bytes = slice.readIntoHeap();
                            long expected = -1;
                            for (RecordBatch batch : TestBatches.split(bytes)) {
                                batch.ensureValid();
                                if (expected >= 0) {
                                    assertThat(batch.baseOffset()).isEqualTo(expected);
                                } else {
                                    assertThat(batch.baseOffset()).isLessThanOrEqualTo(from);
                                    assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(from);
                                }
                                expected = batch.nextOffset();
                                checked++;
                            }
                        } catch (OffsetOutOfRangeException e) {
                            // retention moved the start past `from` between the two reads: allowed
                        }
                    }
                    return checked;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Long> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
            log.close();
        }
    }
}
