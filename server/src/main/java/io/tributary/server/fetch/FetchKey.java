package io.tributary.server.fetch;

import java.util.Objects;
import java.util.UUID;

/**
 * A partition as a fetch request names it: by topic id from Fetch v13 on, by topic name before. Exactly one
 * of {@code topicId} and {@code topic} is set, so two keys are equal exactly when requests of the same
 * naming style name the same partition; a fetch session holds keys of one style only (a session made at
 * v13+ refuses older requests and the other way round, as Kafka's does).
 */
record FetchKey(UUID topicId, String topic, int partition) {
    FetchKey {
        if ((topicId == null) == (topic == null)) {
            throw new IllegalArgumentException("A fetch key names its topic by id or by name, not " + (topicId == null ? "neither" : "both"));
        }
    }

    static FetchKey byId(UUID topicId, int partition) {
        return new FetchKey(topicId, null, partition);
    }

    static FetchKey byName(String topic, int partition) {
        return new FetchKey(null, topic, partition);
    }

    boolean isById() {
        return topicId != null;
    }

    boolean sameTopic(FetchKey other) {
        return Objects.equals(topicId, other.topicId) && Objects.equals(topic, other.topic);
    }

    @Override
    public String toString() {
        return (topicId != null ? topicId.toString() : topic) + "-" + partition;
    }
}
