package io.tributary.bench.micro;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
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

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A parked request's deadline as the fetch and produce purgatories keep it, on the request's thread: set when the
 * request parks, cancelled when data (or the followers' acknowledgement) completes it first, the usual end of a long
 * poll under load. {@code wheel} is what both purgatories used before (Netty's HashedWheelTimer, 10 ms ticks, 512
 * buckets: an enqueue, and a thread that ticks 100 times a second for the broker's life once anything parked);
 * {@code heap} is what they use now (a ScheduledThreadPoolExecutor of one thread with remove-on-cancel: a heap insert
 * under a lock, a signal when the new deadline is the nearest, and a thread that sleeps until the nearest one). With
 * {@code pending} other deadlines parked far in the future, each new one is the nearest, so the heap pays its signal
 * every time: the worst case for it. The timer threads' own CPU is not in these figures (the wheel's ticking was
 * measured in docs/performance/broker-cpu-2026-12-06.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PurgatoryDeadlineBenchmark {
    /** A consumer's fetch.max.wait.ms default. */
    private static final long MAX_WAIT_MS = 500;

    @Param({"0", "1000"})
    public int pending;

    private HashedWheelTimer wheel;
    private ScheduledThreadPoolExecutor heap;

    @Setup(Level.Trial)
    public void setUp() {
        wheel = new HashedWheelTimer(new DefaultThreadFactory("bench-wheel", true), 10, TimeUnit.MILLISECONDS, 512);
        // as server.api.DeadlineTimer builds it (bench's main code does not depend on the broker, so it is spelt out)
        heap = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("bench-heap", true));
        heap.setRemoveOnCancelPolicy(true);
        heap.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        for (int i = 0; i < pending; i++) {
            wheel.newTimeout(t -> { }, 10, TimeUnit.MINUTES);
            heap.schedule(() -> { }, 10, TimeUnit.MINUTES);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wheel.stop();
        heap.shutdownNow();
    }

    @Benchmark
    public boolean wheel() {
        Timeout deadline = wheel.newTimeout(t -> { }, MAX_WAIT_MS, TimeUnit.MILLISECONDS);
        return deadline.cancel();
    }

    @Benchmark
    public boolean heap() {
        ScheduledFuture<?> deadline = heap.schedule(() -> { }, MAX_WAIT_MS, TimeUnit.MILLISECONDS);
        return deadline.cancel(false);
    }
}
