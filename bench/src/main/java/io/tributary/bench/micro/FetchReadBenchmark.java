package io.tributary.bench.micro;

import io.tributary.log.LogConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a fetch does on a connection's Netty event loop per partition, before the bytes are sent (issue 17, "fetch reads
 * on the event loop"): {@link PartitionLog#read} finds the first batch (an offset-index lookup in an mmap, then batch
 * header preads from the index hint) and the slice's end (a position-index lookup, then header preads up to
 * {@code maxBytes}); the records themselves go out later by sendfile and are not read here.
 *
 * <ul>
 *   <li>{@code tailRead}: a consumer at the log end minus a few batches (what ConsumerPerformance and a caught-up consumer
 *       do), page cache hot; {@code randomRead}: a random offset of a 64 MiB log, page cache hot.</li>
 *   <li>{@code tailReadViaExecutor}: the same read handed to a single-thread executor and awaited, which is what moving
 *       the read off the event loop would add to every fetch (a hand-off and a wake-up) - the cost side of the trade.</li>
 * </ul>
 * {@code batchRecords}: 100 B records per batch. 1 is the worst case for the header walks (a batch per 170 bytes, about
 * 24 headers per {@code index.interval.bytes}); 160 is a 16 KiB batch. The cold-cache case (a lagging consumer whose
 * segment left the page cache) is measured by {@code FetchReadColdBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FetchReadBenchmark {
    static final int LOG_BYTES = 64 * 1024 * 1024;
    static final int FETCH_BYTES = 1024 * 1024;

    @Param({"1", "160"})
    public int batchRecords;

    private Path dir;
    private ExecutorService background;
    private ExecutorService reader;
    private PartitionLog log;
    private long tailOffset;
    private final SplittableRandom random = new SplittableRandom(17);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fetch-read-bench");
        background = Executors.newSingleThreadExecutor(r -> new Thread(r, "fetch-bench-flush"));
        reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "fetch-bench-reader"));
        log = filledLog(dir, batchRecords, background);
        // a consumer a little behind the end: 64 KiB back, so the read spans several batches
        long end = log.logEndOffset();
        tailOffset = Math.max(0, end - Math.max(1, 64 * 1024 / (batchRecords * 100)));
    }

    /** A 64 MiB log of batches of {@code batchRecords} x 100 B records, 64 MiB segments, flushed. */
    static PartitionLog filledLog(Path dir, int batchRecords, ExecutorService background) throws IOException {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (byte[] value : BatchPayload.values(batchRecords, 100, 5)) {
            builder.append(1_700_000_000_000L, null, ByteBuffer.wrap(value));
        }
        ByteBuffer heap = builder.build();
        ByteBuffer batch = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("segment.bytes", Integer.toString(LOG_BYTES + (1 << 20))));
        PartitionLog log = PartitionLog.open(dir.resolve("read-0"), new TopicPartition("read", 0), config, 0, true,
            Clock.systemUTC(), background);
        while (log.sizeInBytes() < LOG_BYTES - batch.remaining()) {
            log.append(batch.duplicate(), LeaderEpochs.SINGLE_BROKER);
        }
        log.flush();
        return log;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        log.close();
        background.shutdown();
        reader.shutdown();
        background.awaitTermination(30, TimeUnit.SECONDS);
        reader.awaitTermination(30, TimeUnit.SECONDS);
        delete(dir);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int readAt(long offset) {
        try (LogSlice slice = log.read(offset, FETCH_BYTES, true)) {
            return slice.length();
        }
    }

    @Benchmark
    public int tailRead() {
        return readAt(tailOffset);
    }

    @Benchmark
    public int randomRead() {
        return readAt(random.nextLong(log.logEndOffset()));
    }

    @Benchmark
    public int tailReadViaExecutor() {
        return CompletableFuture.supplyAsync(() -> readAt(tailOffset), reader).join();
    }
}
