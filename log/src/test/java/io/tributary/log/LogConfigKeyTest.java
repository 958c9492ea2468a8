package io.tributary.log;

import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogConfigKeyTest {
    private static String brokerSynonym(ConfigKey<?> key) {
        return key.synonyms().get(0).name();
    }

    @Test
    void compactionKeysHaveKafkasNamesSynonymsAndDefaults() {
        assertThat(brokerSynonym(LogConfig.CLEANUP_POLICY)).isEqualTo("log.cleanup.policy");
        assertThat(brokerSynonym(LogConfig.DELETE_RETENTION_MS)).isEqualTo("log.cleaner.delete.retention.ms");
        assertThat(brokerSynonym(LogConfig.MIN_CLEANABLE_DIRTY_RATIO)).isEqualTo("log.cleaner.min.cleanable.ratio");
        assertThat(brokerSynonym(LogConfig.MIN_COMPACTION_LAG_MS)).isEqualTo("log.cleaner.min.compaction.lag.ms");
        assertThat(brokerSynonym(LogConfig.MAX_COMPACTION_LAG_MS)).isEqualTo("log.cleaner.max.compaction.lag.ms");
        LogConfig defaults = LogConfig.defaults();
        assertThat(defaults.delete).isTrue();
        assertThat(defaults.compact).isFalse();
        assertThat(defaults.deleteRetentionMs).isEqualTo(86_400_000L);
        assertThat(defaults.minCleanableDirtyRatio).isEqualTo(0.5);
        assertThat(defaults.minCompactionLagMs).isZero();
        assertThat(defaults.maxCompactionLagMs).isEqualTo(Long.MAX_VALUE);
        assertThat(defaults.rollMs()).isEqualTo(defaults.segmentMs);
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            assertThat(LogConfig.validate(key, key.defaultText())).as(key.name()).isEqualTo(key.defaultText());
        }
    }

    @Test
    void cleanupPolicyIsAListOfCompactAndDeleteInAnyOrderAndCase() {
        ConfigKey<?> key = LogConfig.CLEANUP_POLICY;
        assertThat(key.type()).isEqualTo(ConfigType.LIST);
        assertThat(LogConfig.validate(key, "compact")).isEqualTo("compact");
        assertThat(LogConfig.validate(key, " Compact , DELETE ")).isEqualTo("compact,delete");
        assertThat(LogConfig.validate(key, "delete,compact")).isEqualTo("delete,compact");
        assertThat(LogConfig.validate(key, "compact,compact")).isEqualTo("compact");
        LogConfig both = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "DELETE,Compact"));
        assertThat(both.compact).isTrue();
        assertThat(both.delete).isTrue();
        LogConfig compactOnly = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "compact"));
        assertThat(compactOnly.delete).isFalse();

        assertThatThrownBy(() -> LogConfig.validate(key, "compact,shred")).isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("compact,shred").hasMessageContaining("'shred'").hasMessageContaining("cleanup.policy")
            .hasMessageContaining("one or more of compact, delete");
        assertThatThrownBy(() -> LogConfig.validate(key, "")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("''");
        assertThatThrownBy(() -> LogConfig.validate(key, "compact,")).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void theDirtyRatioIsADecimalBetweenZeroAndOne() {
        ConfigKey<?> key = LogConfig.MIN_CLEANABLE_DIRTY_RATIO;
        assertThat(key.type()).isEqualTo(ConfigType.DOUBLE);
        assertThat(LogConfig.validate(key, "0.50")).isEqualTo("0.5");
        assertThat(LogConfig.validate(key, "1")).isEqualTo("1.0");
        assertThat(LogConfig.validate(key, ".25")).isEqualTo("0.25");
        assertThat(LogConfig.validate(key, "5e-1")).isEqualTo("0.5");
        assertThat(LogConfig.defaults().withOverrides(Map.of("min.cleanable.dirty.ratio", "0.01")).minCleanableDirtyRatio).isEqualTo(0.01);
        for (String bad : new String[] {"1.01", "-0.1"}) {
            assertThatThrownBy(() -> LogConfig.validate(key, bad)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad).hasMessageContaining("min.cleanable.dirty.ratio").hasMessageContaining("[0.0, 1.0]");
        }
        for (String notANumber : new String[] {"NaN", "Infinity", "0x1p-1", "0.5d", "half", ""}) {
            assertThatThrownBy(() -> LogConfig.validate(key, notANumber)).as(notANumber).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a number");
        }
    }

    @Test
    void lagsAndRetentionAreRangeChecked() {
        assertThatThrownBy(() -> LogConfig.validate(LogConfig.MAX_COMPACTION_LAG_MS, "0")).hasMessageContaining("[1, 9223372036854775807]");
        assertThatThrownBy(() -> LogConfig.validate(LogConfig.MIN_COMPACTION_LAG_MS, "-1")).hasMessageContaining("min.compaction.lag.ms");
        assertThatThrownBy(() -> LogConfig.validate(LogConfig.DELETE_RETENTION_MS, "soon")).hasMessageContaining("not a whole number");
        LogConfig compacted = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "compact", "max.compaction.lag.ms", "60000"));
        assertThat(compacted.rollMs()).isEqualTo(60_000);
        LogConfig deleting = LogConfig.defaults().withOverrides(Map.of("max.compaction.lag.ms", "60000"));
        assertThat(deleting.rollMs()).isEqualTo(deleting.segmentMs);
    }
}
