package io.tributary.server.config;

import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @Test
    void anEmptyConfigurationStartsOnLocalhost9092WithDataUnderDotData() {
        ServerConfig config = ServerConfig.of(Map.of());
        assertThat(config.listeners()).containsExactly(new ServerConfig.Listener("127.0.0.1", 9092));
        assertThat(config.advertisedListeners()).isEqualTo(config.listeners());
        assertThat(config.logDirs()).containsExactly(Path.of("./data"));
        assertThat(config.getInt(ServerConfig.NODE_ID)).isZero();
        assertThat(config.getInt(ServerConfig.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.getBoolean(ServerConfig.AUTO_CREATE_TOPICS_ENABLE)).isTrue();
        assertThat(config.getInt(ServerConfig.SOCKET_REQUEST_MAX_BYTES)).isEqualTo(100 * 1024 * 1024);
        assertThat(config.values().keySet()).noneMatch(config::isExplicit);
        LogConfig defaults = config.logDefaults();
        assertThat(defaults.retentionMs).isEqualTo(7L * 24 * 3_600_000);
        assertThat(defaults.segmentMs).isEqualTo(7L * 24 * 3_600_000);
        assertThat(defaults.segmentBytes).isEqualTo(1 << 30);
        assertThat(ServerConfig.load(null, Map.of()).values()).isEqualTo(config.values());
    }

    @Test
    void anInvalidValueIsRefusedNamingKeyValueAndAllowedRange() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of("num.partitions", "0")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("Invalid value 0 for configuration num.partitions: a whole number in [1, 100000]");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("socket.request.max.bytes", "lots")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("lots").hasMessageContaining("socket.request.max.bytes").hasMessageContaining("[1024, 2147483647]");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("log.segment.bytes", "10")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("log.segment.bytes").hasMessageContaining("10").hasMessageContaining("[64, 2147483647]");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("listeners", "SSL://0.0.0.0:9093")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("listeners").hasMessageContaining("SSL://0.0.0.0:9093").hasMessageContaining("PLAINTEXT://host:port");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("auto.create.topics.enable", "maybe")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("maybe").hasMessageContaining("true or false");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("log.message.timestamp.type", "Now")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("Now").hasMessageContaining("CreateTime, LogAppendTime");
    }

    @Test
    void unknownKeysAreWarnedAboutAndIgnored() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ServerConfig config;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            config = ServerConfig.of(Map.of("zookeeper.connect", "localhost:2181", "num.partitions", "4"));
        } finally {
            System.setErr(originalErr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
            .contains("WARN").contains("Ignoring unknown configuration zookeeper.connect=localhost:2181");
        assertThat(config.values()).doesNotContainKey("zookeeper.connect");
        assertThat(config.getInt(ServerConfig.NUM_PARTITIONS)).isEqualTo(4);
        assertThatThrownBy(() -> config.get("zookeeper.connect")).hasMessageContaining("zookeeper.connect");
    }

    @Test
    void kafkasOlderKeyNamesAreAccepted() {
        ServerConfig config = ServerConfig.of(Map.of("broker.id", "5", "log.dir", "/var/tributary"));
        assertThat(config.getInt(ServerConfig.NODE_ID)).isEqualTo(5);
        assertThat(config.logDirs()).containsExactly(Path.of("/var/tributary"));
    }

    @Test
    void retentionMsBeatsMinutesBeatsHours() {
        assertThat(retentionMs(Map.of())).isEqualTo(168L * 3_600_000);
        assertThat(retentionMs(Map.of("log.retention.hours", "2"))).isEqualTo(2L * 3_600_000);
        assertThat(retentionMs(Map.of("log.retention.hours", "2", "log.retention.minutes", "5"))).isEqualTo(5L * 60_000);
        assertThat(retentionMs(Map.of("log.retention.hours", "2", "log.retention.minutes", "5", "log.retention.ms", "1234")))
            .isEqualTo(1234L);
        assertThat(retentionMs(Map.of("log.retention.minutes", "-1"))).as("-1 keeps forever").isEqualTo(-1L);
        assertThat(retentionMs(Map.of("log.retention.hours", "-1"))).isEqualTo(-1L);
        assertThat(retentionMs(Map.of("log.retention.ms", "-1", "log.retention.hours", "3"))).isEqualTo(-1L);

        assertThat(ServerConfig.of(Map.of("log.roll.hours", "2")).logDefaults().segmentMs).isEqualTo(2L * 3_600_000);
        assertThat(ServerConfig.of(Map.of("log.roll.hours", "2", "log.roll.ms", "99")).logDefaults().segmentMs).isEqualTo(99L);
    }

    @Test
    void brokerSynonymsListTheKeysInTheOrderTheyWin() {
        assertThat(ServerConfig.brokerSynonyms(LogConfig.RETENTION_MS))
            .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
        assertThat(ServerConfig.brokerSynonyms(LogConfig.SEGMENT_MS)).containsExactly("log.roll.ms", "log.roll.hours");
        // Setting every synonym, the first one of the list decides, as logDefaults() applies them.
        Map<String, String> all = new HashMap<>(Map.of("log.retention.ms", "1000", "log.retention.minutes", "2",
            "log.retention.hours", "3", "log.roll.ms", "4000", "log.roll.hours", "5"));
        LogConfig defaults = ServerConfig.of(all).logDefaults();
        assertThat(defaults.retentionMs).isEqualTo(1000L);
        assertThat(defaults.segmentMs).isEqualTo(4000L);
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            String brokerSynonym = key.synonyms().isEmpty() ? null : key.synonyms().get(0).name();
            if (brokerSynonym == null) {
                // A topic-only key (routing.mode) has no broker default to take its value from.
                assertThat(ServerConfig.brokerSynonyms(key)).isEmpty();
                continue;
            }
            assertThat(ServerConfig.brokerSynonyms(key)).first().isEqualTo(brokerSynonym);
            assertThat(ServerConfig.brokerSynonyms(key)).allMatch(ServerConfig::isKnown);
        }
    }

    @Test
    void aFileIsReadAndOverridesWinOverIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=3\nlog.retention.hours=12\n# a comment\nnode.id=2\n");
        ServerConfig config = ServerConfig.load(file, Map.of("num.partitions", "6"));
        assertThat(config.getInt(ServerConfig.NUM_PARTITIONS)).isEqualTo(6);
        assertThat(config.getInt(ServerConfig.NODE_ID)).isEqualTo(2);
        assertThat(config.logDefaults().retentionMs).isEqualTo(12L * 3_600_000);

        Path missing = dir.resolve("absent.properties");
        assertThatThrownBy(() -> ServerConfig.load(missing, Map.of()))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void valueTypesAndDocumentationAreKnownForEveryKey() {
        ServerConfig config = ServerConfig.of(Map.of());
        for (String key : config.values().keySet()) {
            assertThat(ServerConfig.documentation(key)).as(key).isNotBlank();
            assertThat(ServerConfig.valueType(key)).as(key).isNotNull();
        }
        assertThat(ServerConfig.valueType("listeners")).isEqualTo(ConfigType.LIST);
        assertThat(ServerConfig.valueType("log.dirs")).isEqualTo(ConfigType.LIST);
        assertThat(ServerConfig.valueType("num.partitions")).isEqualTo(ConfigType.INT);
        assertThat(ServerConfig.valueType("log.retention.check.interval.ms")).isEqualTo(ConfigType.LONG);
        assertThat(ServerConfig.valueType("auto.create.topics.enable")).isEqualTo(ConfigType.BOOLEAN);
        assertThat(ServerConfig.valueType("log.segment.bytes")).isEqualTo(ConfigType.INT);
        assertThat(ServerConfig.valueType("log.retention.ms")).isEqualTo(ConfigType.LONG);
        assertThat(ServerConfig.valueType("log.message.timestamp.type")).isEqualTo(ConfigType.STRING);
        assertThat(List.of("no.such.key")).noneMatch(ServerConfig::isKnown);
    }

    @Test
    void theGroupCoordinatorKeysAreBrokerKeysWithKafkasNamesAndDefaultsValidatedTogether() {
        ServerConfig defaults = ServerConfig.of(Map.of());
        assertThat(defaults.groupCoordinatorConfig()).isEqualTo(GroupCoordinatorConfig.defaults());
        GroupCoordinatorConfig.defaults().asProperties().forEach((key, value) -> {
            assertThat(ServerConfig.isKnown(key)).as(key).isTrue();
            assertThat(ServerConfig.defaultValue(key)).as(key).isEqualTo(value);
            assertThat(defaults.get(key)).as(key).isEqualTo(value);
        });
        assertThat(ServerConfig.valueType("group.max.size")).isEqualTo(ConfigType.INT);
        assertThat(ServerConfig.valueType("offsets.retention.check.interval.ms")).isEqualTo(ConfigType.LONG);

        ServerConfig set = ServerConfig.of(Map.of("group.initial.rebalance.delay.ms", "0", "group.min.session.timeout.ms", " 500 ",
            "offsets.retention.minutes", "60", "group.coordinator.threads", "1"));
        assertThat(set.groupCoordinatorConfig().initialRebalanceDelayMs()).isZero();
        assertThat(set.groupCoordinatorConfig().minSessionTimeoutMs()).isEqualTo(500);
        assertThat(set.groupCoordinatorConfig().offsetsRetentionMs()).isEqualTo(3_600_000L);
        assertThat(set.groupCoordinatorConfig().threads()).isEqualTo(1);
        assertThat(set.isExplicit("group.initial.rebalance.delay.ms")).isTrue();

        assertThatThrownBy(() -> ServerConfig.of(Map.of("offsets.topic.num.partitions", "0")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("Invalid value 0 for configuration offsets.topic.num.partitions: must be at least 1");
        assertThatThrownBy(() -> ServerConfig.of(Map.of("group.max.size", "many")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("Invalid value many for configuration group.max.size");
        // one key's limit is another key's value: the default maximum session timeout is below this minimum ...
        assertThatThrownBy(() -> ServerConfig.of(Map.of("group.min.session.timeout.ms", "2000000")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("Invalid value 1800000 for configuration group.max.session.timeout.ms: must be at least 2000000");
        // ... and raising both together is fine
        assertThat(ServerConfig.of(Map.of("group.min.session.timeout.ms", "2000000", "group.max.session.timeout.ms", "3000000"))
            .groupCoordinatorConfig().maxSessionTimeoutMs()).isEqualTo(3_000_000);
    }

    private static long retentionMs(Map<String, String> settings) {
        return ServerConfig.of(settings).logDefaults().retentionMs;
    }
}
