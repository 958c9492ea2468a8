package io.tributary.server.group;

import io.tributary.server.Await;
import io.tributary.log.LogManager;
import io.tributary.server.BrokerFixture;
import io.tributary.server.ChildBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed offsets are in {@code __consumer_offsets} once a commit is acknowledged: after a clean restart and
 * after a SIGKILL of the broker process, AdminClient reads them back and the group's consumers resume there.
 */
class CommittedOffsetsRestartTest {
    private static final String TOPIC = "kept";
    private static final int PARTITIONS = 3;
    private static final Map<Integer, Long> FIRST = Map.of(0, 10L, 1, 20L, 2, 30L);
    private static final Map<Integer, Long> LATEST = Map.of(0, 111L, 1, 222L, 2, 333L);

    @TempDir
    Path dir;

    @Test
    void committedOffsetsSurviveACleanRestart() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(GroupTestSupport.BROKER)) {
            fixture.broker().logs().createTopic(TOPIC, PARTITIONS, Map.of());
            GroupTestSupport.produce(fixture.bootstrap(), TOPIC, PARTITIONS, 0, 1_500, -1);
            commit(fixture.bootstrap(), "clean", FIRST);
            commit(fixture.bootstrap(), "clean", LATEST);

            fixture.restart();
            // __consumer_offsets is created on the first group look-up, but once it exists a restart loads it at start,
            // before any client asks: the loaded partitions serve the committed offsets at once
            fixture.broker().offsetsTopicLoaded().get(30, TimeUnit.SECONDS);
            assertThat(fixture.broker().groupsLoaded()).isCompleted();
            int partition = fixture.broker().groupCoordinator().partitionFor("clean");
            assertThat(fixture.broker().groupCoordinator().owns(partition)).isTrue();

            assertCommitted(fixture.bootstrap(), "clean", LATEST);
            assertThat(firstOffsetsRead(fixture.bootstrap(), "clean")).isEqualTo(LATEST);
        }
    }

    @Test
    void committedOffsetsSurviveASigkillOfTheBroker() throws Exception {
        Map<String, String> settings = new HashMap<>(GroupTestSupport.BROKER);
        try (ChildBroker broker = new ChildBroker(dir, settings)) {
            broker.start();
            try (Admin admin = admin(broker.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(20, TimeUnit.SECONDS);
            }
            GroupTestSupport.produce(broker.bootstrap(), TOPIC, PARTITIONS, 0, 1_500, -1);
            commit(broker.bootstrap(), "unclean", FIRST);
            commit(broker.bootstrap(), "unclean", LATEST);

            broker.kill(); // no flush, no checkpoint, no clean-shutdown marker
            assertThat(Files.exists(broker.logDir().resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isFalse();
            broker.start();

            assertCommitted(broker.bootstrap(), "unclean", LATEST);
            assertThat(firstOffsetsRead(broker.bootstrap(), "unclean")).isEqualTo(LATEST);
        }
    }

    private static Admin admin(String bootstrap) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(properties);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Properties properties = new Properties();
        properties.putAll(GroupTestSupport.member(bootstrap, group));
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    /** Joins the group and commits {@code offsets} (with metadata) as its member; acknowledged when this returns. */
    private static void commit(String bootstrap, String group, Map<Integer, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
            consumer.subscribe(List.of(TOPIC));
            Await.until("the member has every partition", Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(50));
                return consumer.assignment().size() == PARTITIONS;
            });
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((p, offset) -> commit.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(offset, "at " + offset)));
            consumer.commitSync(commit);
        }
    }

    private static void assertCommitted(String bootstrap, String group, Map<Integer, Long> expected) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            assertThat(GroupTestSupport.byPartition(committed)).isEqualTo(expected);
            committed.forEach((tp, offset) -> assertThat(offset.metadata()).isEqualTo("at " + offset.offset()));
        }
    }

    /** The offset of the first record a new member of the group reads from each partition. */
    private static Map<Integer, Long> firstOffsetsRead(String bootstrap, String group) {
        Map<Integer, Long> first = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
            consumer.subscribe(List.of(TOPIC));
            Await.until("a record from every partition", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    first.putIfAbsent(record.partition(), record.offset());
                }
                return first.size() == PARTITIONS;
            });
        }
        return first;
    }
}
