package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** An INT8 field: big-endian two's complement. Default 0 unless declared. */
public final class Int8Field extends PrimitiveField<Int8Field> {
    Int8Field(String name, VersionRange versions) {
        super(name, versions);
    }

    public Int8Field defaultValue(int value) {
        checkDeclaring();
        if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("Default " + value + " of " + name() + " does not fit in an int8");
        }
        this.defaultBits = value;
        return this;
    }

    public byte defaultValue() {
        return (byte) defaultBits;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.prims[slot] = in.readInt8();
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeInt8((byte) s.prims[slot]);
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
    String typeName(short version, boolean flexible) {
        return "INT8";
    }
}
