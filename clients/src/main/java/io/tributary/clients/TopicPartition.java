package io.tributary.clients;

/**
 * PLACEHOLDER until the clients core lands on this branch: a topic name and a partition index.
 */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
