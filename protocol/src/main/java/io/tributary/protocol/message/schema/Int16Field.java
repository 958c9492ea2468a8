package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** An INT16 field: big-endian two's complement. Default 0 unless declared. */
public final class Int16Field extends PrimitiveField<Int16Field> {
    Int16Field(String name, VersionRange versions) {
        super(name, versions);
    }

    public Int16Field defaultValue(int value) {
        checkDeclaring();
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("Default " + value + " of " + name() + " does not fit in an int16");
        }
        this.defaultBits = value;
        return this;
    }

    public short defaultValue() {
        return (short) defaultBits;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.prims[slot] = in.readInt16();
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeInt16((short) s.prims[slot]);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return 2;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return 2;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return "INT16";
    }
}
