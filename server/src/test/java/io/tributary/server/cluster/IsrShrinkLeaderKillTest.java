package io.tributary.server.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's ISR-shrink "must show": a follower frozen with SIGSTOP leaves the ISR after replica.lag.time.max.ms
 * (lowered to 3 s here), then the leader is SIGKILLed: the remaining replica leads with an ISR of one, and with
 * min.insync.replicas=2 every acks=all write is refused (NOT_ENOUGH_REPLICAS, or a timeout) instead of being
 * acknowledged on one copy. After SIGCONT of the follower and a restart of the killed leader the ISR is full again,
 * the partition takes acks=all writes again, and every record acknowledged before is read back once, in order.
 *
 * <p>Why five brokers for a topic on three: every broker is a voter of the metadata quorum, and with three voters one
 * killed and one frozen leave a single voter, so the controller could not elect anybody and the refusal would prove
 * nothing about the ISR. Brokers 3 and 4 only keep a majority (three of five) alive; the topic is placed by hand on
 * 0, 1 and 2 (0 preferred, so it leads).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class IsrShrinkLeaderKillTest {
    private static final String TOPIC = "shrink";
    private static final int LEADER = 0;
    private static final int SURVIVOR = 1;
    private static final int FROZEN = 2;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void withTheIsrShrunkToTheLeaderAKilledLeaderLeavesNoAcksAllWriteAcknowledgedOnOneCopy() throws Exception {
        Map<String, String> settings = Map.of("broker.session.timeout.ms", "4000", "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "3000", "replica.fetch.wait.max.ms", "200");
        try (ChildCluster cluster = new ChildCluster(root, 5, settings);
             Admin admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster))) {
            cluster.startAll();
            assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 5 && ClusterProbe.brokersEverywhere(cluster, 5))).isTrue();
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(LEADER, SURVIVOR, FROZEN)))
                .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            assertThat(ChildCluster.await(60_000, () -> everyRunningBrokerReports(cluster, LEADER, List.of(LEADER, SURVIVOR, FROZEN))))
                .as(() -> "ISR full after create, the preferred replica leading:" + ClusterProbe.report(cluster, TOPIC)).isTrue();

            List<String> acked = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(cluster, true))) {
                sendAcked(producer, "before", 100, acked);
                cluster.pause(FROZEN);
                assertThat(ChildCluster.await(60_000, () -> everyRunningBrokerReports(cluster, LEADER, List.of(LEADER, SURVIVOR))))
                    .as(() -> "the frozen follower leaves the ISR:" + ClusterProbe.report(cluster, TOPIC)).isTrue();
                sendAcked(producer, "shrunk", 100, acked); // ISR {0, 1}: min.insync.replicas=2 still holds
            }

            cluster.kill(LEADER);
            // asked of the running brokers themselves: an Admin may spend its whole timeout on the paused one
            assertThat(ChildCluster.await(120_000, () -> everyRunningBrokerReports(cluster, SURVIVOR, List.of(SURVIVOR))))
                .as(() -> "the survivor leads with an ISR of one:" + ClusterProbe.report(cluster, TOPIC)).isTrue();

            // acks=all with one in-sync copy: every attempt is refused; retries=0 so the broker's answer reaches us
            int notEnoughReplicas = 0;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(cluster, false))) {
                for (int attempt = 0; attempt < 10; attempt++) {
                    try {
                        producer.send(new ProducerRecord<>(TOPIC, 0, null, "refused-" + attempt)).get(60, TimeUnit.SECONDS);
                        throw new AssertionError("acks=all write " + attempt + " acknowledged:" + ClusterProbe.report(cluster, TOPIC));
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof NotEnoughReplicasException || cause instanceof NotEnoughReplicasAfterAppendException) {
                            notEnoughReplicas++;
                        } else {
                            assertThat(cause).as("refusal of write %d", attempt).isInstanceOfAny(TimeoutException.class,
                                org.apache.kafka.common.errors.NotLeaderOrFollowerException.class,
                                org.apache.kafka.common.errors.NetworkException.class);
                        }
                    }
                }
            }
            assertThat(notEnoughReplicas).as("NOT_ENOUGH_REPLICAS among the refusals").isPositive();

            cluster.resume(FROZEN);
            cluster.start(LEADER);
            ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 180_000, "ISR full again on every broker");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(cluster, true))) {
                sendAcked(producer, "after", 100, acked);
            }

            List<String> consumed = consumeAll(cluster);
            List<String> withoutRefused = consumed.stream().filter(v -> !v.startsWith("refused-")).toList();
            assertThat(withoutRefused).as("every acknowledged record once, in order").isEqualTo(acked);
            // a refusal before the append (NOT_ENOUGH_REPLICAS) wrote nothing; only a timed-out write may have been kept
            assertThat(consumed.stream().filter(v -> v.startsWith("refused-")).count()).isLessThanOrEqualTo(10 - notEnoughReplicas);
        }
    }

    private static void sendAcked(KafkaProducer<String, String> producer, String prefix, int count, List<String> acked)
        throws Exception {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, prefix + "-" + i)));
        }
        for (int i = 0; i < count; i++) {
            futures.get(i).get(120, TimeUnit.SECONDS);
            acked.add(prefix + "-" + i);
        }
    }

    private static Properties producerProps(ChildCluster cluster, boolean idempotent) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        if (idempotent) {
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        } else {
            props.put(ProducerConfig.RETRIES_CONFIG, "0");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        }
        return props;
    }

    private static List<String> consumeAll(ChildCluster cluster) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> consumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (consumer.position(tp, Duration.ofSeconds(60)) < end) {
                assertThat(System.nanoTime() - deadline).as("consumed up to %d in time", end).isNegative();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    consumed.add(record.value());
                }
            }
        }
        return consumed;
    }

    /** Whether every running broker reports the topic's one partition led by {@code leader} with exactly {@code isr}. */
    private static boolean everyRunningBrokerReports(ChildCluster cluster, int leader, List<Integer> isr) {
        for (int id = 0; id < cluster.size(); id++) {
            if (!cluster.isRunning(id)) {
                continue;
            }
            List<MetadataResponse.PartitionMetadata> partitions = ClusterProbe.partitions(cluster, id, TOPIC);
            if (partitions.size() != 1 || partitions.get(0).leaderId.orElse(-1) != leader
                || !partitions.get(0).inSyncReplicaIds.stream().sorted().toList().equals(isr.stream().sorted().toList())) {
                return false;
            }
        }
        return true;
    }
}
