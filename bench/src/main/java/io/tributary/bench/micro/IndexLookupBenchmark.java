package io.tributary.bench.micro;

import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.TimeIndex;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lookups in a full-size sparse index (a 1 GiB segment's worth: one entry per 4 KiB, 262,144 entries) at
 * random targets: the offset index's binary search for where a fetch starts, and the time index's for
 * ListOffsets by timestamp.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class IndexLookupBenchmark {
    private static final int ENTRIES = 262_144;
    private static final long BASE = 1_000_000;
    private Path dir;
    private OffsetIndex offsets;
    private TimeIndex times;
    private final SplittableRandom random = new SplittableRandom(5);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("index-bench");
        offsets = new OffsetIndex(dir.resolve("0.index"), BASE, ENTRIES * OffsetIndex.ENTRY_SIZE);
        times = new TimeIndex(dir.resolve("0.timeindex"), BASE, ENTRIES * TimeIndex.ENTRY_SIZE);
        for (int i = 0; i < ENTRIES; i++) {
            offsets.append(BASE + i * 4L + 3, i * 4096 + 1);
            times.maybeAppend(1_700_000_000_000L + i * 10L, BASE + i * 4L + 3);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        offsets.close();
        times.close();
        offsets.delete();
        times.delete();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public Object offsetLookup() {
        return offsets.lookup(BASE + random.nextLong(ENTRIES * 4L));
    }

    @Benchmark
    public Object timestampLookup() {
        return times.lastEntryBefore(1_700_000_000_000L + random.nextLong(ENTRIES * 10L));
    }
}
