package io.tributary.groups;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;

import java.util.UUID;

/**
 * What the coordinator needs to know about the broker's topics: which partitions exist (a commit for one that
 * does not gets UNKNOWN_TOPIC_OR_PARTITION, as Kafka's broker answers) and how names and topic ids map onto
 * each other (OffsetCommit and OffsetFetch v10 name topics by id). Must be safe to call from any thread.
 */
public interface TopicResolver {
    /** The topic's id, or null if there is no such topic. */
    UUID topicId(String topic);

    /** The topic's name, or null if there is no topic with this id. */
    String topicName(UUID topicId);

    /** Whether the partition exists. */
    boolean exists(String topic, int partition);

    /** The broker's topics as the log manager knows them. */
    static TopicResolver of(LogManager logs) {
        return new TopicResolver() {
            @Override
            public UUID topicId(String topic) {
                TopicMetadata metadata = logs.topic(topic);
                return metadata == null ? null : metadata.topicId();
            }

            @Override
            public String topicName(UUID topicId) {
                TopicMetadata metadata = logs.topic(topicId);
                return metadata == null ? null : metadata.name();
            }

            @Override
            public boolean exists(String topic, int partition) {
                TopicMetadata metadata = logs.topic(topic);
                return metadata != null && partition >= 0 && partition < metadata.partitionCount();
            }
        };
    }
}
