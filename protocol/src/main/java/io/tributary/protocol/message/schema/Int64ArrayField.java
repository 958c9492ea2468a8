package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.Arrays;

/**
 * An array of INT64 (e.g. producer ids): a count as for any array, then 8 bytes per element. The value is
 * a {@code long[]} (no boxing). Default: empty.
 */
public final class Int64ArrayField extends ReferenceField<Int64ArrayField> {
    static final long[] EMPTY = new long[0];

    Int64ArrayField(String name, VersionRange versions) {
        super(name, versions, EMPTY);
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        int count = in.readArrayLength(flexible, isNullableIn(version), 8);
        if (count < 0) {
            s.refs[slot] = null;
            return;
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readInt64();
        }
        s.refs[slot] = values;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        long[] values = (long[]) s.refs[slot];
        if (values == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            out.writeArrayLength(-1, flexible);
            return;
        }
        out.writeArrayLength(values.length, flexible);
        for (long v : values) {
            out.writeInt64(v);
        }
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        long[] values = (long[]) s.refs[slot];
        if (values == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            return WireWriter.sizeOfArrayLength(-1, flexible);
        }
        return WireWriter.sizeOfArrayLength(values.length, flexible) + 8 * values.length;
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        long[] values = (long[]) s.refs[slot];
        return values != null && values.length == 0;
    }

    @Override
    boolean valueEquals(Struct a, Struct b) {
        return Arrays.equals((long[]) a.refs[slot], (long[]) b.refs[slot]);
    }

    @Override
    int valueHash(Struct s) {
        return Arrays.hashCode((long[]) s.refs[slot]);
    }

    @Override
    String valueString(Struct s) {
        return Arrays.toString((long[]) s.refs[slot]);
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "ARRAY(INT64)";
    }
}
