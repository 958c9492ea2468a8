package io.tributary.clients.serialization;

import io.tributary.clients.Headers;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns a record's key or value bytes back into an object. The consumer calls the {@link ByteBuffer} form
 * with a read-only view of the fetched bytes (no copy); implement it to decode in place, or implement only
 * the {@code byte[]} form and let the default copy. The built-in ones read what Kafka's of the same name
 * write.
 *
 * @param <T> the type produced; null bytes (a null key, a tombstone) should give null
 */
public interface Deserializer<T> extends AutoCloseable {
    /** Called once, with the client's configuration, before the first use. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    T deserialize(String topic, byte[] data);

    /**
     * Decodes the bytes from {@code data}'s position to its limit; the buffer is only valid during the call
     * and its position may be moved. The default copies into an array and calls {@link #deserialize(String, byte[])}.
     */
    default T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return deserialize(topic, (byte[]) null);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return deserialize(topic, bytes);
    }

    @Override
    default void close() {
    }
}
