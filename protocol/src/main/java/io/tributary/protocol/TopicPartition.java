package io.tributary.protocol;

import java.util.Objects;

/**
 * A topic name and partition number: the unit of ordering, leadership and offsets, and the identity of one
 * partition log. Its directory under a log dir is {@code <topic>-<partition>}, as in Kafka; topic names may
 * contain '-', so parsing splits at the last one.
 *
 * @param topic     the topic's name, not null
 * @param partition from 0
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("Partition " + partition + " of topic " + topic + " is negative");
        }
    }

    /** The directory name holding this partition's segments. */
    public String dirName() {
        return topic + "-" + partition;
    }

    /**
     * Parses a partition directory name.
     *
     * @return null when the name is not {@code <topic>-<non-negative int>}
     */
    public static TopicPartition parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        String number = name.substring(dash + 1);
        for (int i = 0; i < number.length(); i++) {
            if (!Character.isDigit(number.charAt(i))) {
                return null;
            }
        }
        try {
            return new TopicPartition(name.substring(0, dash), Integer.parseInt(number));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int compareTo(TopicPartition o) {
        int byTopic = topic.compareTo(o.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return dirName();
    }
}
