package io.tributary.bench.clients;

import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.ByteArraySerializer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Tributary's producer against Apache Kafka's on the same broker, with the same settings, in the same run:
 * records/s and MB/s for each record size, acks and codec (each run on a fresh topic, the two clients
 * alternating which goes first), and publish latency percentiles at a fixed rate (from each record's intended
 * send time to its acknowledgement), in rounds that alternate which client goes first; latency runs come first.
 * Values are random letters, as Kafka's ProducerPerformance makes them (somewhat compressible). The figures are
 * printed, never asserted; the ratio ours/Kafka's is what to read.
 *
 * <pre>java -cp bench/target/tributary-bench.jar io.tributary.bench.clients.ProducerCompare --bootstrap-server 127.0.0.1:9092</pre>
 */
@Command(name = "producer-compare", mixinStandardHelpOptions = true,
    description = "Compare Tributary's producer with KafkaProducer: throughput and fixed-rate latency.")
public final class ProducerCompare implements Callable<Integer> {
    @Option(names = "--bootstrap-server", required = true, description = "host:port of the broker.")
    String bootstrap;

    @Option(names = "--bytes", description = "Total bytes of values per throughput run (default: ${DEFAULT-VALUE}).")
    long bytesPerRun = 100L * 1024 * 1024;

    @Option(names = "--sizes", split = ",", description = "Record value sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes = List.of(100, 1024);

    @Option(names = "--acks", split = ",", description = "acks settings (default: ${DEFAULT-VALUE}).")
    List<String> acks = List.of("1", "all");

    @Option(names = "--codecs", split = ",", description = "compression.type settings (default: ${DEFAULT-VALUE}).")
    List<String> codecs = List.of("none", "lz4");

    @Option(names = "--partitions", description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--rate", description = "Records/s of the latency runs (default: ${DEFAULT-VALUE}).")
    int rate = 20_000;

    @Option(names = "--latency-seconds", description = "Length of each latency run (default: ${DEFAULT-VALUE}).")
    int latencySeconds = 10;

    @Option(names = "--latency-rounds", description = "Latency rounds; each runs both clients, the first to go "
        + "alternating (A B, B A, ...), on the shared machine's noise (default: ${DEFAULT-VALUE}).")
    int latencyRounds = 3;

    @Option(names = "--warmup-seconds", description = "Unmeasured sending at the fixed rate before each latency run "
        + "(default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 2;

    @Option(names = "--no-throughput", negatable = false, description = "Skip the throughput runs.")
    boolean noThroughput;

    /** What record values hold. */
    enum ValueKind { letters, text }

    @Option(names = "--values", description = "Record values of the throughput runs: ${COMPLETION-CANDIDATES}; letters are "
        + "random A-Z as in Kafka's ProducerPerformance (lz4 barely compresses them), text is words as in log lines "
        + "(default: ${DEFAULT-VALUE}).")
    ValueKind valueKind = ValueKind.letters;

    private int topicCounter;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProducerCompare()).execute(args));
    }

    /** One client behind the common shape: send with a completion action, flush, close. */
    private interface Client extends AutoCloseable {
        void send(String topic, byte[] value, Runnable onAck);

        void flush();

        @Override
        void close();
    }

    private Map<String, Object> settings(String ack, String codec) {
        Map<String, Object> s = new HashMap<>();
        s.put("bootstrap.servers", bootstrap);
        s.put("acks", ack);
        s.put("compression.type", codec);
        s.put("linger.ms", "5");
        s.put("batch.size", "65536");
        return s;
    }

