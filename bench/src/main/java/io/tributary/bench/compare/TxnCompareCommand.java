package io.tributary.bench.compare;

import io.tributary.bench.report.Json;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code txn-compare}, issue 14's transaction figures: Apache Kafka 4.3.1 and Tributary, each a fresh single-node child
 * JVM on a fresh data directory per round, rounds interleaved (Kafka, Tributary, Kafka, Tributary), Kafka's default
 * JVM flags and default broker settings for both. Per broker and transaction size (100 and 1,000 records by default),
 * with kafka-clients in this JVM:
 * <ol>
 *   <li>transactional produce: one producer (its own transactional.id; acks=all and idempotence, as transactions
 *       require; linger 5 ms, batch 64 KiB) runs begin, {@code size} sends of 1 KiB, commitTransaction in a loop to a
 *       topic of 6 partitions; committed records per second over the measured window (after the warm-up);</li>
 *   <li>commit latency: the time commitTransaction() takes (it includes flushing the transaction's last batches, as
 *       it does for an application), p50 and p99 from an HdrHistogram of the measured transactions;</li>
 *   <li>read_committed consume: one consumer (isolation.level=read_committed, client defaults otherwise) reads the
 *       topic from its first offset; records per second from the first poll to the last record, and the records it
 *       did not find of those committed (must be 0).</li>
 * </ol>
 * Writes {@code txn-compare.md} (every round and the ratios Tributary / Kafka of each) and {@code txn-compare.json}.
 */
@Command(name = "txn-compare", mixinStandardHelpOptions = true,
    description = "Transactions against Apache Kafka and Tributary (K T K T): transactional produce, commit latency, read_committed consume.")
