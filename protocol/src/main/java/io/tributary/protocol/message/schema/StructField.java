package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/**
 * A field holding one nested struct, encoded inline as that struct (in this codebase such fields are
 * usually tagged, like a partition's {@code current_leader}). Its default is a struct of defaults; a
 * struct that has not set the field stores null for it, which every operation treats as that default, so
 * decoding a message without the field allocates nothing.
 *
 * <p>A field declared {@link #nullable} (DescribeTopicPartitions' {@code cursor}) is different: there
 * null is a value of its own and the default, and in its nullable versions the struct is preceded by an
 * INT8 marker, -1 for null and 1 for a struct that follows (Kafka's {@code NullableSchema}; any negative
 * marker reads as null, as Kafka's generated readers do).
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

    /** Whether null is a value of this field (declared nullable in some version), not a struct of defaults. */
    public boolean holdsNull() {
        return !nullableVersions().isEmpty();
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        if (isNullableIn(version) && in.readInt8() < 0) {
            s.refs[slot] = null;
            return;
        }
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
        if (isNullableIn(version)) {
            if (s.refs[slot] == null) {
                out.writeInt8((byte) -1);
                return;
            }
            out.writeInt8((byte) 1);
        }
        nested.write(valueOrDefault(s), out, version, flexible);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        if (isNullableIn(version)) {
            return s.refs[slot] == null ? 1 : 1 + nested.size(valueOrDefault(s), version, flexible);
        }
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
        return v == null || !holdsNull() && nested.isDefault(v);
    }

    @Override
    boolean valueEquals(Struct a, Struct b) {
        if (holdsNull()) {
            return java.util.Objects.equals(a.refs[slot], b.refs[slot]);
        }
        boolean aDefault = hasDefaultValue(a);
        boolean bDefault = hasDefaultValue(b);
        return aDefault || bDefault ? aDefault && bDefault : a.refs[slot].equals(b.refs[slot]);
    }

    @Override
    int valueHash(Struct s) {
        if (holdsNull()) {
            return java.util.Objects.hashCode(s.refs[slot]);
        }
        return hasDefaultValue(s) ? 0 : s.refs[slot].hashCode();
    }

    @Override
    String valueString(Struct s) {
        Object v = s.refs[slot];
        if (v == null) {
            return holdsNull() ? "null" : nested.newStruct().toString();
        }
        return v.toString();
    }

    @Override
    int minSize(short version, boolean flexible) {
        return isNullableIn(version) ? 1 : nested.minSize(version);
    }

    /** Kafka renders a nullable struct as the struct itself (its NullableSchema has no marker in the notation). */
    @Override
    String typeName(short version, boolean flexible) {
        return nested.describe(version, flexible);
    }
}
