package io.tributary.clients.serialization;

import io.tributary.clients.Headers;

import java.util.Map;

/**
 * Turns a record's key or value into bytes. The producer calls it on the thread that calls {@code send}, so
 * it may be called from several threads at once and must be thread-safe. The built-in ones produce the same
 * bytes as Kafka's of the same name, so records are interchangeable between the two clients.
 *
 * @param <T> the type serialized; a null value should serialize to null (a tombstone)
 */
public interface Serializer<T> extends AutoCloseable {
    /** Called once, with the client's configuration, before the first use. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    byte[] serialize(String topic, T data);

    /** The form the producer calls; the headers are the record's and may still be added to. */
    default byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
    }

    @Override
    default void close() {
    }
}
