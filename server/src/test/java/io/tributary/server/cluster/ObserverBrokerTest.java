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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four brokers (child JVMs) of which three are the metadata quorum's voters and the fourth is outside
 * {@code controller.quorum.voters}: a non-voting broker (a Ratis listener). It registers, is unfenced, is placed
 * replicas like any broker, leads partitions, serves produce and fetch, and after a SIGKILL and restart it rejoins the
 * quorum as a listener and catches up (its replicas back in the ISR). The quorum's majority stays two of three.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ObserverBrokerTest {
    private static final String TOPIC = "observed";
    private static final int OBSERVER = 3;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void aBrokerOutsideTheVotersJoinsLeadsServesAndRejoinsAfterACrash() throws Exception {
        AtomicReference<ChildCluster> holder = new AtomicReference<>();
        try (ChildCluster cluster = new ChildCluster(root, 4, Map.of("broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500"), id -> {
            ChildCluster self = holder.get();
            StringJoiner voters = new StringJoiner(",");
            for (int v = 0; v < OBSERVER; v++) {
                voters.add(v + "@127.0.0.1:" + self.node(v).quorumPort());
            }
            Map<String, String> settings = new HashMap<>();
            settings.put("controller.quorum.voters", voters.toString());
            if (id == OBSERVER) {
                settings.put("metadata.observer.address", "127.0.0.1:" + self.node(id).quorumPort());
            }
            return settings;
        })) {
            holder.set(cluster);
            cluster.startAll();
            try (Admin admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster))) {
                assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 4)
                    && ClusterProbe.brokersEverywhere(cluster, 4)))
                    .as("the non-voting broker registers and is unfenced; every broker lists four").isTrue();
                assertThat(ChildCluster.await(60_000, () -> logSays(cluster, 1, "is a non-voting member of the metadata quorum")))
                    .as("the observer logs its membership once the leader's configuration lists it").isTrue();

                // The observer leads partition 0 and follows partition 1.
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(OBSERVER, 0, 1),
                        1, List.of(1, OBSERVER, 2))).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(60, TimeUnit.SECONDS);
                ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 2, 3, 60_000, "every ISR full");
                assertThat(ClusterProbe.partitions(cluster, OBSERVER, TOPIC))
                    .anySatisfy(p -> assertThat(p.leaderId).hasValue(OBSERVER));

                List<String> sent = produce(cluster.bootstrap(OBSERVER), 0, 200);
                assertThat(consume(cluster.bootstrap(OBSERVER), sent.size())).isEqualTo(byPartition(sent));

                // SIGKILL and restart: the observer comes back as a listener (its configuration kept by Ratis),
                // catches up with the metadata and with its replicas.
                cluster.kill(OBSERVER);
                List<String> more = produce(cluster.bootstrap(0, 1, 2), 200, 100);
                cluster.start(OBSERVER);
                ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 2, 3, 120_000,
                    "the restarted non-voting broker is back in both ISRs");
                List<String> all = new ArrayList<>(sent);
                all.addAll(more);
                assertThat(consume(cluster.bootstrap(OBSERVER), all.size())).isEqualTo(byPartition(all));
                assertThat(ChildCluster.await(60_000, () -> logSays(cluster, 2, "is a non-voting member of the metadata quorum")))
                    .isTrue();
            }
        }
    }

    private static boolean logSays(ChildCluster cluster, int start, String text) {
        try {
            return Files.readString(cluster.node(OBSERVER).dir().resolve("broker-" + start + ".log")).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Sends {@code count} records with acks=all, alternating partitions 0 and 1; returns the values acknowledged. */
    private static List<String> produce(String bootstrap, int first, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 90_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
            new StringSerializer())) {
            for (int i = first; i < first + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, "v" + i)).get(90, TimeUnit.SECONDS);
                values.add("v" + i);
            }
        }
        return values;
    }

    /** The values as each partition holds them, in order: record i went to partition i % 2. */
    private static Map<Integer, List<String>> byPartition(List<String> values) {
        Map<Integer, List<String>> expected = new HashMap<>();
        for (String value : values) {
            expected.computeIfAbsent(Integer.parseInt(value.substring(1)) % 2, p -> new ArrayList<>()).add(value);
        }
        return expected;
    }

    /** Reads both partitions from the start until {@code expected} records or a deadline; values per partition. */
    private static Map<Integer, List<String>> consume(String bootstrap, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<Integer, List<String>> values = new HashMap<>();
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (read < expected && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.value());
                    read++;
                }
            }
        }
        return values;
    }
}
