package io.tributary.clients.serialization;

import io.tributary.clients.Headers;
import io.tributary.clients.errors.SerializationException;

import java.nio.ByteBuffer;

/** Eight bytes, big-endian; any other size is a SerializationException naming the size and the topic. */
public final class LongDeserializer implements Deserializer<Long> {
    @Override
    public Long deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public Long deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() != Long.BYTES) {
            throw new SerializationException("A Long is 8 bytes, but a record of topic " + topic + " has " + data.remaining());
        }
        return data.getLong(data.position());
    }
}
