package io.tributary.bench.micro;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link FetchReadBenchmark}'s read at a random offset when the segment's data has left the page cache (a consumer far
 * behind on a broker short of memory): before each read the segment file's cached pages are dropped with
 * {@code dd iflag=nocache count=0} (GNU dd: {@code posix_fadvise(DONTNEED)} on the whole file; no privileges needed),
 * so the batch-header reads go to the disk. The offset and time indexes are memory-mapped and stay resident, as on a
 * broker. One read per measurement (single shot), so the figure includes the disk's latency and its spread on this
 * machine. Linux with GNU coreutils only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, batchSize = 1)
@Measurement(iterations = 30, batchSize = 1)
@Fork(1)
public class FetchReadColdBenchmark {
    @Param({"1", "160"})
    public int batchRecords;

    private Path dir;
    private ExecutorService background;
    private PartitionLog log;
    private List<Path> segmentFiles;
    private final SplittableRandom random = new SplittableRandom(23);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fetch-read-cold-bench");
        background = Executors.newSingleThreadExecutor(r -> new Thread(r, "fetch-cold-bench-flush"));
        log = FetchReadBenchmark.filledLog(dir, batchRecords, background);
        try (Stream<Path> files = Files.walk(dir)) {
            segmentFiles = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
    }

    @Setup(Level.Invocation)
    public void dropCachedPages() throws IOException, InterruptedException {
        for (Path file : segmentFiles) {
            Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).start();
            dd.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!dd.waitFor(10, TimeUnit.SECONDS) || dd.exitValue() != 0) {
                throw new IllegalStateException("dd could not drop the cached pages of " + file);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        log.close();
        background.shutdown();
        background.awaitTermination(30, TimeUnit.SECONDS);
        FetchReadBenchmark.delete(dir);
    }

    @Benchmark
    public int coldRandomRead() {
        try (LogSlice slice = log.read(random.nextLong(log.logEndOffset()), FetchReadBenchmark.FETCH_BYTES, true)) {
            return slice.length();
        }
    }
}
