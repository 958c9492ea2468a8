package io.tributary.clients.producer;

import io.tributary.clients.metadata.Cluster;

import java.util.Map;

/**
 * Chooses the partition of a record that names none. Called on the thread that calls {@code send}, so it
 * must be thread-safe, and it should be quick: it runs for every record.
 *
 * <p>The built-in choice ({@link BuiltInPartitioner}) is Kafka's: a keyed record goes to
 * {@code toPositive(murmur2(keyBytes)) % partitionCount}; keyless records stick to one partition until a batch's
 * worth has gone there. A custom partitioner can return {@link #USE_BUILT_IN} for records it leaves to that logic.
 */
public interface Partitioner extends AutoCloseable {
    /** Returned by {@link #partition} to let the built-in partitioner place the record. */
    int USE_BUILT_IN = -1;

    /** Called once, after construction, with the producer's configuration as given. */
    default void configure(Map<String, ?> configs) {
    }

    /**
     * @param record     the record as the application passed it
     * @param keyBytes   the serialized key, or null
     * @param valueBytes the serialized value, or null
     * @param cluster    a snapshot in which the topic is available: {@code cluster.partitionCount(topic)} and
     *                   {@code cluster.topic(topic)} describe it
     * @return a partition in [0, partition count), or {@link #USE_BUILT_IN}
     */
    int partition(ProducerRecord<?, ?> record, byte[] keyBytes, byte[] valueBytes, Cluster cluster);

    @Override
    default void close() {
    }
}