public final class TxnCompareCommand implements Callable<Integer> {
    @Option(names = "--rounds", description = "Instances of each broker, alternating (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    @Option(names = "--transaction-sizes", split = ",", description = "Records per transaction (default: ${DEFAULT-VALUE}).")
    List<Integer> transactionSizes = List.of(100, 1000);

    @Option(names = "--record-size", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
    int recordSize = 1024;

    @Option(names = "--partitions", description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--warmup", description = "Seconds of transactions before the measured window (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--duration", description = "Measured seconds per transaction size (default: ${DEFAULT-VALUE}).")
    int durationSeconds = 20;

    @Mixin
    BrokerBuilds builds = new BrokerBuilds();

    @Option(names = "--work-dir", description = "Where data directories go; emptied after each instance (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("bench/target/txn-compare-work");

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results/txn-compare");

    /** The figures of one transaction size, under the names the report uses. */
    record Transactions(int size, long committedRecords, long transactions, double seconds, Histogram commitMicros,
                        long totalCommitted, ClientLoad.Consumed readBack) {
        Map<String, Double> figures(int recordSize) {
            String prefix = "transactions of " + size + ": ";
            Map<String, Double> figures = new LinkedHashMap<>();
            double rate = seconds > 0 ? committedRecords / seconds : 0;
            figures.put(prefix + "produce (records/s)", rate);
            figures.put(prefix + "produce (MB/s)", rate * recordSize / 1e6);
            figures.put(prefix + "transactions committed in the window", (double) transactions);
            figures.put(prefix + "commit latency p50 (ms)", commitMicros.getValueAtPercentile(50) / 1000.0);
            figures.put(prefix + "commit latency p99 (ms)", commitMicros.getValueAtPercentile(99) / 1000.0);
            figures.put(prefix + "read_committed consume (records/s)", readBack.recordsPerSecond());
            figures.put(prefix + "committed records not read back", (double) Math.max(0, totalCommitted - readBack.records()));
            return figures;
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        builds.requirePresent();
        List<String> flags = builds.flagList();
        System.out.printf("txn-compare: %d round(s), transactions of %s x %d B, %d s + %d s each; JVM flags for both: %s%n",
            rounds, transactionSizes, recordSize, warmupSeconds, durationSeconds, builds.jvmFlags);
        RoundTable table = new RoundTable(BrokerProcess.Kind.KAFKA.label);
        boolean failed = false;
        for (int round = 1; round <= rounds; round++) {
            for (BrokerProcess.Kind kind : List.of(BrokerProcess.Kind.KAFKA, BrokerProcess.Kind.TRIBUTARY)) {
                Path dir = workDir.resolve(kind.label + "-" + round);
                CompareCommand.deleteTree(dir);
                Map<String, Double> figures = new LinkedHashMap<>();
                try (BrokerProcess broker = BrokerProcess.start(kind, dir, builds.kafkaLib, builds.tributaryJar, flags)) {
                    System.out.printf("%n%s round %d: listening on %s after %.2f s%n", kind.label, round, broker.bootstrap(), broker.startupSeconds());
                    for (int size : transactionSizes) {
                        Transactions t = run(broker.bootstrap(), kind.label + "-" + round, size);
                        figures.putAll(t.figures(recordSize));
                        failed |= t.totalCommitted() != t.readBack().records();
                    }
                } catch (Exception e) {
                    System.out.printf("%s round %d failed: %s%n", kind.label, round, e);
                    figures.put("failed", 1.0);
                    failed = true;
                } finally {
                    CompareCommand.deleteTree(dir.resolve("data"));
                }
                for (Map.Entry<String, Double> figure : figures.entrySet()) {
                    System.out.printf("  %s round %d: %s = %s%n", kind.label, round, figure.getKey(), Comparison.number(figure.getValue()));
                }
                table.add(kind.label, round, figures);
            }
        }
        String report = report(table, Instant.now().toString());
        Files.createDirectories(out);
        Files.writeString(out.resolve("txn-compare.md"), report, StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "txn-compare");
        json.put("jvmFlags", builds.jvmFlags);
        json.put("transactionSizes", transactionSizes);
        json.put("recordSize", recordSize);
        json.put("instances", table.json());
        Files.writeString(out.resolve("txn-compare.json"), Json.write(json), StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(report);
        System.out.println("wrote " + out.resolve("txn-compare.md") + " and txn-compare.json");
        return failed ? 2 : 0;
    }

    void validate() {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds " + rounds + " must be in [1, 10]");
        }
        if (transactionSizes.isEmpty() || transactionSizes.stream().anyMatch(s -> s < 1 || s > 100_000)) {
            throw new IllegalArgumentException("--transaction-sizes " + transactionSizes + " must each be in [1, 100000]");
        }
        if (recordSize < 1 || recordSize > 1 << 20) {
            throw new IllegalArgumentException("--record-size " + recordSize + " must be in [1, 1048576]");
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("--partitions " + partitions + " must be in [1, 1000]");
        }
        if (warmupSeconds < 0 || durationSeconds < 1 || warmupSeconds + durationSeconds > 3600) {
            throw new IllegalArgumentException("--warmup " + warmupSeconds + " and --duration " + durationSeconds
                + " must be >= 0 and >= 1 s and together at most an hour");
        }
    }

    String report(RoundTable table, String finishedAt) {
        return String.format("Apache Kafka 4.3.1 vs Tributary, transactions, %s, %d core(s), %d round(s) interleaved K T K T, "
                + "single node each, default broker settings; both brokers: %s; kafka-clients in the harness JVM on the same machine. "
                + "One transactional producer (acks=all, idempotent, linger 5 ms, batch 64 KiB), %d B records, %d partitions, "
                + "%d s warm-up + %d s measured per transaction size; commit latency = commitTransaction(); "
                + "read_committed consume = one consumer reading the topic from offset 0.%n%n",
            finishedAt, Runtime.getRuntime().availableProcessors(), rounds, builds.jvmFlags, recordSize, partitions, warmupSeconds,
            durationSeconds) + table.markdown();
    }

    /** One transaction size against one broker: the transactional producer, then the read_committed read-back. */
    Transactions run(String bootstrap, String instance, int size) throws Exception {
        String topic = "txn-" + size;
        Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        ClientLoad.createTopic(client, topic, partitions);
        Map<String, Object> producer = new LinkedHashMap<>(client);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + instance + "-" + size);
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        byte[] value = ClientLoad.payload(recordSize);
        Histogram commitMicros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        AtomicLong failedSends = new AtomicLong();
        long committedInWindow = 0;
        long transactions = 0;
        long total = 0;
        long windowStart = -1;
        long windowEnd = -1;
        try (KafkaProducer<byte[], byte[]> txn = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            txn.initTransactions();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
            while (true) {
                long began = System.nanoTime();
                if (began - end >= 0) {
                    break;
                }
                boolean measured = began - measureFrom >= 0;
                if (measured && windowStart < 0) {
                    windowStart = began;
                }
                txn.beginTransaction();
                for (int i = 0; i < size; i++) {
                    txn.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                        if (error != null) {
                            failedSends.incrementAndGet();
                        }
                    });
                }
                long commitStart = System.nanoTime();
                // A failed send makes commitTransaction throw: nothing counted here was lost.
                txn.commitTransaction();
                long committed = System.nanoTime();
                total += size;
                if (measured) {
                    commitMicros.recordValue(Math.min(commitMicros.getHighestTrackableValue(),
                        TimeUnit.NANOSECONDS.toMicros(committed - commitStart)));
                    committedInWindow += size;
                    transactions++;
                    windowEnd = committed;
                }
            }
        }
        if (failedSends.get() > 0) {
            throw new IllegalStateException(failedSends.get() + " transactional sends failed");
        }
        double seconds = windowStart < 0 ? 0 : (windowEnd - windowStart) / 1e9;
        System.out.printf("  transactions of %d: %d committed in %.1f s (%,.0f records/s), commit p50 %.2f ms p99 %.2f ms%n", size,
            transactions, seconds, seconds > 0 ? committedInWindow / seconds : 0, commitMicros.getValueAtPercentile(50) / 1000.0,
            commitMicros.getValueAtPercentile(99) / 1000.0);
        Map<String, Object> consumer = new LinkedHashMap<>(client);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ClientLoad.Consumed readBack = ClientLoad.readAll(consumer, topic, total, Duration.ofSeconds(120 + total / 10_000));
        System.out.printf("  read_committed: %d of %d records in %.2f s (%,.0f records/s)%n", readBack.records(), total,
            readBack.seconds(), readBack.recordsPerSecond());
        return new Transactions(size, committedInWindow, transactions, seconds, commitMicros, total, readBack);
    }
}
