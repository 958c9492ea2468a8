package io.tributary.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Definition sets: parsing once, defaults, unknown keys, composition, and synonyms in Kafka's order. */
class ConfigDefinitionTest {
    static final ConfigKey<Long> LOG_RETENTION_MINUTES = ConfigKey.longKey("log.retention.minutes").defaultValue(-1L)
        .inRange(-1, Long.MAX_VALUE / 60_000).documentation("Minutes.").build();
    static final ConfigKey<Long> LOG_RETENTION_HOURS = ConfigKey.longKey("log.retention.hours").defaultValue(168L)
        .inRange(-1, Long.MAX_VALUE / 3_600_000).documentation("Hours.").build();
    static final ConfigKey<Long> RETENTION_MS = ConfigKey.longKey("retention.ms").defaultValue(604_800_000L)
        .inRange(-1, Long.MAX_VALUE).documentation("Retention.")
        .brokerSynonym("log.retention.ms")
        .synonym(Synonym.inUnit(LOG_RETENTION_MINUTES, TimeUnit.MINUTES))
        .synonym(Synonym.inUnit(LOG_RETENTION_HOURS, TimeUnit.HOURS))
        .build();
    static final ConfigKey<String> ROUTING = ConfigKey.choiceKey("routing.mode", "hash", "ordered").defaultValue("hash")
        .documentation("Routing.").build();
    static final ConfigKey<Integer> SEGMENT_BYTES = ConfigKey.intKey("segment.bytes").defaultValue(1 << 30)
        .inRange(64, Integer.MAX_VALUE).documentation("Segment.").brokerSynonym("log.segment.bytes").build();

    static final ConfigDefinition BROKER = ConfigDefinition.compose(
        ConfigDefinition.of(RETENTION_MS.synonyms().get(0).key(), LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS),
        ConfigDefinition.of(SEGMENT_BYTES.synonyms().get(0).key()));

    @Test
    void aDerivedBrokerSynonymHasTheTopicKeysTypeRangeAndDefault() {
        ConfigKey<?> broker = SEGMENT_BYTES.synonyms().get(0).key();
        assertThat(broker.name()).isEqualTo("log.segment.bytes");
        assertThat(broker.type()).isEqualTo(ConfigType.INT);
        assertThat(broker.allowed()).isEqualTo("a whole number in [64, 2147483647]");
        assertThat(broker.defaultText()).isEqualTo("1073741824");
        assertThat(broker.documentation()).isEqualTo("Segment. Broker default of topic config segment.bytes.");
        assertThat(broker.synonyms()).isEmpty();
        assertThat(RETENTION_MS.synonyms()).extracting(Synonym::name)
            .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
    }

    @Test
    void synonymsResolveFirstSetWinsElseTheLastOnesDefault() {
        assertThat(resolve(Map.of())).isEqualTo(168L * 3_600_000);
        assertThat(resolve(Map.of("log.retention.hours", "2"))).isEqualTo(2L * 3_600_000);
        assertThat(resolve(Map.of("log.retention.hours", "2", "log.retention.minutes", "5"))).isEqualTo(5L * 60_000);
        assertThat(resolve(Map.of("log.retention.hours", "2", "log.retention.minutes", "5", "log.retention.ms", "1234")))
            .isEqualTo(1234L);
        assertThat(resolve(Map.of("log.retention.minutes", "-1"))).as("-1 stays -1, not -60000").isEqualTo(-1L);
        assertThat(resolve(Map.of("log.retention.hours", "-1"))).isEqualTo(-1L);
        assertThat(resolve(Map.of("log.retention.ms", "-1", "log.retention.hours", "3"))).isEqualTo(-1L);
        ConfigValues broker = BROKER.defaults();
        assertThat(broker.resolve(SEGMENT_BYTES)).isEqualTo(1 << 30);
        assertThat(BROKER.parse(Map.of("log.segment.bytes", "1024"), ConfigDefinition.UnknownKeys.IGNORE).resolve(SEGMENT_BYTES))
            .isEqualTo(1024);
        assertThat(broker.resolve(ROUTING)).as("no synonym: the key's own default").isEqualTo("hash");
    }

    private static long resolve(Map<String, String> settings) {
        return BROKER.parse(settings, ConfigDefinition.UnknownKeys.IGNORE).resolve(RETENTION_MS);
    }

