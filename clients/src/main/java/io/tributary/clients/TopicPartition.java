package io.tributary.clients;

/**
 * A partition of a topic: the unit of ordering, leadership and offsets.
 *
 * @param topic     the topic's name, not null
 * @param partition from 0
 */
public record TopicPartition(String topic, int partition) {
    public TopicPartition {
        if (topic == null) {
            throw new IllegalArgumentException("A topic partition needs a topic name, got null");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("Partition " + partition + " of topic " + topic + " is negative");
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
