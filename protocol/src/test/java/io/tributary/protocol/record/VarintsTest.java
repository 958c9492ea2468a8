package io.tributary.protocol.record;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zig-zag varints against Kafka's ByteUtils, at the edges and for random values and random bytes. */
class VarintsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, (1 << 20) - 1, 1 << 27, -(1 << 27),
        Integer.MAX_VALUE, Integer.MIN_VALUE})
    void intEdgesRoundTripWithKafkasBytesAndSizes(int value) {
        assertIntMatchesKafka(value);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 63, -64, 64, -65, 1L << 34, -(1L << 34), 1L << 62, -(1L << 62),
        Long.MAX_VALUE, Long.MIN_VALUE})
    void longEdgesRoundTripWithKafkasBytesAndSizes(long value) {
        assertLongMatchesKafka(value);
    }

    @Test
    void sizesStepAtSevenBitBoundaries() {
        assertThat(Varints.sizeOfVarint(-64)).isEqualTo(1);
        assertThat(Varints.sizeOfVarint(64)).isEqualTo(2);
        assertThat(Varints.sizeOfVarint(Integer.MIN_VALUE)).isEqualTo(5);
        assertThat(Varints.sizeOfVarlong(-1)).isEqualTo(1);
        assertThat(Varints.sizeOfVarlong(Long.MIN_VALUE)).isEqualTo(10);
        assertThat(Varints.sizeOfUnsignedVarint(0)).isEqualTo(1);
        assertThat(Varints.sizeOfUnsignedVarint(-1)).isEqualTo(5);
    }

    @Test
    void aVarintOfSixBytesIsRejectedNotReadOnAndOn() {
        ByteBuffer sixBytes = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0});
        assertThatThrownBy(() -> Varints.readVarint(sixBytes))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("5 bytes");
    }

    @Test
    void aVarlongOfElevenBytesIsRejected() {
        byte[] bytes = new byte[11];
        java.util.Arrays.fill(bytes, 0, 10, (byte) 0xFF);
        assertThatThrownBy(() -> Varints.readVarlong(ByteBuffer.wrap(bytes)))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("10 bytes");
    }

    @Test
    void aVarintCutOffByTheBufferEndUnderflows() {
        // The record reader turns this into an InvalidRecordException naming the record.
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x80})))
            .isInstanceOf(BufferUnderflowException.class);
    }

    @Property(tries = 500)
    void randomIntsMatchKafka(@ForAll int value) {
        assertIntMatchesKafka(value);
    }

    @Property(tries = 500)
    void randomLongsMatchKafka(@ForAll long value) {
        assertLongMatchesKafka(value);
    }

    /** On any bytes, our reader and Kafka's agree: the same value and length, or both refuse. */
    @Property(tries = 500)
    void randomBytesDecodeAsKafkaDecodesThem(@ForAll @Size(max = 12) byte[] bytes) {
        assertSameOutcome(() -> Varints.readVarint(ByteBuffer.wrap(bytes)), () -> ByteUtils.readVarint(ByteBuffer.wrap(bytes)));
        assertSameOutcome(() -> Varints.readVarlong(ByteBuffer.wrap(bytes)), () -> ByteUtils.readVarlong(ByteBuffer.wrap(bytes)));
    }

    private static void assertSameOutcome(java.util.function.Supplier<Number> ours, java.util.function.Supplier<Number> kafka) {
        Number expected;
        try {
            expected = kafka.get();
        } catch (IllegalArgumentException | BufferUnderflowException kafkaRefused) {
            assertThatThrownBy(ours::get).isInstanceOfAny(InvalidRecordException.class, BufferUnderflowException.class);
            return;
        }
        assertThat(ours.get()).isEqualTo(expected);
    }

    private static void assertIntMatchesKafka(int value) {
        ByteBuffer ours = ByteBuffer.allocate(5);
        Varints.writeVarint(value, ours);
        ByteBuffer kafka = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, kafka);
        assertThat(ours.flip()).isEqualTo(kafka.flip());
        assertThat(Varints.sizeOfVarint(value)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarint(value));
        assertThat(Varints.readVarint(ours.duplicate())).isEqualTo(value);

        ByteBuffer unsigned = ByteBuffer.allocate(5);
        Varints.writeUnsignedVarint(value, unsigned);
        assertThat(Varints.sizeOfUnsignedVarint(value)).isEqualTo(unsigned.position())
            .isEqualTo(ByteUtils.sizeOfUnsignedVarint(value));
        assertThat(Varints.readUnsignedVarint(unsigned.flip())).isEqualTo(value);
    }

    private static void assertLongMatchesKafka(long value) {
        ByteBuffer ours = ByteBuffer.allocate(10);
        Varints.writeVarlong(value, ours);
        ByteBuffer kafka = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, kafka);
        assertThat(ours.flip()).isEqualTo(kafka.flip());
        assertThat(Varints.sizeOfVarlong(value)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarlong(value));
        assertThat(Varints.readVarlong(ours.duplicate())).isEqualTo(value);
    }
}