    @Test
    void parsingGivesTypedValuesExplicitnessAndCanonicalText() {
        ConfigValues values = BROKER.parse(Map.of("log.retention.hours", " 12 "), ConfigDefinition.UnknownKeys.IGNORE);
        assertThat(values.get(LOG_RETENTION_HOURS)).isEqualTo(12L);
        assertThat(values.text("log.retention.hours")).isEqualTo("12");
        assertThat(values.isSet(LOG_RETENTION_HOURS)).isTrue();
        assertThat(values.isSet("log.retention.minutes")).isFalse();
        assertThat(values.get("log.retention.minutes")).isEqualTo(-1L);
        assertThat(values.texts().keySet())
            .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours", "log.segment.bytes");
        assertThatThrownBy(() -> values.get(ROUTING)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routing.mode");
        assertThatThrownBy(() -> values.text("no.such.key")).hasMessageContaining("no.such.key");
    }

    @Test
    void theFirstInvalidValueInDeclarationOrderIsRefused() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("log.segment.bytes", "1");
        settings.put("log.retention.hours", "soon");
        assertThatThrownBy(() -> BROKER.parse(settings, ConfigDefinition.UnknownKeys.IGNORE))
            .isInstanceOf(ConfigException.class).hasMessageContaining("log.retention.hours");
    }

    @Test
    void unknownKeysGoToThePolicyAndStayInTheOriginals() {
        List<String> seen = new ArrayList<>();
        ConfigValues values = BROKER.parse(Map.of("zookeeper.connect", "x:2181"), (name, value) -> seen.add(name + "=" + value));
        assertThat(seen).containsExactly("zookeeper.connect=x:2181");
        assertThat(values.originals()).containsEntry("zookeeper.connect", "x:2181");
        assertThat(values.texts()).doesNotContainKey("zookeeper.connect");
        assertThatThrownBy(() -> BROKER.parse(Map.of("retention.mss", "1"), (name, value) -> {
            throw new ConfigException(name, "Unknown topic configuration " + name);
        })).isInstanceOf(ConfigException.class).hasMessage("Unknown topic configuration retention.mss");
    }

    @Test
    void propertiesParseLikeMaps() {
        Properties properties = new Properties();
        properties.setProperty("log.retention.minutes", "5");
        properties.put("log.segment.bytes", 4096);
        ConfigValues values = BROKER.parse(properties, ConfigDefinition.UnknownKeys.IGNORE);
        assertThat(values.get(LOG_RETENTION_MINUTES)).isEqualTo(5L);
        assertThat(values.get("log.segment.bytes")).isEqualTo(4096);
    }

    @Test
    void composingRefusesADuplicateAndWithReplacesInPlace() {
        assertThatThrownBy(() -> ConfigDefinition.compose(BROKER, ConfigDefinition.of(LOG_RETENTION_HOURS)))
            .hasMessageContaining("log.retention.hours");
        assertThatThrownBy(() -> ConfigDefinition.of(ROUTING, ROUTING)).hasMessageContaining("routing.mode");
        ConfigDefinition changed = BROKER.with(LOG_RETENTION_HOURS.withDefault(24L));
        assertThat(changed.keys()).extracting(ConfigKey::name).containsExactlyElementsOf(
            BROKER.keys().stream().map(ConfigKey::name).toList());
        assertThat(changed.defaults().get(LOG_RETENTION_HOURS)).isEqualTo(24L);
        assertThat(changed.defines(LOG_RETENTION_HOURS)).isTrue();
    }

    @Test
    void aBuilderCollectsKeysAsTheyAreDeclaredAndRefusesLateOrRepeatedOnes() {
        ConfigDefinition.Builder builder = ConfigDefinition.builder();
        ConfigKey<Long> declared = builder.add(ConfigKey.longKey("a.ms").defaultValue(1L).documentation("A.").build());
        builder.add(ROUTING);
        assertThatThrownBy(() -> builder.add(ROUTING)).isInstanceOf(IllegalStateException.class).hasMessageContaining("routing.mode");
        ConfigDefinition definition = builder.build();
        assertThat(definition.keys()).extracting(ConfigKey::name).containsExactly("a.ms", "routing.mode");
        assertThat(definition.defaults().get(declared)).isEqualTo(1L);
        assertThatThrownBy(() -> builder.add(SEGMENT_BYTES)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("segment.bytes");
    }
}
