package io.tributary.bench.clients;

import com.sun.management.OperatingSystemMXBean;
import io.tributary.clients.consumer.TributaryConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tributary's consumer against Apache Kafka's {@code KafkaConsumer}: same broker, same data, same settings, in
 * one run, alternating A B A B, so drift of the shared machine (other processes, page cache, JIT) hits both.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests -pl protocol,log,consumer-groups,server,clients,bench
 * java -Xms1g -Xmx1g -jar bench/target/tributary-bench.jar consumer-compare            # from the repository root
 * java -Xms1g -Xmx1g -jar bench/target/tributary-bench.jar consumer-compare --megabytes 64 --rounds 2
 * </pre>
 *
 * <h2>What one run does</h2>
 * <ol>
 * <li>Starts a Tributary broker in a child JVM ({@code server/target/tributary-server.jar}, {@code -Xmx1g}) on
 *     127.0.0.1 and an ephemeral port, with its data in a temporary directory that is deleted at the end.</li>
 * <li>Writes one data set per record size and codec (default 100 B and 1 KiB values, none and lz4) with
 *     Kafka's producer: {@code --megabytes} of values per set, null keys, text-like values drawn from a fixed
 *     vocabulary (lz4 compresses them about 2:1), {@code --partitions} partitions, 64 KiB batches.</li>
 * <li>For each data set and each mode, a warm-up read by each client (not reported), then {@code --rounds}
 *     rounds of one read by each, alternating which goes first: A B, B A, ... Each read is a new consumer that
 *     reads the whole data set from the beginning and stops at the last record. <b>assign</b>: assign every
 *     partition, seek to the beginning, no group. <b>group</b>: subscribe with a new group id,
 *     {@code auto.offset.reset=earliest}, auto-commit on (the defaults), so it includes joining the group.</li>
 * <li>Both consumers get the same settings: the client defaults (max.poll.records 500, fetch.min.bytes 1,
 *     fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB, fetch.max.wait.ms 500) and byte-array
 *     deserializers, so both copy each value out of the fetched buffer. The loop touches every record
 *     (counts it and its bytes, sums offsets); a read whose count, bytes or offset sum differs from what was
 *     written fails the run.</li>
 * </ol>
 * Time is from the first {@code poll} to the last record (creating and closing the consumer are left out).
 * The table gives the median of the rounds and the ratio ours / Kafka's; above 1.00 means ours is faster.
 * On a shared machine the rates swing with other load; the CPU columns are steadier: CPU time this process
 * spent on one read (consumer threads, GC, JIT; creating and closing included), median of the rounds, and
 * the CPU ratio Kafka's / ours (above 1.00: ours costs less).
 * Figures are for this machine in this run only; nothing here is asserted anywhere.
 */
@Command(name = "consumer-compare", mixinStandardHelpOptions = true,
    description = "Tributary's consumer against KafkaConsumer on one Tributary broker: records/s and MB/s, "
        + "alternating A B A B; prints a table with ratios.")
public final class ConsumerComparison implements Callable<Integer> {
    private static final OperatingSystemMXBean PROCESS =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Option(names = "--broker-jar", description = "The Tributary broker jar (default: ${DEFAULT-VALUE}).")
    Path brokerJar = Path.of("server", "target", "tributary-server.jar");

    @Option(names = "--broker-heap", description = "The broker's -Xmx (default: ${DEFAULT-VALUE}).")
    String brokerHeap = "1g";

    @Option(names = "--megabytes", description = "Megabytes (10^6) of values per data set (default: ${DEFAULT-VALUE}).")
    int megabytes = 200;