    private Client kafka(String ack, String codec) {
        Properties p = new Properties();
        p.putAll(settings(ack, codec));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
        return new Client() {
            public void send(String topic, byte[] value, Runnable onAck) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, value), (md, e) -> onAck.run());
            }

            public void flush() {
                producer.flush();
            }

            public void close() {
                producer.close();
            }
        };
    }

    private Client ours(String ack, String codec) {
        TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(settings(ack, codec), new ByteArraySerializer(),
            new ByteArraySerializer());
        return new Client() {
            public void send(String topic, byte[] value, Runnable onAck) {
                producer.send(new ProducerRecord<>(topic, value), (md, e) -> onAck.run());
            }

            public void flush() {
                producer.flush();
            }

            public void close() {
                producer.close();
            }
        };
    }

    private String newTopic(Admin admin) throws Exception {
        String topic = "producer-compare-" + ProcessHandle.current().pid() + "-" + (topicCounter++);
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    /** Words the "text" values are made of: like log lines, they repeat, so codecs find matches. */
    private static final String[] WORDS = {"order", "created", "shipped", "customer", "id", "status", "total", "EUR",
        "warehouse", "north", "south", "item", "quantity", "price", "2026-11-24T04:00:00Z", "ok", "retry", "user",
        "session", "payment", "accepted", "declined", "card", "region", "eu-west-1", "latency_ms", "bytes", "GET", "POST",
        "/api/v1/orders", "200", "404"};

    private static byte[][] payloads(int size, ValueKind kind) {
        Random random = new Random(42);
        byte[][] values = new byte[1024][size];
        for (byte[] v : values) {
            if (kind == ValueKind.text) {
                StringBuilder line = new StringBuilder(size + 32);
                while (line.length() < size) {
                    line.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(4) == 0 ? "=" + random.nextInt(1000) : "")
                        .append(' ');
                }
                System.arraycopy(line.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, v, 0, size);
            } else {
                for (int i = 0; i < size; i++) {
                    v[i] = (byte) ('A' + random.nextInt(26));
                }
            }
        }
        return values;
    }

    /** Records/s of sending {@code count} values and waiting for every acknowledgement. */
    private static double throughput(Client client, String topic, byte[][] values, long count) {
        // Warm the connection and metadata first, outside the measurement.
        client.send(topic, values[0], () -> { });
        client.flush();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            client.send(topic, values[(int) (i & 1023)], () -> { });
        }
        client.flush();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Latency at a fixed rate, in microseconds, from each record's intended send time (its slot in the schedule)
     * to its acknowledgement. Counting from the intended time rather than from the moment send was called
     * keeps coordinated omission out: when send blocks or the sending thread is descheduled, the records that
     * should have gone meanwhile are charged the wait, for both clients alike.
     *
     * <p>The sending thread parks until the next record is due and then sends every record that is due, rather
     * than spinning: on a 2-core machine a spinning sender takes a whole core from the producer's own threads
     * and the broker. The park's oversleep (tens of microseconds) is charged to the records, alike for both.
     */
    private Histogram latency(Client client, String topic, byte[][] values, int seconds) throws InterruptedException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long total = (long) rate * seconds;
        CountDownLatch done = new CountDownLatch((int) total);
        long interval = 1_000_000_000L / rate;
        client.send(topic, values[0], () -> { });
        client.flush();
        long start = System.nanoTime();
        long i = 0;
        while (i < total) {
            long now = System.nanoTime();
            long next = start + i * interval;
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            for (; i < total && start + i * interval <= now; i++) {
                long due = start + i * interval;
                client.send(topic, values[(int) (i & 1023)], () -> {
                    long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                    synchronized (histogram) {
                        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
                    }
                    done.countDown();
                });
            }
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            System.out.printf("  (%d of %d records not acknowledged within 120 s after the run)%n", done.getCount(), total);
        }
        return histogram;
    }

    /**
     * One fixed-rate run on a fresh topic: a warm-up at the same rate, then the measured part, while a thread that
     * sleeps 1 ms at a time records how late it wakes: the machine's own scheduling noise during the run, which
     * on a shared machine is what most of a latency tail is made of.
     */
    private Histogram latencyRun(Admin admin, boolean oursNow, byte[][] values, Histogram noise) throws Exception {
        try (Client client = oursNow ? ours("1", "none") : kafka("1", "none")) {
            String topic = newTopic(admin);
            if (warmupSeconds > 0) {
                latency(client, topic, values, warmupSeconds);
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread canary = new Thread(() -> {
                while (!stop.get()) {
                    long before = System.nanoTime();
                    LockSupport.parkNanos(1_000_000);
                    long lateMicros = (System.nanoTime() - before - 1_000_000) / 1000;
                    noise.recordValue(Math.max(0, Math.min(lateMicros, noise.getHighestTrackableValue())));
                }
            }, "noise-canary");
            canary.setDaemon(true);
            canary.start();
            try {
                return latency(client, topic, values, latencySeconds);
            } finally {
                stop.set(true);
                canary.join();
            }
        }
    }

    private static void printLatency(String name, Histogram h, Histogram noise) {
        System.out.printf("%-16s p50 %7d  p99 %7d  p99.9 %7d  max %7d%s%n", name, h.getValueAtPercentile(50),
            h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), noise == null ? ""
                : String.format("   (1 ms sleep overslept p99 %d, max %d)", noise.getValueAtPercentile(99), noise.getMaxValue()));
    }

    @Override
    public Integer call() throws Exception {
        Properties adminProps = new Properties();
        adminProps.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            // Latency first: after the throughput runs the broker's disk is still writing back gigabytes, which
            // would land on whichever client's latency run came next.
            System.out.printf("Publish latency at %d records/s of 100 B, acks=1, none, %d s per run after %d s of warm-up; "
                + "microseconds from the intended send time to the acknowledgement%n", rate, latencySeconds, warmupSeconds);
            byte[][] small = payloads(100, ValueKind.letters);
            Histogram oursAll = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            Histogram kafkaAll = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            for (int round = 0; round < latencyRounds; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean oursNow = (turn + round) % 2 == 0;
                    Histogram noise = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                    Histogram h = latencyRun(admin, oursNow, small, noise);
                    (oursNow ? oursAll : kafkaAll).add(h);
                    printLatency((oursNow ? "Tributary" : "Kafka") + " run " + (round + 1), h, noise);
                }
            }
            printLatency("Tributary all", oursAll, null);
            printLatency("Kafka all", kafkaAll, null);
            if (noThroughput) {
                return 0;
            }
            System.out.printf("%n%-6s %-4s %-5s | %14s %9s | %14s %9s | %s%n", "size", "acks", "codec", "Tributary rec/s", "MB/s",
                "Kafka rec/s", "MB/s", "ratio");
            int order = 0;
            for (int size : sizes) {
                byte[][] values = payloads(size, valueKind);
                long count = bytesPerRun / size;
                for (String ack : acks) {
                    for (String codec : codecs) {
                        double oursRate = 0;
                        double kafkaRate = 0;
                        for (int turn = 0; turn < 2; turn++) {
                            boolean oursNow = (turn + order) % 2 == 0;
                            try (Client client = oursNow ? ours(ack, codec) : kafka(ack, codec)) {
                                double r = throughput(client, newTopic(admin), values, count);
                                if (oursNow) {
                                    oursRate = r;
                                } else {
                                    kafkaRate = r;
                                }
                            }
                        }
                        order++;
                        System.out.printf("%-6d %-4s %-5s | %14.0f %9.1f | %14.0f %9.1f | %.2f%n", size, ack, codec, oursRate,
                            oursRate * size / 1e6, kafkaRate, kafkaRate * size / 1e6, oursRate / kafkaRate);
                    }
                }
            }
        }
        return 0;
    }
}
