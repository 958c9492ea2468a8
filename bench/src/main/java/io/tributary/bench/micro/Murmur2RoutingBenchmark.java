package io.tributary.bench.micro;

import org.apache.kafka.common.utils.Utils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Key routing as every Kafka producer does it: {@code toPositive(murmur2(key)) % partitions}. Measured on
 * kafka-clients' murmur2, the function any client's routing must match bit for bit (Tributary's own client
 * routing is being written on another branch; once it lands it belongs next to this one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Murmur2RoutingBenchmark {
    @Param({"16", "100"})
    public int keySize;

    private byte[][] keys;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(3);
        keys = new byte[1024][keySize];
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
    }

    @Benchmark
    public int murmur2Partition() {
        byte[] key = keys[next++ & 1023];
        return Utils.toPositive(Utils.murmur2(key)) % 12;
    }
}
