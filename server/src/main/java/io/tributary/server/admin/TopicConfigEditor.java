package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Changes a topic's config overrides for AlterConfigs and IncrementalAlterConfigs: reads the current
 * overrides, computes the new set, validates it as a whole against the broker defaults, and (unless only
 * validating) hands it to the log manager, which persists it atomically and applies it to the live logs.
 *
 * <p>Invariant: every admin config change runs under this editor's lock, so an incremental change never
 * starts from overrides that a concurrent change is replacing, and no update is lost. Nothing else in the
 * broker writes topic configs (creation sets them atomically in the log manager).
 */
final class TopicConfigEditor {
    private final LogManager logs;
    private final Object lock = new Object();

    TopicConfigEditor(LogManager logs) {
        this.logs = logs;
    }

    /**
     * @throws AdminException                           UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist
     * @throws io.tributary.log.InvalidConfigException a value outside what its key allows, naming both
     */
    void edit(String topic, UnaryOperator<Map<String, String>> change, boolean validateOnly) {
        synchronized (lock) {
            TopicMetadata metadata = logs.topic(topic);
            if (metadata == null) {
                throw unknownTopic(topic);
            }
            Map<String, String> overrides = change.apply(Map.copyOf(metadata.configOverrides()));
            overrides.keySet().forEach(ConfigChanges::requireKnown);
            logs.checkTopicConfig(topic, overrides);
            if (!validateOnly) {
                logs.setTopicConfig(topic, overrides);
            }
        }
    }

    static AdminException unknownTopic(String topic) {
        return new AdminException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + topic + " does not exist");
    }
}
