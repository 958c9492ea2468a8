package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** An INT32 field: big-endian two's complement. Default 0 unless declared. */
public final class Int32Field extends PrimitiveField<Int32Field> {
    Int32Field(String name, VersionRange versions) {
        super(name, versions);
    }

    public Int32Field defaultValue(int value) {
        checkDeclaring();
        this.defaultBits = value;
        return this;
    }

    public int defaultValue() {
        return (int) defaultBits;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.prims[slot] = in.readInt32();
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeInt32((int) s.prims[slot]);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return 4;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return 4;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return "INT32";
    }
}
