package io.tributary.protocol.message.wire;

import io.tributary.protocol.record.Varints;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * Writes Kafka's primitive wire types (encodings listed on {@link WireReader}) into a big-endian buffer at
 * its position, advancing it; records values that are {@link ExternalRecords} are not written but reported
 * to an {@link ExternalRecordsSink} with the position where they belong.
 *
 * <p>Sizes are computed up front by the static {@code sizeOf} methods, so a caller allocates the buffer
 * once; the writer relies on that and lets a too-small buffer fail with BufferOverflowException (a
 * programming error, unlike malformed input). Strings are encoded to UTF-8 straight into the buffer, as
 * {@link String#getBytes} would (an unpaired surrogate becomes '?'), without an intermediate array.
 */
public final class WireWriter {
    private final ByteBuffer buf;
    private final ExternalRecordsSink sink;

    /** A writer for messages without external records. */
    public WireWriter(ByteBuffer buffer) {
        this(buffer, ExternalRecordsSink.REJECT);
    }

    public WireWriter(ByteBuffer buffer, ExternalRecordsSink sink) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("Kafka's wire format is big-endian; the buffer is " + buffer.order());
        }
        this.buf = buffer;
        this.sink = sink;
    }

    public int position() {
        return buf.position();
    }

    public void writeInt8(byte v) {
        buf.put(v);
    }

    public void writeInt16(short v) {
        buf.putShort(v);
    }

    public void writeUint16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("uint16 value " + v + " is outside [0, 65535]");
        }
        buf.putShort((short) v);
    }

    public void writeInt32(int v) {
        buf.putInt(v);
    }

    public void writeUint32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("uint32 value " + v + " is outside [0, 4294967295]");
        }
        buf.putInt((int) v);
    }

    public void writeInt64(long v) {
        buf.putLong(v);
    }

    public void writeFloat64(double v) {
        buf.putDouble(v);
    }

    public void writeBool(boolean v) {
        buf.put(v ? (byte) 1 : (byte) 0);
    }

    public void writeUuid(UUID v) {
        buf.putLong(v.getMostSignificantBits());
        buf.putLong(v.getLeastSignificantBits());
    }

    // Varint encoding is shared with the record format (one implementation, in Varints).
    public void writeUnsignedVarint(int v) {
        Varints.writeUnsignedVarint(v, buf);
    }

    public void writeVarint(int v) {
        Varints.writeVarint(v, buf);
    }

    public void writeVarlong(long v) {
        Varints.writeVarlong(v, buf);
    }

    /** A string, or null if {@code s} is null; the caller has checked that null is allowed. */
    public void writeString(String s, boolean compact) {
        if (s == null) {
            writeNullLength(compact, false);
            return;
        }
        int length = utf8Length(s);
        checkStringLength(length);
        if (compact) {
            writeUnsignedVarint(length + 1);
        } else {
            buf.putShort((short) length);
        }
        putUtf8(s);
    }

    /** A byte string (from its position to its limit, which are left unchanged), or null if {@code b} is null. */
    public void writeBytes(ByteBuffer b, boolean compact) {
        if (b == null) {
            writeNullLength(compact, true);
            return;
        }
        int length = b.remaining();
        if (compact) {
            writeUnsignedVarint(length + 1);
        } else {
            buf.putInt(length);
        }
        buf.put(buf.position(), b, b.position(), length);
        buf.position(buf.position() + length);
    }

    /** The length of records the caller sends itself; reports them to the sink at the current position. */
    public void writeExternalRecords(ExternalRecords records, boolean compact) {
        int length = records.sizeInBytes();
        if (compact) {
            writeUnsignedVarint(length + 1);
        } else {
            buf.putInt(length);
        }
        sink.append(buf.position(), records);
    }

    /** An array's count, or -1 for a null array. */
    public void writeArrayLength(int count, boolean compact) {
        if (compact) {
            writeUnsignedVarint(count + 1);
        } else {
            buf.putInt(count);
        }
    }

    /** Raw bytes (position to limit of {@code b}, left unchanged), with no length prefix. */
    public void writeRaw(ByteBuffer b) {
        buf.put(buf.position(), b, b.position(), b.remaining());
        buf.position(buf.position() + b.remaining());
    }

    private void writeNullLength(boolean compact, boolean int32) {
        if (compact) {
            buf.put((byte) 0);
        } else if (int32) {
            buf.putInt(-1);
        } else {
            buf.putShort((short) -1);
        }
    }

    private void putUtf8(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf.put((byte) c);
            } else if (c < 0x800) {
                buf.put((byte) (0xc0 | (c >> 6)));
                buf.put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf.put((byte) (0xf0 | (cp >> 18)));
                    buf.put((byte) (0x80 | ((cp >> 12) & 0x3f)));
                    buf.put((byte) (0x80 | ((cp >> 6) & 0x3f)));
                    buf.put((byte) (0x80 | (cp & 0x3f)));
                } else {
                    buf.put((byte) '?');
                }
            } else {
                buf.put((byte) (0xe0 | (c >> 12)));
                buf.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                buf.put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }

    private static void checkStringLength(int utf8Length) {
        if (utf8Length > WireReader.MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("string of " + utf8Length + " UTF-8 bytes exceeds the "
                + WireReader.MAX_STRING_LENGTH + " a Kafka string can hold");
        }
    }

    /** Bytes {@link #putUtf8} writes for {@code s}: what {@code s.getBytes(UTF_8).length} would be. */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        bytes += 2; // two chars, four bytes
                        i++;
                    }
                    // an unpaired surrogate is one '?'
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    public static int sizeOfUnsignedVarint(int v) {
        return Varints.sizeOfUnsignedVarint(v);
    }

    public static int sizeOfVarint(int v) {
        return Varints.sizeOfVarint(v);
    }

    public static int sizeOfVarlong(long v) {
        return Varints.sizeOfVarlong(v);
    }

    /** Bytes {@link #writeString} writes; throws IllegalArgumentException for a string too long for Kafka. */
    public static int sizeOfString(String s, boolean compact) {
        if (s == null) {
            return compact ? 1 : 2;
        }
        int length = utf8Length(s);
        checkStringLength(length);
        return (compact ? sizeOfUnsignedVarint(length + 1) : 2) + length;
    }

    /** Bytes {@link #writeBytes} writes. */
    public static int sizeOfBytes(ByteBuffer b, boolean compact) {
        if (b == null) {
            return compact ? 1 : 4;
        }
        return (compact ? sizeOfUnsignedVarint(b.remaining() + 1) : 4) + b.remaining();
    }

    /** Bytes {@link #writeArrayLength} writes for {@code count} elements (-1 for null). */
    public static int sizeOfArrayLength(int count, boolean compact) {
        return compact ? sizeOfUnsignedVarint(count + 1) : 4;
    }
}
