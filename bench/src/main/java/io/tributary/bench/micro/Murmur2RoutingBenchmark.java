package io.tributary.bench.micro;

import io.tributary.protocol.routing.Murmur2;
import io.tributary.protocol.routing.RoutingMode;
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
 * Key routing as every Kafka producer does it: {@code toPositive(murmur2(key)) % partitions}, with
 * Tributary's {@code protocol.routing.Murmur2} and with kafka-clients' {@code Utils.murmur2}, which it must
 * match bit for bit; and the ordered routing of {@code routing.mode=ordered} topics (jump hash of the same
 * murmur2), whose extra cost over the modulo is the jump hash's loop (about ln(partitions) steps).
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
    public int tributary() {
        byte[] key = keys[next++ & 1023];
        return Murmur2.toPositive(Murmur2.hash(key)) % 12;
    }

    @Benchmark
    public int tributaryOrdered() {
        byte[] key = keys[next++ & 1023];
        return RoutingMode.ORDERED.partition(key, 12);
    }

    @Benchmark
    public int kafkaClients() {
        byte[] key = keys[next++ & 1023];
        return Utils.toPositive(Utils.murmur2(key)) % 12;
    }
}
