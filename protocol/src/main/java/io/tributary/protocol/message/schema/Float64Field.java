package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/** A FLOAT64 field: an IEEE 754 double, big-endian (kept as its raw bits). Default 0.0 unless declared. */
public final class Float64Field extends PrimitiveField<Float64Field> {
    Float64Field(String name, VersionRange versions) {
        super(name, versions);
    }

    public Float64Field defaultValue(double value) {
        checkDeclaring();
        this.defaultBits = Double.doubleToRawLongBits(value);
        return this;
    }

    public double defaultValue() {
        return Double.longBitsToDouble(defaultBits);
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
        return "FLOAT64";
    }
}
