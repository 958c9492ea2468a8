package io.tributary.server.admin;

import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigType;
import io.tributary.log.LogConfig;
import io.tributary.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDescriberTest {

    private static DescribedConfig find(List<DescribedConfig> configs, String name) {
        return configs.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<DescribedConfig> topic(Map<String, String> broker, Map<String, String> overrides) {
        ServerConfig config = ServerConfig.of(broker);
        return new ConfigDescriber(config).topic(config.logDefaults().withOverrides(overrides));
    }

    @Test
    void withNothingSetEveryTopicConfigIsItsEmbeddedDefault() {
        List<DescribedConfig> configs = topic(Map.of(), Map.of());
        assertThat(configs).extracting(DescribedConfig::name).isSorted().hasSize(LogConfig.TOPIC_KEYS.keys().size());
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            DescribedConfig config = find(configs, key.name());
            assertThat(config.source()).as(key.name()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
            assertThat(config.readOnly()).isFalse();
            assertThat(config.synonyms()).hasSize(1);
            assertThat(config.synonyms().get(0).source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        }
        DescribedConfig retention = find(configs, "retention.ms");
        assertThat(retention.value()).isEqualTo("604800000");
        assertThat(retention.synonyms()).containsExactly(
            new DescribedConfig.Synonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(find(configs, "segment.ms").synonyms()).containsExactly(
            new DescribedConfig.Synonym("log.roll.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(find(configs, "flush.messages").type()).isEqualTo(ConfigType.LONG);
        assertThat(find(configs, "index.interval.bytes").type()).isEqualTo(ConfigType.INT);
    }

    @Test
    void synonymsRunFromTheOverrideThroughEveryBrokerSettingToTheDefault() {
        List<DescribedConfig> configs = topic(Map.of("log.retention.minutes", "30", "log.retention.hours", "5"),
            Map.of("retention.ms", "1000"));
        DescribedConfig retention = find(configs, "retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.synonyms()).containsExactly(
            new DescribedConfig.Synonym("retention.ms", "1000", ConfigSource.DYNAMIC_TOPIC_CONFIG),
            new DescribedConfig.Synonym("log.retention.minutes", "30", ConfigSource.STATIC_BROKER_CONFIG),
            new DescribedConfig.Synonym("log.retention.hours", "5", ConfigSource.STATIC_BROKER_CONFIG),
            new DescribedConfig.Synonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG));

        DescribedConfig inherited = find(topic(Map.of("log.retention.minutes", "30"), Map.of()), "retention.ms");
        assertThat(inherited.value()).isEqualTo(Long.toString(30L * 60_000));
        assertThat(inherited.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void brokerSettingsAreReadOnlyAndShowWhatTopicsGet() {
        ServerConfig config = ServerConfig.of(Map.of("log.roll.hours", "2", "num.partitions", "6"));
        List<DescribedConfig> broker = new ConfigDescriber(config).broker();
        assertThat(broker).extracting(DescribedConfig::name).isSorted()
            .containsExactlyInAnyOrderElementsOf(config.values().keySet());
        assertThat(broker).allMatch(DescribedConfig::readOnly);
        DescribedConfig partitions = find(broker, "num.partitions");
        assertThat(partitions.value()).isEqualTo("6");
        assertThat(partitions.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(partitions.synonyms()).containsExactly(
            new DescribedConfig.Synonym("num.partitions", "6", ConfigSource.STATIC_BROKER_CONFIG),
            new DescribedConfig.Synonym("num.partitions", "1", ConfigSource.DEFAULT_CONFIG));
        DescribedConfig rollMs = find(broker, "log.roll.ms");
        assertThat(rollMs.value()).isEqualTo(Long.toString(2L * 3_600_000));
        assertThat(rollMs.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(rollMs.type()).isEqualTo(ConfigType.LONG);
        assertThat(find(broker, "log.roll.hours").synonyms()).containsExactly(
            new DescribedConfig.Synonym("log.roll.hours", "2", ConfigSource.STATIC_BROKER_CONFIG),
            new DescribedConfig.Synonym("log.roll.hours", "168", ConfigSource.DEFAULT_CONFIG));
        assertThat(find(broker, "log.message.timestamp.type").type()).isEqualTo(ConfigType.STRING);
    }

    @Test
    void theTopicsEffectiveValueIsReported() {
        LogConfig effective = ServerConfig.of(Map.of()).logDefaults().withOverrides(Map.of("message.timestamp.type", "LogAppendTime"));
        DescribedConfig type = find(new ConfigDescriber(ServerConfig.of(Map.of())).topic(effective), "message.timestamp.type");
        assertThat(type.value()).isEqualTo("LogAppendTime");
        assertThat(type.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }
}
