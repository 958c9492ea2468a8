package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.TributaryException;

import java.util.Set;

/** No position for some partitions, no committed offset, and {@code auto.offset.reset=none}. */
public class NoOffsetForPartitionException extends TributaryException {
    private final Set<TopicPartition> partitions;

    public NoOffsetForPartitionException(Set<TopicPartition> partitions) {
        super("No committed offset and auto.offset.reset=none for partitions " + partitions);
        this.partitions = Set.copyOf(partitions);
    }

    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
