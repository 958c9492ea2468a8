package io.tributary.clients.serialization;

import io.tributary.clients.Headers;
import io.tributary.clients.errors.SerializationException;

import java.nio.ByteBuffer;

/** Eight bytes, big-endian IEEE 754; any other size is a SerializationException naming the size and the topic. */
public final class DoubleDeserializer implements Deserializer<Double> {
    @Override
    public Double deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public Double deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() != Double.BYTES) {
            throw new SerializationException("A Double is 8 bytes, but a record of topic " + topic + " has " + data.remaining());
        }
        return data.getDouble(data.position());
    }
}
