package io.tributary.bench.micro;

import io.tributary.log.LogConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One partition log in a temporary directory (page cache; fsync only of rolled segments, in the background,
 * as the broker does): appending a 16 KiB batch of 16 x 1 KiB records, and reading 1 MiB from a random
 * offset of a 64 MiB log — the offset-index lookup, the slice and the copy of its bytes into a buffer.
 * Appends keep the directory bounded: 64 MiB segments, retention at 256 MiB applied every 64 MiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LogBenchmark {
    private static final int READ_BYTES = 1024 * 1024;
    private Path dir;
    private ExecutorService background;
    private PartitionLog appendLog;
    private PartitionLog readLog;
    private ByteBuffer batch;
    private ByteBuffer readBuffer;
    private long appends;
    private final SplittableRandom random = new SplittableRandom(9);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("log-bench");
        background = Executors.newSingleThreadExecutor(r -> new Thread(r, "log-bench-flush"));
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (byte[] value : BatchPayload.values(16, 1024, 4)) {
            builder.append(1_700_000_000_000L, null, ByteBuffer.wrap(value));
        }
        ByteBuffer heap = builder.build();
        batch = ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip();
        LogConfig config = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", Integer.toString(64 * 1024 * 1024), "retention.bytes", Integer.toString(256 * 1024 * 1024)));
        appendLog = PartitionLog.open(dir.resolve("append-0"), new TopicPartition("append", 0), config, 0, true, Clock.systemUTC(), background);
        readLog = PartitionLog.open(dir.resolve("read-0"), new TopicPartition("read", 0), config, 0, true, Clock.systemUTC(), background);
        while (readLog.sizeInBytes() < 64L * 1024 * 1024 - batch.remaining()) {
            readLog.append(batch.duplicate(), LeaderEpochs.SINGLE_BROKER);
        }
        readBuffer = ByteBuffer.allocateDirect(READ_BYTES + batch.remaining());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        appendLog.close();
        readLog.close();
        background.shutdown();
        background.awaitTermination(30, TimeUnit.SECONDS);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public Object append() {
        Object result = appendLog.append(batch.duplicate(), LeaderEpochs.SINGLE_BROKER);
        if (++appends % 4096 == 0) {
            appendLog.deleteRetainedSegments();
        }
        return result;
    }

    @Benchmark
    public int read() throws IOException {
        long offset = random.nextLong(readLog.logEndOffset());
        try (LogSlice slice = readLog.read(offset, READ_BYTES, true)) {
            readBuffer.clear().limit(slice.length());
            int read = 0;
            while (readBuffer.hasRemaining()) {
                int n = slice.channel().read(readBuffer, slice.position() + read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return read;
        }
    }
}
