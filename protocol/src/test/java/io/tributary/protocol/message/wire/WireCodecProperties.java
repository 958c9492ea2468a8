package io.tributary.protocol.message.wire;

import io.tributary.protocol.MalformedMessageException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.utils.ByteUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Primitive encodings round-trip, and varints and strings match Kafka's ByteUtils and String.getBytes. */
class WireCodecProperties {

    private static ByteBuffer kafka(java.util.function.Consumer<ByteBuffer> write) {
        ByteBuffer b = ByteBuffer.allocate(16);
        write.accept(b);
        return b.flip();
    }

    private static ByteBuffer ours(int capacity, java.util.function.Consumer<WireWriter> write) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        write.accept(new WireWriter(b));
        return b.flip();
    }

    @Property
    void unsignedVarintsAreKafkas(@ForAll int v) {
        ByteBuffer ours = ours(5, w -> w.writeUnsignedVarint(v));
        assertThat(ours).isEqualTo(kafka(b -> ByteUtils.writeUnsignedVarint(v, b)));
        assertThat(WireWriter.sizeOfUnsignedVarint(v)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfUnsignedVarint(v));
        assertThat(new WireReader(ours).readUnsignedVarint()).isEqualTo(v);
    }

    @Property
    void varintsAreKafkas(@ForAll int v) {
        ByteBuffer ours = ours(5, w -> w.writeVarint(v));
        assertThat(ours).isEqualTo(kafka(b -> ByteUtils.writeVarint(v, b)));
        assertThat(WireWriter.sizeOfVarint(v)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarint(v));
        assertThat(new WireReader(ours).readVarint()).isEqualTo(v);
    }

    @Property
    void varlongsAreKafkas(@ForAll long v) {
        ByteBuffer ours = ours(10, w -> w.writeVarlong(v));
        assertThat(ours).isEqualTo(kafka(b -> ByteUtils.writeVarlong(v, b)));
        assertThat(WireWriter.sizeOfVarlong(v)).isEqualTo(ours.remaining()).isEqualTo(ByteUtils.sizeOfVarlong(v));
        assertThat(new WireReader(ours).readVarlong()).isEqualTo(v);
    }

    /** Any byte sequence reads as the same unsigned varint as Kafka reads it, or fails in both. */
    @Property(tries = 3000)
    void arbitraryVarintBytesReadLikeKafka(@ForAll @Size(max = 7) List<Byte> bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.size());
        bytes.forEach(buffer::put);
        buffer.flip();
        Integer theirs;
        try {
            theirs = ByteUtils.readUnsignedVarint(buffer.duplicate());
        } catch (RuntimeException e) {
            theirs = null;
        }
        WireReader in = new WireReader(buffer.duplicate());
        Throwable failure = catchThrowable(in::readUnsignedVarint);
        if (theirs == null) {
            assertThat(failure).isExactlyInstanceOf(MalformedMessageException.class);
        } else {
            assertThat(failure).isNull();
            assertThat(new WireReader(buffer.duplicate()).readUnsignedVarint()).isEqualTo(theirs);
        }
    }

    @Property(tries = 3000)
    void arbitraryVarlongBytesReadLikeKafka(@ForAll @Size(max = 12) List<Byte> bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.size());
        bytes.forEach(buffer::put);
        buffer.flip();
        Long theirs;
        try {
            theirs = ByteUtils.readVarlong(buffer.duplicate());
        } catch (RuntimeException e) {
            theirs = null;
        }
        Throwable failure = catchThrowable(() -> new WireReader(buffer.duplicate()).readVarlong());
        if (theirs == null) {
            assertThat(failure).isExactlyInstanceOf(MalformedMessageException.class);
        } else {
            assertThat(failure).isNull();
            assertThat(new WireReader(buffer.duplicate()).readVarlong()).isEqualTo(theirs);
        }
    }

    /** Strings of any chars, unpaired surrogates included, encode as String.getBytes(UTF_8) does. */
    @Property
    void stringsAreUtf8AsJavaEncodesThem(@ForAll @Size(max = 40) String s, @ForAll boolean compact) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(WireWriter.utf8Length(s)).isEqualTo(utf8.length);
        ByteBuffer encoded = ours(WireWriter.sizeOfString(s, compact), w -> w.writeString(s, compact));
        assertThat(encoded.remaining()).isEqualTo(WireWriter.sizeOfString(s, compact));
        ByteBuffer text = encoded.duplicate().position(compact ? WireWriter.sizeOfUnsignedVarint(utf8.length + 1) : 2);
        assertThat(text).isEqualTo(ByteBuffer.wrap(utf8));
        assertThat(new WireReader(encoded).readString(compact, false)).isEqualTo(new String(utf8, StandardCharsets.UTF_8));
    }

    @Property
    void fixedWidthValuesRoundTrip(@ForAll byte b, @ForAll short s, @ForAll int i, @ForAll long l, @ForAll double d,
                                   @ForAll boolean flag, @ForAll long msb, @ForAll long lsb) {
        UUID uuid = new UUID(msb, lsb);
        int u16 = s & 0xffff;
        long u32 = i & 0xffffffffL;
        ByteBuffer buf = ours(64, w -> {
            w.writeInt8(b);
            w.writeInt16(s);
            w.writeInt32(i);
            w.writeInt64(l);
            w.writeFloat64(d);
            w.writeBool(flag);
            w.writeUuid(uuid);
            w.writeUint16(u16);
            w.writeUint32(u32);
        });
        assertThat(buf.remaining()).isEqualTo(1 + 2 + 4 + 8 + 8 + 1 + 16 + 2 + 4);
        WireReader in = new WireReader(buf);
        assertThat(in.readInt8()).isEqualTo(b);
        assertThat(in.readInt16()).isEqualTo(s);
        assertThat(in.readInt32()).isEqualTo(i);
        assertThat(in.readInt64()).isEqualTo(l);
        assertThat(Double.doubleToRawLongBits(in.readFloat64())).isEqualTo(Double.doubleToRawLongBits(d));
        assertThat(in.readBool()).isEqualTo(flag);
        assertThat(in.readUuid()).isEqualTo(uuid);
        assertThat(in.readUint16()).isEqualTo(u16);
        assertThat(in.readUint32()).isEqualTo(u32);
        assertThat(in.remaining()).isZero();
    }

    @Property
    void bytesAndArrayLengthsRoundTrip(@ForAll @Size(max = 300) byte[] data, @ForAll boolean compact, @ForAll boolean nullValue) {
        ByteBuffer value = nullValue ? null : ByteBuffer.wrap(data);
        // bytes, then an array of data.length one-byte elements (the elements are the data again)
        ByteBuffer buf = ours(WireWriter.sizeOfBytes(value, compact) + WireWriter.sizeOfArrayLength(data.length, compact) + data.length, w -> {
            w.writeBytes(value, compact);
            w.writeArrayLength(data.length, compact);
            w.writeRaw(ByteBuffer.wrap(data));
        });
        WireReader in = new WireReader(buf);
        assertThat(in.readBytes(compact, true)).isEqualTo(value);
        assertThat(in.readArrayLength(compact, false, 1)).isEqualTo(data.length);
        assertThat(in.readSlice(data.length)).isEqualTo(ByteBuffer.wrap(data));
        assertThat(in.remaining()).isZero();
    }
}
