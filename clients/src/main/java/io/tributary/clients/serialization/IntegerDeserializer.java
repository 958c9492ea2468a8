package io.tributary.clients.serialization;

import io.tributary.clients.Headers;
import io.tributary.clients.errors.SerializationException;

import java.nio.ByteBuffer;

/** Four bytes, big-endian; any other size is a SerializationException naming the size and the topic. */
public final class IntegerDeserializer implements Deserializer<Integer> {
    @Override
    public Integer deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public Integer deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() != Integer.BYTES) {
            throw new SerializationException("An Integer is 4 bytes, but a record of topic " + topic + " has " + data.remaining());
        }
        return data.getInt(data.position());
    }
}
