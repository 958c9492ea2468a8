package io.tributary.protocol.record.compression;

import java.nio.ByteBuffer;

/**
 * A run of bytes in a heap array, the form the codec libraries' fast entry points take.
 *
 * <p>Design note: zlib, snappy-java and lz4-java all work on {@code byte[]}. A buffer with an accessible array
 * (a writable heap buffer, the usual case) is used in place; a direct or read-only buffer is copied once. The
 * copy is the buffer's real size, never a size read from the data.
 */
record ByteRange(byte[] array, int offset, int length) {

    /** The remaining bytes of {@code buffer}, without moving its position. */
    static ByteRange of(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return new ByteRange(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new ByteRange(copy, 0, copy.length);
    }

    int end() {
        return offset + length;
    }
}
