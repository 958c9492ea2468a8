package io.tributary.server.config;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.Synonym;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.cleaner.LogCleanerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's definition is the composition of the modules' key sets, and the settings records it builds are the
 * ones each module builds from the same keys.
 */
class ServerConfigDefinitionTest {
    @Test
    void everyModulesKeysArePartOfTheBrokersDefinitionAsDeclared() {
        for (ConfigDefinition part : List.of(LogManagerConfig.KEYS, LogCleanerConfig.KEYS, LogConfig.BROKER_KEYS,
            LogConfig.BROKER_UNIT_KEYS, GroupCoordinatorConfig.KEYS)) {
            for (ConfigKey<?> key : part.keys()) {
                assertThat(ServerConfig.DEFINITION.key(key.name())).as(key.name()).isSameAs(key);
            }
        }
        for (ConfigKey<?> topicKey : LogConfig.TOPIC_KEYS.keys()) {
            // Kafka names a few broker defaults as their topic key (compression.type, min.insync.replicas,
            // unclean.leader.election.enable, compression.*.level): those, and only those, are broker keys too.
            boolean ownBrokerSynonym = topicKey.synonyms().stream().anyMatch(s -> s.name().equals(topicKey.name()));
            assertThat(ServerConfig.isKnown(topicKey.name())).as("%s is a topic key, not a broker key", topicKey.name())
                .isEqualTo(ownBrokerSynonym);
            for (Synonym synonym : topicKey.synonyms()) {
                assertThat(ServerConfig.DEFINITION.key(synonym.name())).as(synonym.name()).isSameAs(synonym.key());
            }
        }
    }

    @Test
    void theRecordsBuiltFromOneParseAreTheModulesOwn() {
        ServerConfig config = ServerConfig.of(Map.of("log.cleaner.threads", "2", "group.max.size", "7", "log.dirs", "a, b",
            "log.retention.minutes", "3", "log.retention.check.interval.ms", "5"));
        assertThat(config.logManagerConfig().cleaner()).isEqualTo(new LogCleanerConfig(true, 2, 128L * 1024 * 1024, 512 * 1024, 15_000));
        assertThat(config.groupCoordinatorConfig()).isEqualTo(GroupCoordinatorConfig.defaults().with("group.max.size", "7"));
        assertThat(config.logManagerConfig().logDirs()).containsExactly(Path.of("a"), Path.of("b"));
        assertThat(config.get(LogManagerConfig.LOG_DIRS)).containsExactly("a", "b");
        assertThat(config.logManagerConfig().retentionCheckIntervalMs()).isEqualTo(5);
        assertThat(config.logDefaults().retentionMs).isEqualTo(3 * 60_000L);
        assertThat(config.logDefaults().get(LogConfig.RETENTION_MS)).isEqualTo(3 * 60_000L);
        assertThat(config.get(ServerConfig.NUM_PARTITIONS_KEY)).isEqualTo(1);
    }
}
