package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.Arrays;

/**
 * An array of INT32 (e.g. replica ids): a count as for any array, then 4 bytes per element. The value is
 * an {@code int[]} (no boxing). Default: empty, or null if declared so.
 */
public final class Int32ArrayField extends ReferenceField<Int32ArrayField> {
    static final int[] EMPTY = new int[0];

    Int32ArrayField(String name, VersionRange versions) {
        super(name, versions, EMPTY);
    }

    /** Makes null the default (the field must be nullable). */
    public Int32ArrayField defaultNull() {
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
        int count = in.readArrayLength(flexible, isNullableIn(version), 4);
        if (count < 0) {
            s.refs[slot] = null;
            return;
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readInt32();
        }
        s.refs[slot] = values;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        int[] values = (int[]) s.refs[slot];
        if (values == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            out.writeArrayLength(-1, flexible);
            return;
        }
        out.writeArrayLength(values.length, flexible);
        for (int v : values) {
            out.writeInt32(v);
        }
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        int[] values = (int[]) s.refs[slot];
        if (values == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            return WireWriter.sizeOfArrayLength(-1, flexible);
        }
        return WireWriter.sizeOfArrayLength(values.length, flexible) + 4 * values.length;
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        int[] values = (int[]) s.refs[slot];
        return defaultObject == null ? values == null : values != null && values.length == 0;
    }

    @Override
    boolean valueEquals(Struct a, Struct b) {
        return Arrays.equals((int[]) a.refs[slot], (int[]) b.refs[slot]);
    }

    @Override
    int valueHash(Struct s) {
        return Arrays.hashCode((int[]) s.refs[slot]);
    }

    @Override
    String valueString(Struct s) {
        return Arrays.toString((int[]) s.refs[slot]);
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "ARRAY(INT32)";
    }
}
