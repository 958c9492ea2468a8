package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/**
 * A field holding one nested struct, encoded inline as that struct (in this codebase such fields are
 * usually tagged, like a partition's {@code current_leader}). Its default is a struct of defaults; a
 * struct that has not set the field stores null for it, which every operation treats as that default, so
 * decoding a message without the field allocates nothing.
 */
public final class StructField extends ReferenceField<StructField> {
    private final StructSchema nested;

    StructField(String name, VersionRange versions, StructSchema nested) {
        super(name, versions, null);
        this.nested = nested;
    }

    public StructSchema nestedSchema() {
        return nested;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.refs[slot] = nested.read(in, version, flexible);
    }

    private Struct valueOrDefault(Struct s) {
        Struct v = (Struct) s.refs[slot];
        if (v == null) {
            return nested.newStruct();
        }
        if (v.schema() != nested) {
            throw new IllegalArgumentException("Field " + this + " holds a " + v.schema().name() + " where a " + nested.name() + " belongs");
        }
        return v;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        nested.write(valueOrDefault(s), out, version, flexible);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return nested.size(valueOrDefault(s), version, flexible);
    }

    @Override
    int externalSize(Struct s, short version, boolean flexible) {
        Struct v = (Struct) s.refs[slot];
        return v == null || !nested.mayContainRecords() ? 0 : nested.externalSize(v, version, flexible);
    }

    @Override
    boolean mayContainRecords() {
        return nested.mayContainRecords();
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        Struct v = (Struct) s.refs[slot];
        return v == null || nested.isDefault(v);
    }

    @Override
    boolean valueEquals(Struct a, Struct b) {
        boolean aDefault = hasDefaultValue(a);
        boolean bDefault = hasDefaultValue(b);
        return aDefault || bDefault ? aDefault && bDefault : a.refs[slot].equals(b.refs[slot]);
    }

    @Override
    int valueHash(Struct s) {
        return hasDefaultValue(s) ? 0 : s.refs[slot].hashCode();
    }

    @Override
    String valueString(Struct s) {
        Object v = s.refs[slot];
        return v == null ? nested.newStruct().toString() : v.toString();
    }

    @Override
    int minSize(short version, boolean flexible) {
        return nested.minSize(version);
    }

    @Override
    String typeName(short version, boolean flexible) {
        return nested.describe(version, flexible);
    }
}
