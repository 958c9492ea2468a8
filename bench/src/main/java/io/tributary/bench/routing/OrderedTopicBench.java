package io.tributary.bench.routing;

import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.consumer.RecordFilter;
import io.tributary.clients.routing.consumer.RoutingConsumer;
import io.tributary.clients.serialization.ByteArrayDeserializer;
import io.tributary.clients.serialization.ByteArraySerializer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Ordered topics through a running broker, with Tributary's clients:
 *
 * <ul>
 *   <li>throughput: the same keyed records sent by {@code TributaryProducer} to an ordered topic and to a plain (hash)
 *       topic of the same partition count, rounds alternating which goes first, best round of each reported;</li>
 *   <li>the hold's delay: a producer writes keyed records at a fixed rate to an ordered topic, a group of
 *       {@code RoutingConsumer}s keeps up (committing after each poll), and the topic grows; for records written in the
 *       second after each growth, the end-to-end latency (create time to hand-out) of those on the added partitions —
 *       held until the group commits past the fences — against those on the old partitions, and the same run on a
 *       hash topic (no hold; its added partitions wait only for the group's rebalance) as the baseline.</li>
 * </ul>
 * Start a broker first ({@code bin/tributary server}); run with {@code java -cp bench/target/tributary-bench.jar
 * io.tributary.bench.routing.OrderedTopicBench --bootstrap 127.0.0.1:9092}.
 */
@Command(name = "ordered-topic", mixinStandardHelpOptions = true,
    description = "Ordered against plain topic throughput with our producer, and the delay the hold adds after a growth.")
public final class OrderedTopicBench implements Callable<Integer> {
    @Option(names = "--bootstrap", description = "Broker address (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:9092";

    @Option(names = "--records", description = "Records per throughput round (default: ${DEFAULT-VALUE}).")
    int records = 1_000_000;

    @Option(names = "--record-bytes", description = "Value size (default: ${DEFAULT-VALUE}).")
    int recordBytes = 100;

    @Option(names = "--keys", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int keys = 100_000;

    @Option(names = "--partitions", description = "Partitions of the throughput topics (default: ${DEFAULT-VALUE}).")
    int partitions = 12;

    @Option(names = "--rounds", description = "Throughput rounds per topic (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--compression", description = "Producer compression.type (default: ${DEFAULT-VALUE}).")
    String compression = "none";

    @Option(names = "--rate", description = "Records per second during the hold measurement (default: ${DEFAULT-VALUE}).")
    int rate = 20_000;

    @Option(names = "--consumers", description = "Consumers in the group during the hold measurement (default: ${DEFAULT-VALUE}).")
    int consumers = 3;

    @Option(names = "--skip-throughput", description = "Only measure the hold.")
    boolean skipThroughput;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OrderedTopicBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!skipThroughput) {
                throughput(admin, run);
            }
            // The same run on a hash topic is the baseline: its added partitions wait only for the rebalance.
            hold(admin, run, false);
            hold(admin, run, true);
        }
        return 0;
    }

    private void throughput(Admin admin, String run) throws Exception {
        String plain = "bench-plain-" + run;
        String ordered = "bench-ordered-" + run;
        admin.createTopics(List.of(new NewTopic(plain, partitions, (short) 1),
            new NewTopic(ordered, partitions, (short) 1).configs(Map.of("routing.mode", "ordered")))).all().get();
        byte[][] keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            keyBytes[k] = String.format("key-%08d", k).getBytes(StandardCharsets.UTF_8);
        }
        byte[] value = new byte[recordBytes];
        new Random(1).nextBytes(value);
        double bestPlain = 0;
        double bestOrdered = 0;
        try (var producer = new TributaryProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            // Warm-up: JIT, connections, the routing mode lookups.
            send(producer, plain, keyBytes, value, records / 10);
            send(producer, ordered, keyBytes, value, records / 10);
            for (int round = 0; round < rounds; round++) {
                boolean plainFirst = round % 2 == 0;
                double first = send(producer, plainFirst ? plain : ordered, keyBytes, value, records);
                double second = send(producer, plainFirst ? ordered : plain, keyBytes, value, records);
                double p = plainFirst ? first : second;
                double o = plainFirst ? second : first;
                System.out.printf("round %d: plain %.0f records/s, ordered %.0f records/s%n", round, p, o);
                bestPlain = Math.max(bestPlain, p);
                bestOrdered = Math.max(bestOrdered, o);
            }
        }
        System.out.printf("throughput, %d partitions, %d B values, %s: plain %.0f records/s, ordered %.0f records/s, ratio %.2f%n",
            partitions, recordBytes, compression, bestPlain, bestOrdered, bestOrdered / bestPlain);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("linger.ms", 5);
        c.put("batch.size", 65_536);
        c.put("compression.type", compression);
        return c;
    }

    /** Sends {@code count} keyed records and waits for all; returns records per second. */
    private static double send(TributaryProducer<byte[], byte[]> producer, String topic, byte[][] keys, byte[] value, int count) {
        long start = System.nanoTime();
        CompletableFuture<?> last = null;
        for (int i = 0; i < count; i++) {
            last = producer.send(new ProducerRecord<>(topic, keys[i % keys.length], value));
        }
        producer.flush();
        last.join();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private void hold(Admin admin, String run, boolean ordered) throws Exception {
        String topic = "bench-" + (ordered ? "hold-" : "nohold-") + run;
        admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1).configs(Map.of("routing.mode", ordered ? "ordered" : "hash"))))
            .all().get();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong[] growthAtMs = {new AtomicLong(Long.MAX_VALUE), new AtomicLong(Long.MAX_VALUE)};
        int[] growTo = {12, 18};
        // [growth][added?]: latency of records created within a second after that growth
        Histogram[][] latency = new Histogram[2][2];
        for (Histogram[] h : latency) {
            h[0] = new Histogram(3);
            h[1] = new Histogram(3);
        }
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", bootstrap);
            config.put("group.id", topic + "-group");
            config.put("auto.offset.reset", "earliest");
            config.put("enable.auto.commit", false);
            config.put("fetch.max.wait.ms", 50);
            config.put("metadata.max.age.ms", 500);
            Thread t = new Thread(() -> {
                try (var consumer = new RoutingConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer(), RecordFilter.all())) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        var polled = consumer.poll(Duration.ofMillis(100));
                        long now = System.currentTimeMillis();
                        for (ConsumerRecord<byte[], byte[]> r : polled) {
                            for (int g = 1; g >= 0; g--) {
                                long at = growthAtMs[g].get();
                                if (r.timestamp() >= at && r.timestamp() < at + 1000) {
                                    int before = g == 0 ? 6 : 12;
                                    Histogram h = latency[g][r.partition() >= before ? 1 : 0];
                                    synchronized (h) {
                                        h.recordValue(Math.max(0, now - r.timestamp()));
                                    }
                                    break;
                                }
                            }
                        }
                        if (!polled.isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                }
            }, "hold-consumer-" + c);
            t.start();
            threads.add(t);
        }
        Map<String, Object> pc = producerConfig();
        pc.put("metadata.max.age.ms", 500);
        try (var producer = new TributaryProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = new byte[recordBytes];
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            long next = start;
            int stage = 0;
            for (long i = 0; ; i++) {
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (stage < 2 && elapsedMs >= 4000L * (stage + 1)) {
                    // Each growth after 4 s of steady load, so the group is caught up when it happens.
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(growTo[stage]))).all().get();
                    growthAtMs[stage].set(System.currentTimeMillis());
                    stage++;
                }
                if (elapsedMs >= 12_000) {
                    break;
                }
                byte[] key = ByteBuffer.allocate(8).putLong(i % keys).array();
                producer.send(new ProducerRecord<>(topic, key, value));
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);   // pacing the producer to the rate, not synchronisation
                }
            }
            producer.flush();
        }
        Thread.sleep(3000);   // let the consumers drain what is left before stopping them
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        for (int g = 0; g < 2; g++) {
            Histogram old = latency[g][0];
            Histogram added = latency[g][1];
            System.out.printf("%s topic, growth %d -> %d at %d records/s, %d consumers: records created in the next second: "
                    + "old partitions p50 %d ms, p99 %d ms, max %d ms (%d records); added partitions p50 %d ms, p99 %d ms, max %d ms (%d records)%n",
                ordered ? "ordered" : "hash", g == 0 ? 6 : 12, growTo[g], rate, consumers,
                old.getValueAtPercentile(50), old.getValueAtPercentile(99), old.getMaxValue(), old.getTotalCount(),
                added.getValueAtPercentile(50), added.getValueAtPercentile(99), added.getMaxValue(), added.getTotalCount());
        }
        return;
    }
}
