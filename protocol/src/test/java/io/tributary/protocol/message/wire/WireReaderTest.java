package io.tributary.protocol.message.wire;

import io.tributary.protocol.MalformedMessageException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of the primitive reader and writer: limits, nulls, sharing of memory. */
class WireReaderTest {
    private static WireReader reader(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return new WireReader(b.flip());
    }

    @Test
    void everyFixedWidthReadChecksWhatRemains() {
        assertThatThrownBy(() -> reader(1, 2, 3).readInt32()).isExactlyInstanceOf(MalformedMessageException.class)
            .hasMessage("int32 needs 4 bytes but only 3 remain");
        assertThatThrownBy(() -> reader(1).readInt16()).hasMessage("int16 needs 2 bytes but only 1 remain");
        assertThatThrownBy(() -> reader().readInt8()).hasMessage("int8 needs 1 bytes but only 0 remain");
        assertThatThrownBy(() -> reader(1, 2, 3, 4, 5, 6, 7).readInt64()).hasMessage("int64 needs 8 bytes but only 7 remain");
        assertThatThrownBy(() -> reader(new int[15]).readUuid()).hasMessage("uuid needs 16 bytes but only 15 remain");
        assertThatThrownBy(() -> reader().readBool()).hasMessage("boolean needs 1 bytes but only 0 remain");
    }

    @Test
    void varintLimits() {
        assertThat(reader(0xff, 0xff, 0xff, 0xff, 0x0f).readUnsignedVarint()).isEqualTo(-1);
        assertThatThrownBy(() -> reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).readUnsignedVarint())
            .hasMessage("unsigned varint is longer than the 5 bytes an int32 allows");
        assertThatThrownBy(() -> reader(0x80, 0x80).readUnsignedVarint()).hasMessage("unsigned varint is truncated after 2 bytes");
        int[] elevenBytes = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
        assertThatThrownBy(() -> reader(elevenBytes).readVarlong()).hasMessage("varlong is longer than the 10 bytes an int64 allows");
    }

    @Test
    void nullsOnlyWhereAllowed() {
        assertThat(reader(0xff, 0xff).readString(false, true)).isNull();
        assertThat(reader(0).readString(true, true)).isNull();
        assertThat(reader(0xff, 0xff, 0xff, 0xff).readBytes(false, true)).isNull();
        assertThat(reader(0xff, 0xff, 0xff, 0xff).readArrayLength(false, true, 4)).isEqualTo(-1);
        assertThatThrownBy(() -> reader(0).readString(true, false))
            .hasMessage("string is null but the field is not nullable in this version");
        assertThatThrownBy(() -> reader(0).readBytes(true, false))
            .hasMessage("bytes are null but the field is not nullable in this version");
        assertThatThrownBy(() -> reader(0xff, 0xff, 0xff, 0xfe).readBytes(false, true)).hasMessage("bytes length -2 is negative");
    }

    @Test
    void aBooleanIsTrueForAnyNonZeroByte() {
        assertThat(reader(2).readBool()).isTrue();
        assertThat(reader(0).readBool()).isFalse();
    }

    @Test
    void bytesAreSlicesOfTheBufferNotCopies() {
        ByteBuffer heap = ByteBuffer.allocate(8).putInt(3).put(new byte[] {1, 2, 3}).flip();
        ByteBuffer slice = new WireReader(heap).readBytes(false, false);
        assertThat(slice.array()).isSameAs(heap.array());
        assertThat(slice.arrayOffset()).isEqualTo(4);

        ByteBuffer direct = ByteBuffer.allocateDirect(8).putInt(3).put(new byte[] {1, 2, 3}).flip();
        ByteBuffer directSlice = new WireReader(direct).readBytes(false, false);
        direct.put(5, (byte) 42);
        assertThat(directSlice.get(1)).isEqualTo((byte) 42);
        assertThat(directSlice.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void stringsReadFromDirectBuffers() {
        ByteBuffer direct = ByteBuffer.allocateDirect(8).putShort((short) 3).put("abc".getBytes()).flip();
        assertThat(new WireReader(direct).readString(false, false)).isEqualTo("abc");
    }

    @Test
    void littleEndianBuffersAreRefused() {
        ByteBuffer little = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> new WireReader(little)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WireWriter(little)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesOutsideAnUnsignedRangeAreRefused() {
        WireWriter w = new WireWriter(ByteBuffer.allocate(8));
        assertThatThrownBy(() -> w.writeUint16(65536)).hasMessage("uint16 value 65536 is outside [0, 65535]");
        assertThatThrownBy(() -> w.writeUint32(-1)).hasMessage("uint32 value -1 is outside [0, 4294967295]");
    }

    @Test
    void stringsLongerThanKafkaAllowsAreRefused() {
        String tooLong = "é".repeat(16384);
        assertThatThrownBy(() -> WireWriter.sizeOfString(tooLong, true))
            .hasMessage("string of 32768 UTF-8 bytes exceeds the 32767 a Kafka string can hold");
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksAsInStringGetBytes() {
        for (String s : new String[] {"a\uD800b", "\uDC00", "end\uD83D", "\uD83D\uDE00\uDE00", "ß€\uD83D\uDE00"}) {
            byte[] expected = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(WireWriter.utf8Length(s)).as(s).isEqualTo(expected.length);
            ByteBuffer dst = ByteBuffer.allocate(64);
            new WireWriter(dst).writeString(s, false);
            assertThat(dst.flip().position(2)).as(s).isEqualTo(ByteBuffer.wrap(expected));
        }
    }

    @Test
    void writingBytesLeavesTheSourceUntouched() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7}).position(1);
        ByteBuffer dst = ByteBuffer.allocate(8);
        new WireWriter(dst).writeBytes(src, true);
        assertThat(src.position()).isEqualTo(1);
        assertThat(dst.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {3, 8, 7}));
    }
}
