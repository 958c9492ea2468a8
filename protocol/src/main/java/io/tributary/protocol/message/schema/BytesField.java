package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * A BYTES field: an int32 length, or a compact (unsigned varint length + 1) length in flexible versions,
 * then the bytes; null only in its nullable versions. Decoded values are slices of the request buffer
 * (not copies). The value is the buffer's bytes from position to limit; encoding leaves both unchanged.
 * Default: empty, or null if declared so.
 */
public final class BytesField extends ReferenceField<BytesField> {
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    BytesField(String name, VersionRange versions) {
        super(name, versions, EMPTY);
    }

    /** Makes null the default (the field must be nullable). */
    public BytesField defaultNull() {
        checkDeclaring();
        this.defaultObject = null;
        return this;
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.refs[slot] = in.readBytes(flexible, isNullableIn(version));
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        ByteBuffer v = (ByteBuffer) s.refs[slot];
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        out.writeBytes(v, flexible);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        ByteBuffer v = (ByteBuffer) s.refs[slot];
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        return WireWriter.sizeOfBytes(v, flexible);
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        ByteBuffer v = (ByteBuffer) s.refs[slot];
        return defaultObject == null ? v == null : v != null && !v.hasRemaining();
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String valueString(Struct s) {
        ByteBuffer v = (ByteBuffer) s.refs[slot];
        return v == null ? "null" : "[" + v.remaining() + " bytes]";
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "BYTES";
    }
}
