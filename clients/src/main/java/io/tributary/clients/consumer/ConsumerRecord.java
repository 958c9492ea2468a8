package io.tributary.clients.consumer;

import io.tributary.clients.Headers;
import io.tributary.protocol.record.TimestampType;

import java.util.Optional;

/**
 * One record as the application receives it: where it is (topic, partition, offset), its timestamp, its
 * deserialized key and value, and its headers. Header values are read-only views of the fetched bytes.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerRecord<K, V> {
    /** What {@link #serializedKeySize()} and {@link #serializedValueSize()} return for a null key or value. */
    public static final int NULL_SIZE = -1;

    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final TimestampType timestampType;
    private final int serializedKeySize;
    private final int serializedValueSize;
    private final K key;
    private final V value;
    private final Headers headers;
    private final int leaderEpoch;

    /** @param leaderEpoch the leader epoch of the batch, or -1 if unknown */
    public ConsumerRecord(String topic, int partition, long offset, long timestamp, TimestampType timestampType,
                          int serializedKeySize, int serializedValueSize, K key, V value, Headers headers, int leaderEpoch) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.timestampType = timestampType;
        this.serializedKeySize = serializedKeySize;
        this.serializedValueSize = serializedValueSize;
        this.key = key;
        this.value = value;
        this.headers = headers;
        this.leaderEpoch = leaderEpoch;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    public TimestampType timestampType() {
        return timestampType;
    }

    /** Bytes of the serialized key, or {@link #NULL_SIZE}. */
    public int serializedKeySize() {
        return serializedKeySize;
    }

    /** Bytes of the serialized value, or {@link #NULL_SIZE}. */
    public int serializedValueSize() {
        return serializedValueSize;
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    /** Read-only. */
    public Headers headers() {
        return headers;
    }

    public Optional<Integer> leaderEpoch() {
        return leaderEpoch < 0 ? Optional.empty() : Optional.of(leaderEpoch);
    }

    @Override
    public String toString() {
        return "ConsumerRecord(topic=" + topic + ", partition=" + partition + ", offset=" + offset + ", timestamp="
            + timestamp + " " + timestampType + ", key=" + key + ", value=" + value + ", headers=" + headers + ")";
    }
}
