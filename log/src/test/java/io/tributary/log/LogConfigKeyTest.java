package io.tributary.log;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogConfigKeyTest {
    @Test
    void compactionKeysHaveKafkasNamesSynonymsAndDefaults() {
        assertThat(LogConfigKey.CLEANUP_POLICY.brokerSynonym).isEqualTo("log.cleanup.policy");
        assertThat(LogConfigKey.DELETE_RETENTION_MS.brokerSynonym).isEqualTo("log.cleaner.delete.retention.ms");
        assertThat(LogConfigKey.MIN_CLEANABLE_DIRTY_RATIO.brokerSynonym).isEqualTo("log.cleaner.min.cleanable.ratio");
        assertThat(LogConfigKey.MIN_COMPACTION_LAG_MS.brokerSynonym).isEqualTo("log.cleaner.min.compaction.lag.ms");
        assertThat(LogConfigKey.MAX_COMPACTION_LAG_MS.brokerSynonym).isEqualTo("log.cleaner.max.compaction.lag.ms");
        LogConfig defaults = LogConfig.defaults();
        assertThat(defaults.delete).isTrue();
        assertThat(defaults.compact).isFalse();
        assertThat(defaults.deleteRetentionMs).isEqualTo(86_400_000L);
        assertThat(defaults.minCleanableDirtyRatio).isEqualTo(0.5);
        assertThat(defaults.minCompactionLagMs).isZero();
        assertThat(defaults.maxCompactionLagMs).isEqualTo(Long.MAX_VALUE);
        assertThat(defaults.rollMs()).isEqualTo(defaults.segmentMs);
        for (LogConfigKey key : LogConfigKey.values()) {
            assertThat(key.validate(key.defaultValue)).as(key.configName).isEqualTo(key.defaultValue);
        }
    }

    @Test
    void cleanupPolicyIsAListOfCompactAndDeleteInAnyOrderAndCase() {
        LogConfigKey key = LogConfigKey.CLEANUP_POLICY;
        assertThat(key.type).isEqualTo(LogConfigKey.Type.LIST);
        assertThat(key.validate("compact")).isEqualTo("compact");
        assertThat(key.validate(" Compact , DELETE ")).isEqualTo("compact,delete");
        assertThat(key.validate("delete,compact")).isEqualTo("delete,compact");
        assertThat(key.validate("compact,compact")).isEqualTo("compact");
        LogConfig both = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "DELETE,Compact"));
        assertThat(both.compact).isTrue();
        assertThat(both.delete).isTrue();
        LogConfig compactOnly = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "compact"));
        assertThat(compactOnly.delete).isFalse();

        assertThatThrownBy(() -> key.validate("compact,shred")).isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("compact,shred").hasMessageContaining("'shred'").hasMessageContaining("cleanup.policy")
            .hasMessageContaining("one or more of compact, delete");
        assertThatThrownBy(() -> key.validate("")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("''");
        assertThatThrownBy(() -> key.validate("compact,")).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void theDirtyRatioIsADecimalBetweenZeroAndOne() {
        LogConfigKey key = LogConfigKey.MIN_CLEANABLE_DIRTY_RATIO;
        assertThat(key.type).isEqualTo(LogConfigKey.Type.DOUBLE);
        assertThat(key.validate("0.50")).isEqualTo("0.5");
        assertThat(key.validate("1")).isEqualTo("1.0");
        assertThat(key.validate(".25")).isEqualTo("0.25");
        assertThat(key.validate("5e-1")).isEqualTo("0.5");
        assertThat(LogConfig.defaults().withOverrides(Map.of("min.cleanable.dirty.ratio", "0.01")).minCleanableDirtyRatio).isEqualTo(0.01);
        for (String bad : new String[] {"1.01", "-0.1"}) {
            assertThatThrownBy(() -> key.validate(bad)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad).hasMessageContaining("min.cleanable.dirty.ratio").hasMessageContaining("[0.0, 1.0]");
        }
        for (String notANumber : new String[] {"NaN", "Infinity", "0x1p-1", "0.5d", "half", ""}) {
            assertThatThrownBy(() -> key.validate(notANumber)).as(notANumber).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a number");
        }
    }

    @Test
    void lagsAndRetentionAreRangeChecked() {
        assertThatThrownBy(() -> LogConfigKey.MAX_COMPACTION_LAG_MS.validate("0")).hasMessageContaining("[1, 9223372036854775807]");
        assertThatThrownBy(() -> LogConfigKey.MIN_COMPACTION_LAG_MS.validate("-1")).hasMessageContaining("min.compaction.lag.ms");
        assertThatThrownBy(() -> LogConfigKey.DELETE_RETENTION_MS.validate("soon")).hasMessageContaining("not a whole number");
        LogConfig compacted = LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "compact", "max.compaction.lag.ms", "60000"));
        assertThat(compacted.rollMs()).isEqualTo(60_000);
        LogConfig deleting = LogConfig.defaults().withOverrides(Map.of("max.compaction.lag.ms", "60000"));
        assertThat(deleting.rollMs()).isEqualTo(deleting.segmentMs);
    }
}
