package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/**
 * A STRING field: UTF-8 with an int16 length, or a compact (unsigned varint length + 1) string in flexible
 * versions; null only in its nullable versions. Default "" unless declared (possibly null).
 */
public final class StringField extends ReferenceField<StringField> {
    StringField(String name, VersionRange versions) {
        super(name, versions, "");
    }

    public StringField defaultValue(String value) {
        checkDeclaring();
        this.defaultObject = value;
        return this;
    }

    public String defaultValue() {
        return (String) defaultObject;
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.refs[slot] = in.readString(flexible, isNullableIn(version));
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        String v = (String) s.refs[slot];
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        out.writeString(v, flexible);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        String v = (String) s.refs[slot];
        if (v == null && !isNullableIn(version)) {
            throw nullNotAllowed(version);
        }
        return WireWriter.sizeOfString(v, flexible);
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 2;
    }

    @Override
    String valueString(Struct s) {
        Object v = s.refs[slot];
        return v == null ? "null" : "\"" + v + "\"";
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "STRING";
    }
}
