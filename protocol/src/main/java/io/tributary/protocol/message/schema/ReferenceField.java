package io.tributary.protocol.message.schema;

import java.util.Objects;

/**
 * A field whose value is an object (string, bytes, uuid, array, struct, records), stored in
 * {@link Struct}'s object array. The default object is shared by every struct, so it is immutable.
 *
 * @param <F> the concrete field type
 */
public abstract class ReferenceField<F extends ReferenceField<F>> extends Field<F> {
    Object defaultObject;

    ReferenceField(String name, VersionRange versions, Object defaultObject) {
        super(name, versions);
        this.defaultObject = defaultObject;
    }

    @Override
    final boolean isPrimitive() {
        return false;
    }

    @Override
    final Object defaultObject() {
        return defaultObject;
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        return Objects.equals(s.refs[slot], defaultObject);
    }

    @Override
    boolean valueEquals(Struct a, Struct b) {
        return Objects.equals(a.refs[slot], b.refs[slot]);
    }

    @Override
    int valueHash(Struct s) {
        return Objects.hashCode(s.refs[slot]);
    }

    @Override
    String valueString(Struct s) {
        return String.valueOf(s.refs[slot]);
    }
}
