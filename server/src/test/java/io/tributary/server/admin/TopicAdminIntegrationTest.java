package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tributary.server.admin.AdminTestSupport.await;
import static io.tributary.server.admin.AdminTestSupport.failure;
import static io.tributary.server.admin.AdminTestSupport.kafka;
import static org.assertj.core.api.Assertions.assertThat;

/** CreateTopics, DeleteTopics and CreatePartitions as Apache Kafka's AdminClient uses them, over a real socket. */
class TopicAdminIntegrationTest {
    BrokerFixture fixture = new BrokerFixture(Map.of("num.partitions", "2", "auto.create.topics.enable", "false"));
    Admin admin;

    @BeforeEach
    void connect() {
        admin = fixture.admin();
    }

    @AfterEach
    void stop() {
        admin.close();
        fixture.close();
    }

    private LogManager logs() {
        return fixture.broker().logs();
    }

    @Test
    void topicsAreCreatedListedDescribedAndDeleted() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(
            new NewTopic("orders", 3, (short) 1),
            new NewTopic("events", Optional.empty(), Optional.empty())));
        await(created.all());
        assertThat(await(created.numPartitions("orders"))).isEqualTo(3);
        assertThat(await(created.replicationFactor("orders"))).isEqualTo(1);
        assertThat(await(created.numPartitions("events"))).as("-1 takes num.partitions").isEqualTo(2);
        assertThat(await(created.topicId("orders"))).isEqualTo(kafka(logs().topic("orders").topicId()));

        assertThat(await(admin.listTopics().names())).containsExactlyInAnyOrder("orders", "events");
        Map<String, TopicDescription> described = await(admin.describeTopics(List.of("orders", "events")).allTopicNames());
        assertThat(described.get("orders").partitions()).hasSize(3)
            .allSatisfy(p -> assertThat(p.replicas()).singleElement().satisfies(n -> assertThat(n.id()).isZero()));
        assertThat(described.get("events").partitions()).hasSize(2);
        assertThat(Files.isDirectory(fixture.dataDir().resolve("orders-2"))).isTrue();

        await(admin.deleteTopics(List.of("orders")).all());
        assertThat(await(admin.listTopics().names())).containsExactly("events");
        assertThat(logs().topic("orders")).isNull();
        assertThat(Files.exists(fixture.dataDir().resolve("orders-0"))).isFalse();

        Uuid eventsId = kafka(logs().topic("events").topicId());
        await(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(eventsId))).all());
        assertThat(await(admin.listTopics().names())).isEmpty();
    }

    @Test
    void aTopicCreatedWithConfigsReportsItsEffectiveConfigs() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("tuned", 1, (short) 1)
            .configs(Map.of("retention.ms", "3600000", "message.timestamp.type", "logappendtime"))));
        Config config = await(created.config("tuned"));
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("message.timestamp.type").value()).as("normalised").isEqualTo("LogAppendTime");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.entries()).hasSize(io.tributary.log.LogConfig.TOPIC_KEYS.keys().size());

        assertThat(logs().topicConfig("tuned").retentionMs).isEqualTo(3_600_000L);
        assertThat(logs().topicConfig("tuned").timestampType.name()).isEqualTo("LOG_APPEND_TIME");
    }

    @Test
    void validateOnlyChecksEverythingAndCreatesNothing() throws Exception {
        CreateTopicsOptions validateOnly = new CreateTopicsOptions().validateOnly(true);
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("dry", 4, (short) 1)
            .configs(Map.of("segment.bytes", "1048576"))), validateOnly);
        await(result.all());
        assertThat(await(result.numPartitions("dry"))).isEqualTo(4);
        assertThat(await(result.config("dry")).get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(await(result.topicId("dry"))).isEqualTo(Uuid.ZERO_UUID);
        assertThat(logs().topic("dry")).isNull();
        assertThat(Files.exists(fixture.dataDir().resolve("dry-0"))).isFalse();
        assertThat(await(admin.listTopics().names())).isEmpty();

        Throwable badConfig = failure(admin.createTopics(List.of(new NewTopic("dry", 1, (short) 1)
            .configs(Map.of("segment.bytes", "12"))), validateOnly).all());
        assertThat(badConfig).isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("segment.bytes").hasMessageContaining("12").hasMessageContaining("[64, 2147483647]");

        // The first validate-only created nothing, so the same name is still free.
        await(admin.createTopics(List.of(new NewTopic("dry", 1, (short) 1))).all());
        assertThat(logs().topic("dry").partitionCount()).isEqualTo(1);
    }

    @Test
    void eachRefusalIsTheKafkaExceptionNamingTheValue() throws Exception {
        await(admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all());

        assertThat(failure(admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all()))
            .isInstanceOf(TopicExistsException.class).hasMessageContaining("taken");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1))).all()))
            .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("value 0");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("negative", -7, (short) 1))).all()))
            .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("-7");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("triple", 1, (short) 3))).all()))
            .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("replication factor of 3");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("none", 1, (short) 0))).all()))
            .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("value 0");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("elsewhere", Map.of(0, List.of(5))))).all()))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("broker 5");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("twice", Map.of(0, List.of(0, 0))))).all()))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("more than once");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("gap", Map.of(0, List.of(0), 2, List.of(0))))).all()))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("partition 2");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("short-lived", 1, (short) 1)
            .configs(Map.of("retention.ms", "-5")))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("retention.ms").hasMessageContaining("-5").hasMessageContaining("[-1, 9223372036854775807]");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("typo", 1, (short) 1)
            .configs(Map.of("retention.mss", "1000")))).all()))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.mss");
        assertThat(failure(admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1))).all()))
            .isInstanceOf(InvalidTopicException.class).hasMessageContaining("bad name!");

        assertThat(AdminTestSupport.userTopics(logs())).as("no refused topic was created").containsExactly("taken");
    }

    @Test
    void oneRefusedTopicDoesNotStopTheOthersOfTheSameRequest() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(
            new NewTopic("good", 1, (short) 1),
            new NewTopic("bad", 1, (short) 2),
            new NewTopic("assigned", Map.of(0, List.of(0), 1, List.of(0)))));
        await(result.values().get("good"));
        assertThat(failure(result.values().get("bad"))).isInstanceOf(InvalidReplicationFactorException.class);
        await(result.values().get("assigned"));
        assertThat(logs().topic("assigned").partitionCount()).isEqualTo(2);
        assertThat(AdminTestSupport.userTopics(logs())).containsExactlyInAnyOrder("good", "assigned");
    }

    @Test
    void partitionsAreAddedAndNeverRemoved() throws Exception {
        await(admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all());

        await(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all());
        assertThat(await(admin.describeTopics(List.of("growing")).allTopicNames()).get("growing").partitions()).hasSize(5);
        assertThat(logs().log(new TopicPartition("growing", 4))).isNotNull();

        await(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6, List.of(List.of(0))))).all());
        assertThat(logs().topic("growing").partitionCount()).isEqualTo(6);

        await(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(9)),
            new CreatePartitionsOptions().validateOnly(true)).all());
        assertThat(logs().topic("growing").partitionCount()).as("validate only").isEqualTo(6);

        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6))).all()))
            .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("already has 6");
        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all()))
            .isInstanceOf(InvalidPartitionsException.class).hasMessageContaining("3 would not be an increase");
        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(7, List.of(List.of(7))))).all()))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("broker 7");
        assertThat(failure(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(8, List.of(List.of(0))))).all()))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("2 additional partition(s)");
        assertThat(failure(admin.createPartitions(Map.of("missing", NewPartitions.increaseTo(3))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("missing");
        assertThat(logs().topic("growing").partitionCount()).isEqualTo(6);
    }

    @Test
    void deletingWhatDoesNotExistIsRefusedByNameAndById() throws Exception {
        assertThat(failure(admin.deleteTopics(List.of("ghost")).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("ghost");
        Uuid unknown = Uuid.randomUuid();
        assertThat(failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(unknown))).all()))
            .isInstanceOf(UnknownTopicIdException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void topicsPartitionsAndConfigsSurviveARestart() throws Exception {
        await(admin.createTopics(List.of(
            new NewTopic("durable", 2, (short) 1).configs(Map.of("retention.ms", "1000")),
            new NewTopic("doomed", 1, (short) 1))).all());
        await(admin.createPartitions(Map.of("durable", NewPartitions.increaseTo(4))).all());
        await(admin.deleteTopics(List.of("doomed")).all());
        Uuid id = kafka(logs().topic("durable").topicId());
        admin.close();

        fixture.restart();

        admin = fixture.admin();
        assertThat(await(admin.listTopics().names())).isEqualTo(Set.of("durable"));
        TopicDescription durable = await(admin.describeTopics(List.of("durable")).allTopicNames()).get("durable");
        assertThat(durable.partitions()).hasSize(4);
        assertThat(durable.topicId()).isEqualTo(id);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "durable");
        ConfigEntry retention = await(admin.describeConfigs(List.of(resource)).all()).get(resource).get("retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }
}
