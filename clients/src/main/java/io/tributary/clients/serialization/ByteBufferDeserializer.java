package io.tributary.clients.serialization;

import io.tributary.clients.Headers;

import java.nio.ByteBuffer;

/**
 * A read-only view of the fetched bytes, not a copy: it stays valid as long as the consumer keeps the fetch
 * response, i.e. until the record is garbage.
 */
public final class ByteBufferDeserializer implements Deserializer<ByteBuffer> {
    @Override
    public ByteBuffer deserialize(String topic, byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data);
    }

    @Override
    public ByteBuffer deserialize(String topic, Headers headers, ByteBuffer data) {
        return data == null ? null : data.slice().asReadOnlyBuffer();
    }
}
