package io.tributary.clients.serialization;

import java.nio.ByteBuffer;

/** The IEEE 754 bits as eight bytes, big-endian, as Kafka's DoubleSerializer. */
public final class DoubleSerializer implements Serializer<Double> {
    @Override
    public byte[] serialize(String topic, Double data) {
        return data == null ? null : ByteBuffer.allocate(Double.BYTES).putDouble(data).array();
    }
}
