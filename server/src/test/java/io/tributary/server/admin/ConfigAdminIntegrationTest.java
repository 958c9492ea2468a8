package io.tributary.server.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.log.LogConfig;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigType;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tributary.server.admin.AdminTestSupport.await;
import static io.tributary.server.admin.AdminTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * DescribeConfigs, IncrementalAlterConfigs (through Kafka's AdminClient) and AlterConfigs (removed from
 * the 4.x AdminClient, so sent as Kafka's own AlterConfigsRequest on a plain socket) against a broker with
 * two settings in its configuration, so all three config sources show up.
 */
class ConfigAdminIntegrationTest {
    BrokerFixture fixture = new BrokerFixture(Map.of("log.retention.hours", "48", "log.segment.bytes", "2097152"));
    Admin admin;
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");

    @BeforeEach
    void createTopic() throws Exception {
        admin = fixture.admin();
        await(admin.createTopics(List.of(new NewTopic("configured", 2, (short) 1)
            .configs(Map.of("max.message.bytes", "2048")))).all());
    }

    @AfterEach
    void stop() {
        admin.close();
        fixture.close();
    }

    private Config describe(ConfigResource resource, DescribeConfigsOptions options) throws Exception {
        return await(admin.describeConfigs(List.of(resource), options).all()).get(resource);
    }

    private Config describe(ConfigResource resource) throws Exception {
        return describe(resource, new DescribeConfigsOptions());
    }

    private static List<org.assertj.core.groups.Tuple> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream().map(s -> tuple(s.name(), s.value(), s.source())).toList();
    }

    @Test
    void topicConfigsShowTheirSourceSynonymsTypeAndDocumentation() throws Exception {
        Config config = describe(topic, new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true));
        assertThat(config.entries()).hasSize(LogConfig.TOPIC_KEYS.keys().size())
            .allSatisfy(e -> {
                assertThat(e.isReadOnly()).isFalse();
                assertThat(e.isSensitive()).isFalse();
                assertThat(e.documentation()).isNotBlank();
            });

        ConfigEntry maxMessage = config.get("max.message.bytes");
        assertThat(maxMessage.value()).isEqualTo("2048");
        assertThat(maxMessage.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(maxMessage.type()).isEqualTo(ConfigType.INT);
        assertThat(synonyms(maxMessage)).containsExactly(
            tuple("max.message.bytes", "2048", ConfigSource.DYNAMIC_TOPIC_CONFIG),
            tuple("message.max.bytes", "1048588", ConfigSource.DEFAULT_CONFIG));

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo(Long.toString(48L * 3_600_000));
        assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(retention.type()).isEqualTo(ConfigType.LONG);
        assertThat(synonyms(retention)).containsExactly(
            tuple("log.retention.hours", "48", ConfigSource.STATIC_BROKER_CONFIG),
            tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));

        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("2097152");
        assertThat(segment.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);

        ConfigEntry timestampType = config.get("message.timestamp.type");
        assertThat(timestampType.value()).isEqualTo("CreateTime");
        assertThat(timestampType.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(timestampType.type()).isEqualTo(ConfigType.STRING);
        assertThat(synonyms(timestampType)).containsExactly(
            tuple("log.message.timestamp.type", "CreateTime", ConfigSource.DEFAULT_CONFIG));

        Config plain = describe(topic);
        assertThat(plain.entries()).allSatisfy(e -> {
            assertThat(e.synonyms()).isEmpty();
            assertThat(e.documentation()).isNull();
        });
        assertThat(plain.get("retention.ms").value()).isEqualTo(retention.value());
    }

    @Test
    void onlyTheRequestedKeysAreDescribed() {
        DescribeConfigsRequestData data = new DescribeConfigsRequestData();
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("configured")
            .setConfigurationKeys(List.of("retention.ms", "no.such.key")));
        try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            DescribeConfigsResponse response = connection.send(new DescribeConfigsRequest.Builder(data), (short) 4);
            DescribeConfigsResult result = response.data().results().get(0);
            assertThat(result.errorCode()).isZero();
            assertThat(result.configs()).extracting(c -> c.name()).containsExactly("retention.ms");
        }
    }

    @Test
    void describingUnknownTopicsAndOtherBrokersIsRefused() throws Exception {
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "missing");
        assertThat(failure(admin.describeConfigs(List.of(missing)).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("missing");

        DescribeConfigsRequestData data = new DescribeConfigsRequestData();
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("7"));
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName("0"));
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName(""));
        try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            List<DescribeConfigsResult> results = connection.<DescribeConfigsResponse>send(
                new DescribeConfigsRequest.Builder(data), (short) 4).data().results();
            assertThat(results.get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(results.get(0).errorMessage()).contains("received 7");
            assertThat(results.get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(results.get(1).errorMessage()).contains("resource type 8");
            assertThat(results.get(2).errorCode()).as("cluster-wide defaults: none").isZero();
            assertThat(results.get(2).configs()).isEmpty();
        }
    }

    @Test
    void brokerConfigsAreTheServerConfigurationReadOnly() throws Exception {
        Config broker = describe(new ConfigResource(ConfigResource.Type.BROKER, "0"),
            new DescribeConfigsOptions().includeSynonyms(true));
        assertThat(broker.entries()).allSatisfy(e -> assertThat(e.isReadOnly()).isTrue());
        assertThat(broker.get("log.retention.hours").value()).isEqualTo("48");
        assertThat(broker.get("log.retention.hours").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(broker.get("num.partitions").value()).isEqualTo("1");
        assertThat(broker.get("num.partitions").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(broker.get("num.partitions").type()).isEqualTo(ConfigType.INT);
        assertThat(broker.get("listeners").type()).isEqualTo(ConfigType.LIST);
        assertThat(broker.get("auto.create.topics.enable").type()).isEqualTo(ConfigType.BOOLEAN);
        // the group coordinator's keys are broker keys like the others
        assertThat(broker.get("group.min.session.timeout.ms").value()).isEqualTo("6000");
        assertThat(broker.get("group.min.session.timeout.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(broker.get("group.min.session.timeout.ms").type()).isEqualTo(ConfigType.INT);
        assertThat(broker.get("offsets.retention.check.interval.ms").type()).isEqualTo(ConfigType.LONG);
        ConfigEntry retentionMs = broker.get("log.retention.ms");
        assertThat(retentionMs.value()).as("what topics get, from the hours").isEqualTo(Long.toString(48L * 3_600_000));
        assertThat(retentionMs.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(synonyms(retentionMs)).containsExactly(
            tuple("log.retention.hours", "48", ConfigSource.STATIC_BROKER_CONFIG),
            tuple("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
    }

    @Test
    void incrementalAlterSetsAndDeletesKeyByKeyAndTheLiveLogsFollow() throws Exception {
        await(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("segment.bytes", "1048576"), AlterConfigOp.OpType.SET)))).all());
        await(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("max.message.bytes", null), AlterConfigOp.OpType.DELETE)))).all());

        Config config = describe(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("5000");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("max.message.bytes").value()).isEqualTo("1048588");
        assertThat(config.get("max.message.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(fixture.broker().logs().topic("configured").configOverrides())
            .isEqualTo(Map.of("retention.ms", "5000", "segment.bytes", "1048576"));
        assertThat(fixture.broker().logs().log(new TopicPartition("configured", 1)).config().retentionMs).isEqualTo(5000L);
    }

    @Test
    void incrementalAlterRefusalsChangeNothing() throws Exception {
        Map<String, String> before = fixture.broker().logs().topic("configured").configOverrides();
        Throwable append = failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("segment.ms", "1000"), AlterConfigOp.OpType.APPEND)))).all());
        assertThat(append).isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("append is not allowed for config key: segment.ms");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SUBTRACT)))).all()))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("subtract");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("segment.index.bytes", "4"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("segment.index.bytes").hasMessageContaining("value 4").hasMessageContaining("[12, 2147483647]");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("message.timestamp.type", "WallClock"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("WallClock").hasMessageContaining("CreateTime, LogAppendTime");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            // An unknown topic config (compression.type was the example until it became a topic key, issue 19;
            // message.downconversion.enable left Kafka in 4.0).
            new AlterConfigOp(new ConfigEntry("message.downconversion.enable", "true"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("message.downconversion.enable");
        await(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "7"), AlterConfigOp.OpType.SET))),
            new AlterConfigsOptions().validateOnly(true)).all());
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "missing");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(missing, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "7"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("missing");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
        assertThat(failure(admin.incrementalAlterConfigs(Map.of(broker, List.of(
            new AlterConfigOp(new ConfigEntry("log.retention.ms", "7"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("dynamic broker configs are not supported");

        assertThat(fixture.broker().logs().topic("configured").configOverrides()).isEqualTo(before);
    }

    /** AlterConfigs is gone from the 4.x AdminClient; this sends Kafka's own v2 request and maps errors as the client did. */
    private Map<ConfigResource, ApiError> alterConfigs(Map<ConfigResource, Map<String, String>> configs, boolean validateOnly) {
        Map<ConfigResource, AlterConfigsRequest.Config> request = new HashMap<>();
        configs.forEach((resource, entries) -> {
            Collection<AlterConfigsRequest.ConfigEntry> list = new ArrayList<>();
            entries.forEach((name, value) -> list.add(new AlterConfigsRequest.ConfigEntry(name, value)));
            request.put(resource, new AlterConfigsRequest.Config(list));
        });
        try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            AlterConfigsResponse response = connection.send(new AlterConfigsRequest.Builder(request, validateOnly), (short) 2);
            return response.errors();
        }
    }

    @Test
    void alterConfigsReplacesTheOverridesWholesale() throws Exception {
        await(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET)))).all());

        assertThat(alterConfigs(Map.of(topic, Map.of("segment.ms", "60000")), true).get(topic).isSuccess()).isTrue();
        assertThat(fixture.broker().logs().topic("configured").configOverrides()).as("validate only")
            .isEqualTo(Map.of("retention.ms", "5000", "max.message.bytes", "2048"));

        assertThat(alterConfigs(Map.of(topic, Map.of("segment.ms", "60000")), false).get(topic).isSuccess()).isTrue();
        assertThat(fixture.broker().logs().topic("configured").configOverrides()).isEqualTo(Map.of("segment.ms", "60000"));
        Config config = describe(topic);
        assertThat(config.get("segment.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("1048588");
    }

    @Test
    void alterConfigsRefusalsAreTheKafkaErrors() {
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "missing");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
        Map<ConfigResource, ApiError> errors = alterConfigs(Map.of(
            topic, Map.of("flush.messages", "0"),
            missing, Map.of("retention.ms", "1"),
            broker, Map.of("num.partitions", "3")), false);
        assertThat(errors.get(topic).exception()).isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("flush.messages").hasMessageContaining("value 0").hasMessageContaining("[1, 9223372036854775807]");
        assertThat(errors.get(missing).exception()).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(errors.get(broker).exception()).isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("not supported yet");
        assertThat(fixture.broker().logs().topic("configured").configOverrides()).isEqualTo(Map.of("max.message.bytes", "2048"));
    }

    @Test
    void alteredConfigsSurviveARestart() throws Exception {
        await(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.bytes", "123456789"), AlterConfigOp.OpType.SET)))).all());
        ConfigResource other = new ConfigResource(ConfigResource.Type.TOPIC, "other");
        await(admin.createTopics(List.of(new NewTopic("other", 1, (short) 1))).all());
        assertThat(alterConfigs(Map.of(other, Map.of("flush.messages", "10")), false).get(other).isSuccess()).isTrue();
        admin.close();

        fixture.restart();

        admin = fixture.admin();
        Config config = describe(topic);
        assertThat(config.get("retention.bytes").value()).isEqualTo("123456789");
        assertThat(config.get("max.message.bytes").value()).isEqualTo("2048");
        assertThat(describe(other).get("flush.messages").value()).isEqualTo("10");
        assertThat(fixture.broker().logs().log(new TopicPartition("configured", 0)).config().retentionBytes).isEqualTo(123_456_789L);
    }
}
