package io.tributary.groups;

import io.tributary.log.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCoordinatorConfigTest {

    @Test
    void defaultsAreKafkas() {
        GroupCoordinatorConfig c = GroupCoordinatorConfig.defaults();
        assertThat(c.initialRebalanceDelayMs()).isEqualTo(3000);
        assertThat(c.maxGroupSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.minSessionTimeoutMs()).isEqualTo(6000);
        assertThat(c.maxSessionTimeoutMs()).isEqualTo(1_800_000);
        assertThat(c.offsetsTopicPartitions()).isEqualTo(50);
        assertThat(c.offsetsRetentionMs()).isEqualTo(7L * 24 * 60 * 60 * 1000);
        assertThat(c.offsetsRetentionCheckIntervalMs()).isEqualTo(600_000);
        assertThat(c.offsetMetadataMaxBytes()).isEqualTo(4096);
        assertThat(GroupCoordinatorConfig.fromProperties(c.asProperties())).isEqualTo(c);
    }

    @Test
    void brokerPropertiesOverrideAndOtherKeysAreIgnored() {
        GroupCoordinatorConfig c = GroupCoordinatorConfig.fromProperties(Map.of(
            "group.initial.rebalance.delay.ms", "0", "offsets.retention.minutes", "60", "log.dirs", "/data", "group.max.size", " 10 "));
        assertThat(c.initialRebalanceDelayMs()).isZero();
        assertThat(c.offsetsRetentionMs()).isEqualTo(3_600_000);
        assertThat(c.maxGroupSize()).isEqualTo(10);
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheLimit() {
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromProperties(Map.of("offsets.topic.num.partitions", "0")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("Invalid value 0 for configuration offsets.topic.num.partitions: must be at least 1");
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromProperties(Map.of("group.min.session.timeout.ms", "9000",
            "group.max.session.timeout.ms", "8000")))
            .hasMessage("Invalid value 8000 for configuration group.max.session.timeout.ms: must be at least 9000");
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromProperties(Map.of("group.max.size", "many")))
            .hasMessageContaining("Invalid value many for configuration group.max.size");
        assertThatThrownBy(() -> GroupCoordinatorConfig.fromProperties(Map.of("offsets.retention.minutes", Long.toString(Long.MAX_VALUE))))
            .hasMessageContaining("offsets.retention.minutes").hasMessageContaining("must be at most");
        assertThatThrownBy(() -> GroupCoordinatorConfig.defaults().with("group.bogus", "1"))
            .hasMessageContaining("Unknown group coordinator configuration group.bogus");
    }

    @Test
    void theGroupPartitionIsKafkas() {
        // Kafka: Utils.abs(groupId.hashCode()) % partitions, with abs(Integer.MIN_VALUE) = 0
        assertThat(GroupCoordinator.partitionFor("my-group", 50)).isEqualTo(Math.abs("my-group".hashCode()) % 50);
        String minHash = "polygenelubricants"; // its hashCode is Integer.MIN_VALUE
        assertThat(minHash.hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(GroupCoordinator.partitionFor(minHash, 50)).isZero();
    }
}