    @Option(names = "--partitions", description = "Partitions per data set (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(names = "--rounds", description = "Measured rounds per data set and mode (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--sizes", split = ",", description = "Value sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes = List.of(100, 1024);

    @Option(names = "--codecs", split = ",", description = "Producer compression types (default: ${DEFAULT-VALUE}).")
    List<String> codecs = List.of("none", "lz4");

    @Option(names = "--modes", split = ",", description = "assign and/or group (default: ${DEFAULT-VALUE}).")
    List<String> modes = List.of("assign", "group");

    @Option(names = "--timeout-s", description = "Give up on one read after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 300;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConsumerComparison()).execute(args));
    }

    /** One data set: a topic and what was written to it. */
    private record DataSet(String topic, int valueSize, String codec, long records, long bytes, long offsetSum) {
        String label() {
            return (valueSize >= 1024 && valueSize % 1024 == 0 ? valueSize / 1024 + " KiB" : valueSize + " B") + " " + codec;
        }
    }

    /** What one read saw. */
    private record Read(long records, long bytes, long offsetSum, long nanos, long cpuNanos) {
        double recordsPerSecond() {
            return records / (nanos / 1e9);
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    /** The two clients behind one interface: read the whole data set once with a new consumer. */
    private interface Client {
        String name();

        Read read(DataSet data, String mode, String groupId, int partitions, long deadlineNanos);
    }

    @Override
    public Integer call() throws Exception {
        // Both clients log their whole configuration at INFO; the table is what matters here.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (!Files.isRegularFile(brokerJar)) {
            System.err.println("No broker jar at " + brokerJar.toAbsolutePath() + "; build it with mvn -pl "
                + "protocol,log,consumer-groups,server,clients,bench package -DskipTests, and run from the repository root");
            return 2;
        }
        for (String mode : modes) {
            if (!mode.equals("assign") && !mode.equals("group")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--modes takes assign and group, got " + mode);
            }
        }
        Path work = Files.createTempDirectory("consumer-compare");
        Process broker = null;
        try {
            int port = freePort();
            broker = startBroker(work, port);
            String bootstrap = "127.0.0.1:" + port;
            List<DataSet> sets = new ArrayList<>();
            for (int size : sizes) {
                for (String codec : codecs) {
                    sets.add(write(bootstrap, size, codec));
                }
            }
            Client ours = new Ours(bootstrap);
            Client kafka = new Kafkas(bootstrap);
            List<String> rows = new ArrayList<>();
            int groups = 0;
            for (DataSet data : sets) {
                for (String mode : modes) {
                    List<Read> a = new ArrayList<>();
                    List<Read> b = new ArrayList<>();
                    // Warm-up: JIT for both, the page cache for the data set.
                    read(ours, data, mode, "cc-warm-" + groups++);
                    read(kafka, data, mode, "cc-warm-" + groups++);
                    for (int round = 0; round < rounds; round++) {
                        boolean oursFirst = round % 2 == 0;
                        Client first = oursFirst ? ours : kafka;
                        Client second = oursFirst ? kafka : ours;
                        Read r1 = read(first, data, mode, "cc-" + groups++);
                        Read r2 = read(second, data, mode, "cc-" + groups++);
                        (oursFirst ? a : b).add(r1);
                        (oursFirst ? b : a).add(r2);
                        System.out.printf(Locale.ROOT, "  %-12s %-6s round %d: %s %,.0f rec/s (CPU %,d ms), %s %,.0f rec/s "
                                + "(CPU %,d ms)%n", data.label(), mode, round + 1, first.name(), r1.recordsPerSecond(),
                            r1.cpuNanos() / 1_000_000, second.name(), r2.recordsPerSecond(), r2.cpuNanos() / 1_000_000);
                    }
                    Read oursMedian = median(a);
                    Read kafkaMedian = median(b);
                    long oursCpu = medianCpu(a);
                    long kafkaCpu = medianCpu(b);
                    rows.add(String.format(Locale.ROOT, "| %-10s | %-6s | %,11.0f | %,11.0f | %7.1f | %7.1f | %5.2f | %,7d | %,7d | %5.2f |",
                        data.label(), mode, oursMedian.recordsPerSecond(), kafkaMedian.recordsPerSecond(),
                        oursMedian.megabytesPerSecond(), kafkaMedian.megabytesPerSecond(),
                        oursMedian.recordsPerSecond() / kafkaMedian.recordsPerSecond(),
                        oursCpu / 1_000_000, kafkaCpu / 1_000_000, (double) kafkaCpu / oursCpu));
                }
            }
            System.out.printf(Locale.ROOT, "%nTributary consumer vs KafkaConsumer 4.3.1, one Tributary broker (child JVM), "
                    + "%d partitions, %d MB of values per data set, median of %d rounds, %d cores%n",
                partitions, megabytes, rounds, Runtime.getRuntime().availableProcessors());
            System.out.println("| data set   | mode   | ours rec/s  | Kafka rec/s | ours MB/s | Kafka MB/s | ratio "
                + "| ours CPU ms | Kafka CPU ms | CPU ratio |");
            System.out.println("| ---------- | ------ | ----------: | ----------: | ------: | ------: | ----: | ------: | ------: | ----: |");
            rows.forEach(System.out::println);
            return 0;
        } finally {
            if (broker != null) {
                broker.destroy();
                if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                    broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            deleteTree(work);
        }
    }

    private Read read(Client client, DataSet data, String mode, String groupId) {
        System.gc();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long cpuBefore = PROCESS.getProcessCpuTime();
        Read read = client.read(data, mode, groupId, partitions, deadline);
        // Includes creating and closing the consumer, and GC and JIT threads: what the read cost this process.
        read = new Read(read.records(), read.bytes(), read.offsetSum(), read.nanos(), PROCESS.getProcessCpuTime() - cpuBefore);
        if (read.records() != data.records() || read.bytes() != data.bytes() || read.offsetSum() != data.offsetSum()) {
            throw new IllegalStateException(client.name() + " read " + read + " of " + data.topic() + " in " + mode
                + " mode, but " + data + " was written");
        }
        return read;
    }

    private static Read median(List<Read> reads) {
        List<Read> sorted = new ArrayList<>(reads);
        sorted.sort(Comparator.comparingLong(Read::nanos));
        return sorted.get(sorted.size() / 2);
    }

    private static long medianCpu(List<Read> reads) {
        return reads.stream().mapToLong(Read::cpuNanos).sorted().toArray()[reads.size() / 2];
    }

    // ---- broker and data

    private Process startBroker(Path work, int port) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = work.resolve("broker.log");
        List<String> command = List.of(java, "-Xms" + brokerHeap, "-Xmx" + brokerHeap, "-XX:+UseG1GC", "-jar",
            brokerJar.toString(),
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
            "--override", "log.dirs=" + work.resolve("data"),
            "--override", "metrics.listener=",  // no fixed-port HTTP listener to clash with a running broker
            "--override", "group.initial.rebalance.delay.ms=0",
            "--override", "offsets.topic.num.partitions=4");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The broker exited with " + process.exitValue() + ": "
                    + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return process;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IllegalStateException("The broker did not listen on " + port + " within 60 s: " + Files.readString(log));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    private DataSet write(String bootstrap, int valueSize, String codec) throws Exception {
        String topic = "cc-" + valueSize + "-" + codec;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        long records = Math.max(partitions, (long) megabytes * 1_000_000 / valueSize);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        long[] perPartition = new long[partitions];
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            Random random = new Random(valueSize * 31L + codec.hashCode());
            for (long i = 0; i < records; i++) {
                int partition = (int) (i % partitions);
                perPartition[partition]++;
                producer.send(new ProducerRecord<>(topic, partition, null, textLike(random, valueSize)));
            }
            producer.flush();
        }
        long offsetSum = 0;
        for (long n : perPartition) {
            offsetSum += n * (n - 1) / 2;
        }
        System.out.printf(Locale.ROOT, "wrote %s: %,d records in %.1f s%n", topic, records, (System.nanoTime() - start) / 1e9);
        return new DataSet(topic, valueSize, codec, records, records * valueSize, offsetSum);
    }

    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his her an were are "
        + "which this be or has had not but first one their its new after who they have two been also other more "
        + "stream record broker offset partition consumer producer batch segment index leader epoch commit fetch "
        + "latency throughput buffer socket thread compaction retention timestamp header value key payload").split(" ");

    /** Words from a fixed vocabulary with random numbers mixed in: compressible like log lines, not trivially. */
    private static byte[] textLike(Random random, int size) {
        byte[] value = new byte[size];
        int i = 0;
        while (i < size) {
            String word = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(100_000)) : WORDS[random.nextInt(WORDS.length)];
            for (int c = 0; c < word.length() && i < size; c++) {
                value[i++] = (byte) word.charAt(c);
            }
            if (i < size) {
                value[i++] = ' ';
            }
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- the two clients, driven the same way

    private static Map<String, Object> settings(String bootstrap, String mode, String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("client.id", "consumer-compare");
        if (mode.equals("group")) {
            config.put("group.id", groupId);
            config.put("auto.offset.reset", "earliest");
        }
        return config;
    }

    /** Counts what a read returned and says when it has everything. */
    private static final class Tally {
        long records;
        long bytes;
        long offsetSum;

        void add(long offset, int keySize, int valueSize) {
            records++;
            bytes += Math.max(0, keySize) + Math.max(0, valueSize);
            offsetSum += offset;
        }

        Read done(long nanos) {
            return new Read(records, bytes, offsetSum, nanos, 0);
        }

        static void checkDeadline(long deadlineNanos, Client client, DataSet data, long records) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IllegalStateException(client.name() + " timed out reading " + data.topic() + " after " + records
                    + " of " + data.records() + " records");
            }
        }
    }

    private static final class Ours implements Client {
        private final String bootstrap;

        Ours(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        @Override
        public String name() {
            return "ours";
        }

        @Override
        public Read read(DataSet data, String mode, String groupId, int partitions, long deadlineNanos) {
            var keys = new io.tributary.clients.serialization.ByteArrayDeserializer();
            var values = new io.tributary.clients.serialization.ByteArrayDeserializer();
            try (TributaryConsumer<byte[], byte[]> consumer = new TributaryConsumer<>(settings(bootstrap, mode, groupId), keys, values)) {
                if (mode.equals("group")) {
                    consumer.subscribe(List.of(data.topic()));
                } else {
                    List<io.tributary.protocol.TopicPartition> all = new ArrayList<>();
                    for (int p = 0; p < partitions; p++) {
                        all.add(new io.tributary.protocol.TopicPartition(data.topic(), p));
                    }
                    consumer.assign(all);
                    consumer.seekToBeginning(all);
                }
                Tally tally = new Tally();
                long start = System.nanoTime();
                while (tally.records < data.records()) {
                    Tally.checkDeadline(deadlineNanos, this, data, tally.records);
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        byte[] value = record.value();
                        tally.add(record.offset(), record.key() == null ? -1 : record.key().length, value == null ? -1 : value.length);
                    }
                }
                return tally.done(System.nanoTime() - start);
            }
        }
    }

    private static final class Kafkas implements Client {
        private final String bootstrap;

        Kafkas(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        @Override
        public String name() {
            return "Kafka";
        }

        @Override
        public Read read(DataSet data, String mode, String groupId, int partitions, long deadlineNanos) {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings(bootstrap, mode, groupId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                if (mode.equals("group")) {
                    consumer.subscribe(List.of(data.topic()));
                } else {
                    List<org.apache.kafka.common.TopicPartition> all = new ArrayList<>();
                    for (int p = 0; p < partitions; p++) {
                        all.add(new org.apache.kafka.common.TopicPartition(data.topic(), p));
                    }
                    consumer.assign(all);
                    consumer.seekToBeginning(all);
                }
                Tally tally = new Tally();
                long start = System.nanoTime();
                while (tally.records < data.records()) {
                    Tally.checkDeadline(deadlineNanos, this, data, tally.records);
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        byte[] value = record.value();
                        tally.add(record.offset(), record.key() == null ? -1 : record.key().length, value == null ? -1 : value.length);
                    }
                }
                return tally.done(System.nanoTime() - start);
            }
        }
    }
}
