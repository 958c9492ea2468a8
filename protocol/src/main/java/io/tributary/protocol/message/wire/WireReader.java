package io.tributary.protocol.message.wire;

import io.tributary.protocol.MalformedMessageException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka's primitive wire types from a big-endian buffer, from its position to its limit, advancing
 * the position. Every read is bounded: before anything is read or allocated, the bytes it needs (for a
 * length or count field, the bytes its claimed size needs) are checked against what remains, and a
 * shortfall throws {@link MalformedMessageException} naming the value and the limit. Nothing here throws
 * BufferUnderflowException or allocates a size it has not checked.
 *
 * <p>Encodings (all integers big-endian, two's complement):
 * <pre>
 * int8/16/32/64        1/2/4/8 bytes          uint16, uint32   2, 4 bytes, unsigned
 * float64              8 bytes IEEE 754       boolean          1 byte, non-zero is true
 * uuid                 16 bytes, most significant half first
 * unsigned varint      7 bits a byte, low group first, high bit = more; at most 5 bytes (10 for varlong)
 * varint, varlong      zig-zag ((n &lt;&lt; 1) ^ (n &gt;&gt; 31)) then unsigned varint
 * string               int16 length N, N bytes UTF-8; nullable: length -1 is null; N at most 32767
 * compact string       unsigned varint N+1, N bytes; nullable: 0 is null
 * bytes                int32 length N, N bytes; nullable: -1 is null
 * compact bytes        unsigned varint N+1, N bytes; nullable: 0 is null
 * array                int32 count N, N elements; nullable: -1 is null
 * compact array        unsigned varint N+1, N elements; nullable: 0 is null
 * records              as (compact) nullable bytes, holding record batches
 * </pre>
 * Byte strings ({@link #readBytes}) are returned as slices of the underlying buffer, not copies, so a
 * decoded Produce request's records stay in the request buffer.
 */
public final class WireReader {
    /** The longest string Kafka's int16 length can describe; compact strings obey the same limit. */
    public static final int MAX_STRING_LENGTH = Short.MAX_VALUE;

    private final ByteBuffer buf;

    /** Reads {@code buffer} from its position to its limit; it must be big-endian (Java's default). */
    public WireReader(ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("Kafka's wire format is big-endian; the buffer is " + buffer.order());
        }
        this.buf = buffer;
    }

    public int remaining() {
        return buf.remaining();
    }

    public int position() {
        return buf.position();
    }

    private void require(int bytes, String what) {
        if (buf.remaining() < bytes) {
            throw new MalformedMessageException(what + " needs " + bytes + " bytes but only " + buf.remaining() + " remain");
        }
    }

    public byte readInt8() {
        require(1, "int8");
        return buf.get();
    }

    public short readInt16() {
        require(2, "int16");
        return buf.getShort();
    }

    public int readUint16() {
        require(2, "uint16");
        return Short.toUnsignedInt(buf.getShort());
    }

    public int readInt32() {
        require(4, "int32");
        return buf.getInt();
    }

    public long readUint32() {
        require(4, "uint32");
        return Integer.toUnsignedLong(buf.getInt());
    }

    public long readInt64() {
        require(8, "int64");
        return buf.getLong();
    }

    public double readFloat64() {
        require(8, "float64");
        return buf.getDouble();
    }

    public boolean readBool() {
        require(1, "boolean");
        return buf.get() != 0;
    }

    public UUID readUuid() {
        require(16, "uuid");
        long most = buf.getLong();
        return new UUID(most, buf.getLong());
    }

    /**
     * An unsigned varint of up to 5 bytes. Bits beyond the 32nd in a fifth byte are ignored, as Kafka's
     * reader does; a sixth byte is an error.
     */
    public int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new MalformedMessageException("unsigned varint is truncated after " + shift / 7 + " bytes");
            }
            byte b = buf.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedMessageException("unsigned varint is longer than the 5 bytes an int32 allows");
    }

    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A zig-zag varlong of up to 10 bytes. */
    public long readVarlong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new MalformedMessageException("varlong is truncated after " + shift / 7 + " bytes");
            }
            byte b = buf.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new MalformedMessageException("varlong is longer than the 10 bytes an int64 allows");
    }

    /**
     * A string: int16 length (classic) or unsigned varint length + 1 (compact), then UTF-8 bytes.
     *
     * @return the string, or null when the encoding says null and {@code nullable} allows it
     */
    public String readString(boolean compact, boolean nullable) {
        int length;
        if (compact) {
            long n = Integer.toUnsignedLong(readUnsignedVarint()) - 1;
            if (n > MAX_STRING_LENGTH) {
                throw new MalformedMessageException("string length " + n + " exceeds the maximum " + MAX_STRING_LENGTH);
            }
            length = (int) n;
        } else {
            length = readInt16();
        }
        if (length < 0) {
            if (length == -1 && nullable) {
                return null;
            }
            throw new MalformedMessageException(length == -1
                ? "string is null but the field is not nullable in this version"
                : "string length " + length + " is negative");
        }
        require(length, "string of length " + length);
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buf.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /**
     * A byte string: int32 length (classic) or unsigned varint length + 1 (compact), then the bytes, returned
     * as a big-endian slice of the buffer (no copy; it shares the caller's memory). Records fields use the
     * same encoding.
     *
     * @return the slice, or null when the encoding says null and {@code nullable} allows it
     */
    public ByteBuffer readBytes(boolean compact, boolean nullable) {
        long length = compact ? Integer.toUnsignedLong(readUnsignedVarint()) - 1 : readInt32();
        if (length < 0) {
            if (length == -1 && nullable) {
                return null;
            }
            throw new MalformedMessageException(length == -1
                ? "bytes are null but the field is not nullable in this version"
                : "bytes length " + length + " is negative");
        }
        if (length > buf.remaining()) {
            throw new MalformedMessageException("bytes length " + length + " exceeds the " + buf.remaining() + " bytes remaining");
        }
        return readSlice((int) length);
    }

    /**
     * The element count of an array: int32 (classic) or unsigned varint count + 1 (compact). The count is
     * checked against the remaining bytes, given that no element takes fewer than {@code minElementSize}
     * bytes (at least 1 is assumed, so a count never exceeds the bytes remaining), so a caller may size a
     * list by it.
     *
     * @return the count, or -1 for a null array when {@code nullable} allows it
     */
    public int readArrayLength(boolean compact, boolean nullable, int minElementSize) {
        long count = compact ? Integer.toUnsignedLong(readUnsignedVarint()) - 1 : readInt32();
        if (count < 0) {
            if (count == -1 && nullable) {
                return -1;
            }
            throw new MalformedMessageException(count == -1
                ? "array is null but the field is not nullable in this version"
                : "array length " + count + " is negative");
        }
        long needed = count * Math.max(1, minElementSize);
        if (needed > buf.remaining()) {
            throw new MalformedMessageException("array length " + count + " needs at least " + needed
                + " bytes but only " + buf.remaining() + " remain");
        }
        return (int) count;
    }

    /**
     * The count that opens a tagged-field section (flexible versions only), checked against the bytes
     * remaining: every tagged field takes at least two bytes, its tag and its size.
     */
    public int readTaggedFieldCount() {
        long count = Integer.toUnsignedLong(readUnsignedVarint());
        if (count * 2 > buf.remaining()) {
            throw new MalformedMessageException("tagged field count " + count + " needs at least " + count * 2
                + " bytes but only " + buf.remaining() + " remain");
        }
        return (int) count;
    }

    /** One tagged field: unsigned varint tag, unsigned varint size, then that many bytes (sliced, not copied). */
    public RawTaggedField readTaggedField() {
        int tag = readUnsignedVarint();
        if (tag < 0) {
            throw new MalformedMessageException("tag " + Integer.toUnsignedString(tag) + " exceeds the largest tag " + Integer.MAX_VALUE);
        }
        int size = readUnsignedVarint();
        if (size < 0 || size > buf.remaining()) {
            throw new MalformedMessageException("tagged field " + tag + " has size " + Integer.toUnsignedString(size)
                + ", more than the " + buf.remaining() + " bytes remaining");
        }
        return new RawTaggedField(tag, readSlice(size));
    }

    /** The next {@code length} bytes as a big-endian slice sharing the buffer's memory; the position moves past them. */
    public ByteBuffer readSlice(int length) {
        if (length < 0) {
            throw new MalformedMessageException("length " + length + " is negative");
        }
        require(length, "field of length " + length);
        ByteBuffer slice = buf.slice(buf.position(), length);
        buf.position(buf.position() + length);
        return slice;
    }
}
