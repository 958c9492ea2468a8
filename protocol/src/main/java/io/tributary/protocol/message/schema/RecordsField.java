package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.ExternalRecords;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;

/**
 * A RECORDS field: record batches framed like (compact) bytes. The value is either a ByteBuffer (decoded
 * values are slices of the request buffer, never copies; encoding copies it into the message) or
 * {@link ExternalRecords}, of which the encoder writes only the length and tells its sink where the bytes
 * go, so a broker can send them from a file with sendfile. Default: null.
 */
public final class RecordsField extends ReferenceField<RecordsField> {
    RecordsField(String name, VersionRange versions) {
        super(name, versions, null);
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
        Object v = s.refs[slot];
        if (v instanceof ExternalRecords external) {
            out.writeExternalRecords(external, flexible);
            return;
        }
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        out.writeBytes((ByteBuffer) v, flexible);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        Object v = s.refs[slot];
        if (v instanceof ExternalRecords external) {
            int length = external.sizeInBytes();
            return (flexible ? WireWriter.sizeOfUnsignedVarint(length + 1) : 4) + length;
        }
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        return WireWriter.sizeOfBytes((ByteBuffer) v, flexible);
    }

    @Override
    int externalSize(Struct s, short version, boolean flexible) {
        return s.refs[slot] instanceof ExternalRecords external ? external.sizeInBytes() : 0;
    }

    @Override
    boolean mayContainRecords() {
        return true;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String valueString(Struct s) {
        Object v = s.refs[slot];
        if (v instanceof ByteBuffer b) {
            return "[" + b.remaining() + " bytes]";
        }
        return v instanceof ExternalRecords e ? "[" + e.sizeInBytes() + " external bytes]" : "null";
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "RECORDS";
    }
}
