package io.tributary.server.cluster;

import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's first "must show": no acknowledged write is lost when partition leaders are SIGKILLed. Three brokers
 * (child JVMs), a topic with three partitions, replication factor 3 and min.insync.replicas=2, one kafka-clients
 * idempotent producer (acks=all) sending records numbered per partition ({@code <partition>:<seq>}) while the test
 * SIGKILLs the current leader of partition 0 (found through Admin.describeTopics; it may be the controller as well),
 * restarts it on the same data and waits until every ISR is full again before the next kill.
 *
 * <p>Afterwards: a consumer reads every partition from the start to its end, and each partition holds strictly
 * increasing sequence numbers (exactly once, in order) containing every acknowledged record at the offset its
 * acknowledgement gave. Then every broker is SIGKILLed and each replica's partition directory is opened with the log
 * module: below each replica's checkpointed high watermark (which must cover every acknowledged offset), the three
 * logs hold the same batches (offsets, leader epoch, checksum).
 *
 * <p>The default suite runs a short variant (15,000 records, 2 kills); {@code -Pfault-injection}
 * ({@code tributary.faultInjection}) runs the 100,000 records and 5 kills. Both print the failover time as the
 * client saw it: from the SIGKILL to the first acknowledgement of a record of a partition the killed broker led.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AckedWritesSurviveLeaderCrashTest {
    private static final boolean LONG = Boolean.getBoolean("tributary.faultInjection");
    private static final int RECORDS = LONG ? 100_000 : 15_000;
    private static final int KILLS = LONG ? 5 : 2;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "acked";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    /** One acknowledged record: its sequence number in its partition and the offset the broker gave it. */
    private record Ack(int seq, long offset) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesLeaderKillsExactlyOnceInOrderAndReplicasAgree() throws Exception {
        Map<String, String> settings = Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500",
            "replica.high.watermark.checkpoint.interval.ms", "300", "replica.fetch.wait.max.ms", "200");
        try (ChildCluster cluster = new ChildCluster(root, 3, settings);
             Admin admin = Admin.create(adminProps(cluster))) {
            cluster.startAll();
            assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3 && ClusterProbe.brokersEverywhere(cluster, 3))).as("three brokers registered").isTrue();
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            assertThat(ChildCluster.await(60_000, () -> isrFull(admin))).as("ISR full after create").isTrue();

            Map<Integer, List<Ack>> acked = new ConcurrentHashMap<>();
            Map<Integer, List<Long>> ackTimes = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            for (int p = 0; p < PARTITIONS; p++) {
                acked.put(p, new ArrayList<>());
                ackTimes.put(p, new ArrayList<>());
            }
            AtomicInteger killsMade = new AtomicInteger();
            Thread producerThread = new Thread(() -> produce(cluster, acked, ackTimes, sent, killsMade, failed, firstFailure),
                "producer");
            producerThread.start();

            List<String> failovers = new ArrayList<>();
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    int threshold = killThreshold(kill);
                    assertThat(ChildCluster.await(300_000, () -> sent.get() >= threshold || !producerThread.isAlive()))
                        .as("producer reaches record %d", threshold).isTrue();
                    TopicDescription before = describe(admin);
                    int victim = before.partitions().get(0).leader().id();
                    List<Integer> led = new ArrayList<>();
                    for (TopicPartitionInfo p : before.partitions()) {
                        if (p.leader() != null && p.leader().id() == victim) {
                            led.add(p.partition());
                        }
                    }
                    long killedAt = System.nanoTime();
                    cluster.kill(victim);
                    killsMade.incrementAndGet();
                    cluster.start(victim);
                    long firstAck = awaitFirstAckAfter(ackTimes, led, killedAt, 120_000);
                    failovers.add("kill " + (kill + 1) + " of broker " + victim + " (led " + led + "): "
                        + (firstAck < 0 ? "no acknowledgement within 120 s" : TimeUnit.NANOSECONDS.toMillis(firstAck - killedAt) + " ms"));
                    assertThat(firstAck).as("an acknowledgement after killing broker %d", victim).isPositive();
                    assertThat(ChildCluster.await(180_000, () -> ClusterProbe.liveBrokers(admin) == 3
                        && ClusterProbe.isrEverywhere(cluster, TOPIC, PARTITIONS, 3)))
                        .as("broker %d back and every ISR full after kill %d", victim, kill + 1).isTrue();
                }
            } finally {
                producerThread.join(TimeUnit.MINUTES.toMillis(8));
            }
            assertThat(producerThread.isAlive()).as("producer finished").isFalse();
            System.out.printf("%s: %d records, %d acknowledged, %d failed (first: %s)%n  failover as the client saw it:%n    %s%n",
                getClass().getSimpleName(), RECORDS, acked.values().stream().mapToInt(List::size).sum(), failed.get(),
                firstFailure.get(), String.join("\n    ", failovers));
            // the idempotent producer retries through a leader change: at most a handful of batches may expire
            assertThat(acked.values().stream().mapToInt(List::size).sum()).isGreaterThan(RECORDS * 9 / 10);

            Map<Integer, List<ConsumerRecord<String, String>>> consumed = consumeAll(cluster);
            for (int p = 0; p < PARTITIONS; p++) {
                checkExactlyOnceInOrder(p, acked.get(p), consumed.get(p));
            }

            ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, PARTITIONS, 3, 60_000, "every ISR full");
            // follower fetches carry the last high watermark over and each broker checkpoints it (every 300 ms)
            assertThat(ChildCluster.await(60_000, () -> checkpointsCoverAcked(cluster, acked)))
                .as("every broker's checkpointed high watermark covers every acknowledged offset").isTrue();
            for (int id = 0; id < cluster.size(); id++) {
                cluster.kill(id);
            }
            checkReplicasIdenticalBelowHighWatermark(cluster, acked);
        }
    }

    private static void produce(ChildCluster cluster, Map<Integer, List<Ack>> acked, Map<Integer, List<Long>> ackTimes,
                                AtomicInteger sent, AtomicInteger killsMade, AtomicInteger failed,
                                AtomicReference<Throwable> firstFailure) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        int[] next = new int[PARTITIONS];
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            int nextKill = 0;
            for (int i = 0; i < RECORDS; i++) {
                if (nextKill < KILLS && i == killThreshold(nextKill)) {
                    // hold here until the test has killed the leader, so records are in flight through every failover
                    int awaited = ++nextKill;
                    if (!ChildCluster.await(600_000, () -> killsMade.get() >= awaited)) {
                        throw new IllegalStateException("kill " + awaited + " never came");
                    }
                }
                int partition = i % PARTITIONS;
                int seq = next[partition]++;
                producer.send(new ProducerRecord<>(TOPIC, partition, null, partition + ":" + seq), (metadata, exception) -> {
                    if (exception == null) {
                        // callbacks of one partition run in send order on the producer's I/O thread
                        acked.get(partition).add(new Ack(seq, metadata.offset()));
                        List<Long> times = ackTimes.get(partition);
                        synchronized (times) {
                            times.add(System.nanoTime());
                        }
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception);
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The record before which kill {@code kill} (from 0) happens: the kills spread evenly over the records. */
    private static int killThreshold(int kill) {
        return RECORDS * (kill + 1) / (KILLS + 1);
    }

    /** The first acknowledgement time (nanoTime) after {@code after} of any of {@code partitions}, or -1 on timeout. */
    private static long awaitFirstAckAfter(Map<Integer, List<Long>> ackTimes, List<Integer> partitions, long after,
                                           long timeoutMs) throws InterruptedException {
        long[] found = {-1};
        ChildCluster.await(timeoutMs, () -> {
            for (int p : partitions) {
                List<Long> times = ackTimes.get(p);
                synchronized (times) {
                    for (int i = times.size() - 1; i >= 0 && times.get(i) > after; i--) {
                        found[0] = found[0] < 0 ? times.get(i) : Math.min(found[0], times.get(i));
                    }
                }
            }
            return found[0] > 0;
        });
        return found[0];
    }

    private static void checkExactlyOnceInOrder(int partition, List<Ack> acked, List<ConsumerRecord<String, String>> consumed) {
        Map<Integer, Long> offsetOfSeq = new HashMap<>();
        int previous = -1;
        for (ConsumerRecord<String, String> record : consumed) {
            String[] parts = record.value().split(":");
            assertThat(Integer.parseInt(parts[0])).as("record %s in partition %d", record.value(), partition).isEqualTo(partition);
            int seq = Integer.parseInt(parts[1]);
            assertThat(seq).as("partition %d at offset %d follows seq %d: no duplicate, no reordering", partition,
                record.offset(), previous).isGreaterThan(previous);
            previous = seq;
            offsetOfSeq.put(seq, record.offset());
        }
        for (Ack ack : acked) {
            assertThat(offsetOfSeq.get(ack.seq())).as("acknowledged %d:%d at offset %d", partition, ack.seq(), ack.offset())
                .isEqualTo(ack.offset());
        }
    }

    private static Map<Integer, List<ConsumerRecord<String, String>>> consumeAll(ChildCluster cluster) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<Integer, List<ConsumerRecord<String, String>>> consumed = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
                consumed.put(p, new ArrayList<>());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(60)) < ends.get(tp))) {
                assertThat(System.nanoTime() - deadline).as("consumed up to the end offsets %s in time", ends).isNegative();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    consumed.get(record.partition()).add(record);
                }
            }
        }
        return consumed;
    }

    /**
     * Opens each broker's copy of each partition with the log module (the brokers are dead) and compares the batches
     * below that replica's checkpointed high watermark with broker 0's: same base and last offsets, leader epoch and
     * checksum. Every acknowledged offset must lie below every replica's high watermark.
     */
    /** Whether every broker's replication-offset-checkpoint holds, for each partition, a high watermark past its last ack. */
    private static boolean checkpointsCoverAcked(ChildCluster cluster, Map<Integer, List<Ack>> acked) {
        for (int id = 0; id < cluster.size(); id++) {
            Map<io.tributary.protocol.TopicPartition, Long> checkpoint;
            try {
                checkpoint = new OffsetCheckpointFile(cluster.node(id).dir().resolve("data")
                    .resolve("replication-offset-checkpoint")).read();
            } catch (RuntimeException beingReplaced) {
                return false; // not written yet
            }
            for (int p = 0; p < PARTITIONS; p++) {
                long lastAcked = acked.get(p).stream().mapToLong(Ack::offset).max().orElse(-1);
                Long highWatermark = checkpoint.get(new io.tributary.protocol.TopicPartition(TOPIC, p));
                if (highWatermark == null || highWatermark <= lastAcked) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void checkReplicasIdenticalBelowHighWatermark(ChildCluster cluster, Map<Integer, List<Ack>> acked) {
        for (int p = 0; p < PARTITIONS; p++) {
            io.tributary.protocol.TopicPartition tp = new io.tributary.protocol.TopicPartition(TOPIC, p);
            List<List<String>> batchesPerReplica = new ArrayList<>();
            long lastAcked = acked.get(p).stream().mapToLong(Ack::offset).max().orElse(-1);
            for (int id = 0; id < cluster.size(); id++) {
                Path dataDir = cluster.node(id).dir().resolve("data");
                Long highWatermark = new OffsetCheckpointFile(dataDir.resolve("replication-offset-checkpoint")).read().get(tp);
                assertThat(highWatermark).as("checkpointed high watermark of %s on broker %d", tp, id).isNotNull();
                assertThat(highWatermark).as("high watermark of %s on broker %d covers every acknowledged offset", tp, id)
                    .isGreaterThan(lastAcked);
                List<String> batches = new ArrayList<>();
                try (PartitionLog log = PartitionLog.open(dataDir.resolve(TOPIC + "-" + p), tp, LogConfig.defaults(), 0,
                    false, Clock.systemUTC(), Runnable::run)) {
                    assertThat(log.logEndOffset()).as("log end of %s on broker %d", tp, id).isGreaterThanOrEqualTo(highWatermark);
                    log.forEachBatchHeader(0, batch -> {
                        if (batch.lastOffset() < highWatermark) {
                            batches.add(batch.baseOffset() + ".." + batch.lastOffset() + " epoch " + batch.partitionLeaderEpoch()
                                + " crc " + batch.checksum());
                        }
                    });
                }
                batchesPerReplica.add(batches);
            }
            int shortest = batchesPerReplica.stream().mapToInt(List::size).min().orElseThrow();
            for (int id = 1; id < cluster.size(); id++) {
                assertThat(batchesPerReplica.get(id).subList(0, shortest)).as("batches of %s on broker %d and broker 0", tp, id)
                    .isEqualTo(batchesPerReplica.get(0).subList(0, shortest));
            }
        }
    }

    static Properties adminProps(ChildCluster cluster) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return props;
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static boolean isrFull(Admin admin) {
        try {
            return describe(admin).partitions().stream().allMatch(p -> p.leader() != null && p.isr().size() == 3);
        } catch (Exception e) {
            return false;
        }
    }
}
