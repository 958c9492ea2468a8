package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers as the v2 record format uses them: 7 bits per byte, low groups first,
 * high bit set on every byte but the last; signed values zig-zag encoded so small negatives stay short.
 * An int takes at most 5 bytes and a long at most 10; a longer run is corrupt, not an endless read.
 */
public final class Varints {
    private Varints() {
    }

    public static int readVarint(ByteBuffer buffer) {
        int raw = readUnsignedVarint(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        while (true) {
            byte b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new InvalidRecordException("Varlong is longer than 10 bytes");
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static int readUnsignedVarint(ByteBuffer buffer) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte b = buffer.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                throw new InvalidRecordException("Varint is longer than 5 bytes");
            }
        }
    }

    public static void writeVarint(int value, ByteBuffer buffer) {
        writeUnsignedVarint((value << 1) ^ (value >> 31), buffer);
    }

    public static void writeVarlong(long value, ByteBuffer buffer) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    public static void writeUnsignedVarint(int value, ByteBuffer buffer) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfUnsignedVarint(int value) {
        // Bits needed, rounded up to groups of 7; zero still takes one byte.
        int bits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }
}
