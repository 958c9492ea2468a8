package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.BrokerError;
import io.tributary.protocol.ErrorCode;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.tributary.clients.admin.AdminTestSupport.await;
import static io.tributary.clients.admin.AdminTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topics, configs, the cluster and ListOffsets against a real broker, checked against Kafka's AdminClient. */
class TopicAdminTest {
    private static BrokerFixture broker;
    private static TributaryAdmin admin;
    private static Admin kafka;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture();
        admin = AdminTestSupport.admin(broker);
        kafka = broker.admin();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        admin.close();
        broker.close();
    }

    private static UUID uuid(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    @Test
    void createsListsDescribesAndDeletesTopics() throws Exception {
        KeyedResults<String, CreatedTopic> created = admin.createTopics(List.of(NewTopic.of("orders", 3),
            NewTopic.of("payments", 1).withConfigs(Map.of("retention.ms", "3600000"))));
        Map<String, CreatedTopic> topics = await(created.all());
        assertThat(topics.get("orders").partitions()).isEqualTo(3);
        assertThat(topics.get("orders").replicationFactor()).isEqualTo((short) 1);
        assertThat(topics.get("payments").configs()).containsEntry("retention.ms", "3600000");

        // Kafka's AdminClient sees the same topics with the same ids.
        var kafkaView = kafka.describeTopics(List.of("orders", "payments")).allTopicNames().get();
        assertThat(uuid(kafkaView.get("orders").topicId())).isEqualTo(topics.get("orders").topicId());
        assertThat(kafkaView.get("payments").partitions()).hasSize(1);

        List<TopicListing> listed = await(admin.listTopics());
        assertThat(listed).extracting(TopicListing::name).contains("orders", "payments").doesNotContain("__consumer_offsets");
        assertThat(listed).filteredOn(t -> t.name().equals("orders")).singleElement()
            .satisfies(t -> assertThat(t.partitions()).isEqualTo(3));
        broker.awaitOffsetsTopic(); // created on the first group coordinator look-up, not at start
        assertThat(await(admin.listTopics(true))).extracting(TopicListing::name).contains("__consumer_offsets");

        TopicDescription orders = await(admin.describeTopic("orders"));
        assertThat(orders.topicId()).isEqualTo(topics.get("orders").topicId());
        assertThat(orders.internal()).isFalse();
        assertThat(orders.partitions()).extracting(PartitionDescription::partition).containsExactly(0, 1, 2);
        for (PartitionDescription p : orders.partitions()) {
            assertThat(p.leader()).isNotNull();
            assertThat(p.leader().port()).isEqualTo(broker.port());
            assertThat(p.replicas()).containsExactly(p.leader().id());
            assertThat(p.isr()).containsExactly(p.leader().id());
        }
        assertThat(await(admin.partitionsOf(List.of("payments", "orders")))).containsExactly(new TopicPartition("payments", 0),
            new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("orders", 2));

        await(admin.deleteTopics(List.of("orders", "payments")).all());
        assertThat(kafka.listTopics().names().get()).doesNotContain("orders", "payments");
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        CreatedTopic checked = await(admin.createTopics(List.of(NewTopic.of("dry-run", 4)), true).get("dry-run"));
        assertThat(checked.partitions()).isEqualTo(4);
        assertThat(kafka.listTopics().names().get()).doesNotContain("dry-run");
    }

    @Test
    void anExistingTopicFailsOnlyItsOwnKeyWithTheBrokersMessage() throws Exception {
        await(admin.createTopic(NewTopic.of("existing", 1)));
        KeyedResults<String, CreatedTopic> results = admin.createTopics(List.of(NewTopic.of("existing", 2), NewTopic.of("fresh", 1)));
        assertThat(await(results.get("fresh")).partitions()).isEqualTo(1);
        Throwable error = failure(results.get("existing"));
        assertThat(error).isInstanceOf(TopicExistsException.class)
            .hasMessage("Creating topic 'existing' failed: TOPIC_ALREADY_EXISTS (Topic 'existing' already exists.)");
        TopicExistsException exists = (TopicExistsException) error;
        assertThat(exists.errorCode()).isEqualTo(ErrorCode.TOPIC_ALREADY_EXISTS);
        assertThat(exists.topic()).isEqualTo("existing");
        assertThat(exists.brokerMessage()).isEqualTo("Topic 'existing' already exists.");
        assertThat(failure(results.all())).isSameAs(error);
        assertThat(results.failedKeys()).containsExactly("existing");

        // The blocking form throws the same exception.
        assertThatThrownBy(() -> admin.await(admin.createTopic(NewTopic.of("existing", 1))))
            .isInstanceOf(TopicExistsException.class).hasMessageContaining("TOPIC_ALREADY_EXISTS");
    }

    @Test
    void missingTopicsFailAtOnceNamingTheTopic() throws Exception {
        long start = System.nanoTime();
        Throwable described = failure(admin.describeTopic("no-such-topic"));
        assertThat(described).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessage("Describing topic 'no-such-topic' failed: UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(((UnknownTopicOrPartitionException) described).topic()).isEqualTo("no-such-topic");
        // Not retried until the 15 s deadline: an operator wants to hear at once.
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);

        Throwable deleted = failure(admin.deleteTopic("no-such-topic"));
        assertThat(deleted).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessage("Deleting topic 'no-such-topic' failed: UNKNOWN_TOPIC_OR_PARTITION (Topic no-such-topic does not exist)");
        assertThat(((BrokerError) deleted).errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

        Throwable grown = failure(admin.addPartitions("no-such-topic", 3));
        assertThat(grown).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessageStartingWith("Adding partitions to topic 'no-such-topic' failed: UNKNOWN_TOPIC_OR_PARTITION");

        Throwable configs = failure(admin.describeConfig(ConfigResource.topic("no-such-topic")));
        assertThat(configs).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessageStartingWith("Describing configs of topic 'no-such-topic' failed: UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void addsPartitionsAndRefusesCountsThatAreNotAnIncrease() throws Exception {
        await(admin.createTopic(NewTopic.of("growing", 2)));
        await(admin.addPartitions("growing", 5));
        assertThat(await(admin.describeTopic("growing")).partitions()).hasSize(5);
        assertThat(kafka.describeTopics(List.of("growing")).allTopicNames().get().get("growing").partitions()).hasSize(5);

        Throwable shrink = failure(admin.addPartitions("growing", 3));
        assertThat(shrink).isInstanceOf(InvalidPartitionsException.class)
            .hasMessage("Adding partitions to topic 'growing' failed: INVALID_PARTITIONS "
                + "(The topic growing currently has 5 partition(s); 3 would not be an increase)");
        assertThat(((InvalidPartitionsException) shrink).errorCode()).isEqualTo(ErrorCode.INVALID_PARTITIONS);

        Throwable zero = failure(admin.createTopic(NewTopic.of("no-partitions", 0)));
        assertThat(zero).isInstanceOf(InvalidPartitionsException.class)
            .hasMessageStartingWith("Creating topic 'no-partitions' failed: INVALID_PARTITIONS (Number of partitions was set to an invalid non-positive value");
    }

    @Test
    void describesAndIncrementallyAltersTopicConfigs() throws Exception {
        await(admin.createTopic(NewTopic.of("configured", 1).withConfigs(Map.of("segment.bytes", "1048576"))));
        ConfigResource resource = ConfigResource.topic("configured");
        Config before = await(admin.describeConfig(resource));
        assertThat(before.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(before.get("segment.bytes").source()).isEqualTo(ConfigEntry.Source.DYNAMIC_TOPIC_CONFIG);
        assertThat(before.get("retention.ms").isDefault()).isTrue();
        assertThat(before.get("retention.ms").synonyms()).isNotEmpty();
        assertThat(before.overrides()).containsExactly(Map.entry("segment.bytes", "1048576"));

        await(admin.alterConfig(resource, List.of(AlterConfigOp.set("retention.ms", "86400000"), AlterConfigOp.delete("segment.bytes"))));
        Config after = await(admin.describeConfig(resource));
        assertThat(after.overrides()).containsExactly(Map.entry("retention.ms", "86400000"));
        assertThat(after.get("segment.bytes").isDefault()).isTrue();
        // The oracle agrees.
        var kafkaConfig = kafka.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "configured"))).all().get().values().iterator().next();
        assertThat(kafkaConfig.get("retention.ms").value()).isEqualTo("86400000");

        Throwable invalid = failure(admin.alterConfig(resource, List.of(AlterConfigOp.set("retention.ms", "soon"))));
        assertThat(invalid).isInstanceOf(InvalidConfigurationException.class)
            .hasMessageStartingWith("Altering configs of topic 'configured' failed: INVALID_CONFIG (")
            .hasMessageContaining("retention.ms").hasMessageContaining("soon");
        assertThat(((InvalidConfigurationException) invalid).resource()).isEqualTo("topic 'configured'");
        assertThat(((ApiException) invalid).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(await(admin.describeConfig(resource)).value("retention.ms")).isEqualTo("86400000");

        Throwable atCreation = failure(admin.createTopic(NewTopic.of("misconfigured", 1).withConfigs(Map.of("segment.bytes", "-5"))));
        assertThat(atCreation).isInstanceOf(InvalidConfigurationException.class)
            .hasMessageStartingWith("Creating topic 'misconfigured' failed: INVALID_CONFIG (").hasMessageContaining("segment.bytes");
    }

    @Test
    void describesTheClusterAndTheBrokerConfigs() throws Exception {
        ClusterDescription cluster = await(admin.describeCluster());
        assertThat(cluster.clusterId()).isEqualTo(kafka.describeCluster().clusterId().get());
        assertThat(cluster.nodes()).singleElement().satisfies(n -> assertThat(n.port()).isEqualTo(broker.port()));
        assertThat(cluster.controller()).isNotNull();

        int brokerId = cluster.nodes().get(0).id();
        Config brokerConfig = await(admin.describeConfig(ConfigResource.broker(brokerId)));
        assertThat(brokerConfig.get("log.segment.bytes")).isNotNull();
        assertThat(brokerConfig.get("log.segment.bytes").readOnly()).isTrue();
    }

    @Test
    void listsOffsetsEarliestLatestByTimestampAndMaxTimestamp() throws Exception {
        await(admin.createTopic(NewTopic.of("timed", 2)));
        long base = 1_700_000_000_000L;
        // Partition 0: offsets 0..4 at base+0, +2, ..., +8; partition 1: offsets 0..4 at base+1, +3, ..., +9.
        AdminTestSupport.produce(broker, "timed", 2, 0, 10, base);
        TopicPartition p0 = new TopicPartition("timed", 0);
        TopicPartition p1 = new TopicPartition("timed", 1);

        assertThat(await(admin.listOffsets("timed", OffsetSpec.earliest())).values()).extracting(ListedOffset::offset).containsExactly(0L, 0L);
        assertThat(await(admin.listOffsets("timed", OffsetSpec.latest())).values()).extracting(ListedOffset::offset).containsExactly(5L, 5L);

        Map<TopicPartition, ListedOffset> atTime = await(admin.listOffsets(Map.of(p0, OffsetSpec.forTimestamp(base + 5),
            p1, OffsetSpec.forTimestamp(base + 5))).all());
        assertThat(atTime.get(p0)).isEqualTo(new ListedOffset(3, base + 6, 0));
        assertThat(atTime.get(p1)).isEqualTo(new ListedOffset(2, base + 5, 0));
        ListedOffset none = await(admin.listOffsets(Map.of(p0, OffsetSpec.forTimestamp(base + 1000))).get(p0));
        assertThat(none.found()).isFalse();

        ListedOffset max = await(admin.listOffsets(Map.of(p1, OffsetSpec.maxTimestamp())).get(p1));
        assertThat(max.offset()).isEqualTo(4);
        assertThat(max.timestamp()).isEqualTo(base + 9);

        // A missing partition fails its own key; the others are answered.
        TopicPartition missing = new TopicPartition("timed", 7);
        KeyedResults<TopicPartition, ListedOffset> mixed = admin.listOffsets(Map.of(p0, OffsetSpec.latest(), missing, OffsetSpec.latest()));
        assertThat(await(mixed.get(p0)).offset()).isEqualTo(5);
        assertThat(failure(mixed.get(missing))).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessage("Listing offsets of partition timed-7 failed: UNKNOWN_TOPIC_OR_PARTITION (topic timed has 2 partition(s))");
    }

    @Test
    void refusesDuplicateKeysBeforeSendingAnything() {
        assertThatThrownBy(() -> admin.createTopics(List.of(NewTopic.of("twice", 1), NewTopic.of("twice", 2))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> admin.describeTopics(List.of("a", "a"))).hasMessageContaining("Topic a is named more than once");
        assertThatThrownBy(() -> OffsetSpec.forTimestamp(-7)).hasMessageContaining("-7");
        assertThat(Set.of(OffsetSpec.earliest(), OffsetSpec.latest(), OffsetSpec.maxTimestamp())).hasSize(3);
    }
}
