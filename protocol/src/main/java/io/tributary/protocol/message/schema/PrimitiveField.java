package io.tributary.protocol.message.schema;

/**
 * A field whose value is a number or boolean, stored in {@link Struct}'s long array without boxing.
 *
 * @param <F> the concrete field type
 */
public abstract class PrimitiveField<F extends PrimitiveField<F>> extends Field<F> {
    long defaultBits;

    PrimitiveField(String name, VersionRange versions) {
        super(name, versions);
    }

    @Override
    final boolean isPrimitive() {
        return true;
    }

    @Override
    final long defaultBits() {
        return defaultBits;
    }

    @Override
    final boolean hasDefaultValue(Struct s) {
        return s.prims[slot] == defaultBits;
    }

    @Override
    final boolean valueEquals(Struct a, Struct b) {
        return a.prims[slot] == b.prims[slot];
    }

    @Override
    final int valueHash(Struct s) {
        return Long.hashCode(s.prims[slot]);
    }

    @Override
    String valueString(Struct s) {
        return Long.toString(s.prims[slot]);
    }
}
