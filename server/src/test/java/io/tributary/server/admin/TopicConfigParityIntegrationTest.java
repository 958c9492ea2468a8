package io.tributary.server.admin;

import io.tributary.log.LogConfig;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.tributary.server.admin.AdminTestSupport.await;
import static io.tributary.server.admin.AdminTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topic config parity with Apache Kafka 4.3.1, through Kafka's Admin client: the keys {@code kafka-configs --describe
 * --all} lists for a topic are Kafka's own list — read at test time from Kafka's {@code LogConfig} (kafka-storage) —
 * plus Tributary's documented extras; and each key can be set at creation, altered incrementally, described with its
 * source and deleted back to its default, while a bad value is refused naming the key, the value and what is allowed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicConfigParityIntegrationTest {
    /** Tributary's own topic keys, which Kafka does not have (see docs/CONFIGURATION.md). */
    static final Set<String> TRIBUTARY_ONLY = Set.of("decompressed.batch.max.bytes", "routing.mode");

    BrokerFixture fixture;
    Admin admin;

    @BeforeAll
    void start() throws Exception {
        fixture = new BrokerFixture(Map.of("log.segment.bytes", "2097152"));
        admin = fixture.admin();
        await(admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1))).all());
    }

    @AfterAll
    void stop() {
        admin.close();
        fixture.close();
    }

    private Config describe(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return await(admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)
            .includeDocumentation(true)).all()).get(resource);
    }

    @Test
    void describeAllListsKafkasTopicConfigs() throws Exception {
        // What Kafka's DescribeConfigs lists for a topic: LogConfig's keys without the internal ones (internal.segment.bytes).
        Set<String> kafka = new TreeSet<>(org.apache.kafka.storage.internals.log.LogConfig.nonInternalConfigNames());
        assertThat(kafka).as("Kafka's list as read from the jar").contains("compression.type", "segment.jitter.ms")
            .doesNotContain("message.downconversion.enable");
        Set<String> described = describe("plain").entries().stream().map(ConfigEntry::name)
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(kafka);
        missing.removeAll(described);
        assertThat(missing).as("Kafka 4.3.1 topic configs Tributary does not describe").isEmpty();
        Set<String> extra = new TreeSet<>(described);
        extra.removeAll(kafka);
        assertThat(extra).as("topic configs Kafka does not have").isEqualTo(new TreeSet<>(TRIBUTARY_ONLY));
        // Every key the broker accepts is described, and the other way round.
        assertThat(described).isEqualTo(LogConfig.TOPIC_KEYS.keys().stream().map(k -> k.name())
            .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void describedKeysHaveKafkasSourcesSynonymsAndDocumentation() throws Exception {
        Config config = describe("plain");
        assertThat(config.entries()).allSatisfy(e -> {
            assertThat(e.documentation()).as(e.name()).isNotBlank();
            assertThat(e.synonyms()).as(e.name()).isNotEmpty();
            assertThat(e.source()).as(e.name()).isIn(ConfigSource.DEFAULT_CONFIG, ConfigSource.STATIC_BROKER_CONFIG);
        });
        ConfigEntry compression = config.get("compression.type");
        assertThat(compression.value()).isEqualTo("producer");
        assertThat(compression.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(compression.synonyms()).extracting(ConfigEntry.ConfigSynonym::name).containsExactly("compression.type");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("segment.jitter.ms").synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
            .containsExactly("log.roll.jitter.hours");
        assertThat(config.get("file.delete.delay.ms").value()).isEqualTo("60000");
        assertThat(config.get("file.delete.delay.ms").synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
            .containsExactly("log.segment.delete.delay.ms");
        assertThat(config.get("preallocate").synonyms()).extracting(ConfigEntry.ConfigSynonym::name).containsExactly("log.preallocate");
        assertThat(config.get("local.retention.ms").value()).isEqualTo("-2");
        assertThat(config.get("remote.storage.enable").value()).isEqualTo("false");
        assertThat(config.get("leader.replication.throttled.replicas").value()).isEmpty();
    }

    /** key, a value to create with, a value to alter to, a bad value, and what the refusal must say is allowed. */
    static Stream<Arguments> keys() {
        return Stream.of(
            Arguments.of("segment.bytes", "1048576", "4194304", "10", "[64, 2147483647]"),
            Arguments.of("segment.ms", "3600000", "7200000", "0", "[1, "),
            Arguments.of("segment.jitter.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("segment.index.bytes", "4096", "8192", "1", "[12, "),
            Arguments.of("index.interval.bytes", "1024", "2048", "-1", "[0, "),
            Arguments.of("retention.ms", "3600000", "-1", "-2", "[-1, "),
            Arguments.of("retention.bytes", "1000000", "2000000", "-2", "[-1, "),
            Arguments.of("flush.messages", "10", "20", "0", "[1, "),
            Arguments.of("flush.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("max.message.bytes", "2048", "4096", "-1", "[0, "),
            Arguments.of("message.timestamp.type", "LogAppendTime", "CreateTime", "Never", "CreateTime, LogAppendTime"),
            Arguments.of("message.timestamp.before.max.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("message.timestamp.after.max.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("decompressed.batch.max.bytes", "2048", "4096", "10", "[1024, "),
            Arguments.of("compression.type", "zstd", "lz4", "brotli", "producer, uncompressed, gzip, snappy, lz4, zstd"),
            Arguments.of("compression.gzip.level", "9", "1", "10", "[1, 9] or -1"),
            Arguments.of("compression.lz4.level", "1", "17", "18", "[1, 17]"),
            Arguments.of("compression.zstd.level", "22", "-5", "23", "[-131072, 22]"),
            Arguments.of("cleanup.policy", "compact", "compact,delete", "shred", "compact, delete"),
            Arguments.of("delete.retention.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("min.cleanable.dirty.ratio", "0.1", "0.2", "1.5", "[0.0, 1.0]"),
            Arguments.of("min.compaction.lag.ms", "1000", "2000", "-1", "[0, "),
            Arguments.of("max.compaction.lag.ms", "100000", "200000", "0", "[1, "),
            Arguments.of("file.delete.delay.ms", "0", "1000", "-1", "[0, "),
            Arguments.of("preallocate", "true", "false", "maybe", "true or false"),
            Arguments.of("min.insync.replicas", "2", "3", "0", "[1, "),
            Arguments.of("unclean.leader.election.enable", "true", "false", "yes", "true or false"),
            Arguments.of("leader.replication.throttled.replicas", "0:1,1:1", "*", "0-1", "[PartitionId]:[BrokerId]"),
            Arguments.of("follower.replication.throttled.replicas", "*", "0:1", "*,0:1", "[PartitionId]:[BrokerId]"),
            Arguments.of("remote.storage.enable", "false", "false", "true", "tiered storage is not available"),
            Arguments.of("local.retention.ms", "-2", "-2", "86400000", "tiered storage is not available"),
            Arguments.of("local.retention.bytes", "-2", "-2", "1000000", "tiered storage is not available"),
            Arguments.of("remote.log.copy.disable", "false", "false", "true", "tiered storage is not available"),
            Arguments.of("remote.log.delete.on.disable", "false", "false", "true", "tiered storage is not available"));
    }

    @Test
    void theTableCoversEveryKeyButTheCreationOnlyRoutingMode() {
        Set<String> covered = keys().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> all = LogConfig.TOPIC_KEYS.keys().stream().map(k -> k.name()).collect(Collectors.toCollection(TreeSet::new));
        all.remove("routing.mode"); // fixed at creation; its own tests are in the routing suite
        assertThat(covered).isEqualTo(all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void eachKeyIsSetAlteredDescribedAndDeletedThroughKafkasAdmin(String key, String created, String altered, String bad,
                                                                  String allowed) throws Exception {
        String topic = "key-" + key.replace('.', '-');
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String defaultValue = describe("plain").get(key).value();

        // a bad value at creation: refused, naming key, value and what is allowed; no topic
        Throwable refusedCreate = failure(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
            .configs(Map.of(key, bad)))).all());
        assertThat(refusedCreate).isInstanceOf(InvalidConfigurationException.class);
        assertThat(refusedCreate.getMessage()).contains(key, bad, allowed);

        await(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(key, created)))).all());
        ConfigEntry set = describe(topic).get(key);
        assertThat(set.value()).isEqualTo(created);
        assertThat(set.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(set.synonyms().get(0).source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);

        await(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, altered),
            AlterConfigOp.OpType.SET)))).all());
        ConfigEntry alteredEntry = describe(topic).get(key);
        assertThat(alteredEntry.value()).isEqualTo(altered);
        assertThat(alteredEntry.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // a bad value in an alter: refused the same way, the stored value unchanged
        Throwable refusedAlter = failure(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
            new ConfigEntry(key, bad), AlterConfigOp.OpType.SET)))).all());
        assertThat(refusedAlter).isInstanceOf(InvalidConfigurationException.class);
        assertThat(refusedAlter.getMessage()).contains(key, bad, allowed);
        assertThat(describe(topic).get(key).value()).isEqualTo(altered);

        await(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, ""),
            AlterConfigOp.OpType.DELETE)))).all());
        ConfigEntry deleted = describe(topic).get(key);
        assertThat(deleted.value()).isEqualTo(defaultValue);
        assertThat(deleted.source()).isIn(ConfigSource.DEFAULT_CONFIG, ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(fixture.broker().logs().topicConfig(topic).overrides()).doesNotContainKey(key);
    }
}
