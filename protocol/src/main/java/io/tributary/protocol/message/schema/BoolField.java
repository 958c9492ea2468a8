package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** A BOOLEAN field: one byte, 1 for true and 0 for false (any non-zero byte reads as true). Default false unless declared. */
public final class BoolField extends PrimitiveField<BoolField> {
    BoolField(String name, VersionRange versions) {
        super(name, versions);
    }

    public BoolField defaultValue(boolean value) {
        checkDeclaring();
        this.defaultBits = value ? 1 : 0;
        return this;
    }

    public boolean defaultValue() {
        return defaultBits != 0;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.prims[slot] = in.readBool() ? 1 : 0;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeBool(s.prims[slot] != 0);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return 1;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return 1;
    }

    @Override
    String valueString(Struct s) {
        return Boolean.toString(s.prims[slot] != 0);
    }

    @Override
    String typeName(short version, boolean flexible) {
        return "BOOLEAN";
    }
}
