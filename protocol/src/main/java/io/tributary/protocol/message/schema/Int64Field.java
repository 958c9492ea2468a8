package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** An INT64 field: big-endian two's complement. Default 0 unless declared. */
public final class Int64Field extends PrimitiveField<Int64Field> {
    Int64Field(String name, VersionRange versions) {
        super(name, versions);
    }

    public Int64Field defaultValue(long value) {
        checkDeclaring();
        this.defaultBits = value;
        return this;
    }

    public long defaultValue() {
        return defaultBits;
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.prims[slot] = in.readInt64();
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeInt64(s.prims[slot]);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return 8;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return 8;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return "INT64";
    }
}
