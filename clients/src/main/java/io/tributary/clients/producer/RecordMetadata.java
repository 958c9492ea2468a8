package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;

/**
 * Where a sent record landed.
 *
 * @param offset              its offset in the partition, or -1 when unknown (acks=0, or a duplicate the broker
 *                            recognised without naming the original offset)
 * @param timestamp           the record's timestamp, or the broker's log-append time on such topics
 * @param serializedKeySize   bytes of the serialized key, -1 for a null key
 * @param serializedValueSize bytes of the serialized value, -1 for a null value
 */
public record RecordMetadata(TopicPartition partition, long offset, long timestamp, int serializedKeySize,
                             int serializedValueSize) {
    public String topic() {
        return partition.topic();
    }
}
