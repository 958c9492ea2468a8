package io.tributary.clients.serialization;

import java.nio.ByteBuffer;

/** Eight bytes, big-endian, as Kafka's LongSerializer. */
public final class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Long data) {
        return data == null ? null : ByteBuffer.allocate(Long.BYTES).putLong(data).array();
    }
}
