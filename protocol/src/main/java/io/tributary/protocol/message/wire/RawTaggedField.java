package io.tributary.protocol.message.wire;

import java.nio.ByteBuffer;

/**
 * A tagged field this version of the protocol does not know, kept as its tag and the bytes of its value
 * (a slice of the decoded buffer) so that re-encoding the message reproduces it.
 */
public record RawTaggedField(int tag, ByteBuffer data) {
    public RawTaggedField {
        if (tag < 0) {
            throw new IllegalArgumentException("tag " + tag + " is negative");
        }
    }

    /** Bytes on the wire: tag, size, data. */
    public int sizeInBytes() {
        return WireWriter.sizeOfUnsignedVarint(tag) + WireWriter.sizeOfUnsignedVarint(data.remaining()) + data.remaining();
    }
}
