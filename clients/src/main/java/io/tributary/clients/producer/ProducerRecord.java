package io.tributary.clients.producer;

import io.tributary.clients.Headers;

/**
 * A record to send: the topic, optionally a partition (else the partitioner chooses), a key and a value
 * (either may be null), headers, and optionally a timestamp (else the time of {@code send}).
 *
 * @param partition null to let the partitioner choose
 * @param timestamp ms since the epoch, or null for the time of send
 * @param headers   never null (an empty, writable set when not given); frozen when the record is sent
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestamp, K key, V value, Headers headers) {
    public ProducerRecord {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("A record needs a topic, got " + (topic == null ? "null" : "''"));
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("Partition " + partition + " of a record for " + topic + " is negative");
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("Timestamp " + timestamp + " of a record for " + topic + " is negative");
        }
        if (headers == null) {
            headers = new Headers();
        }
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }
}
