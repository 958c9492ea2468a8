package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.UUID;

/** A UUID field: 16 bytes, most significant half first. Default: the all-zero UUID (Kafka's ZERO_UUID). */
public final class UuidField extends ReferenceField<UuidField> {
    public static final UUID ZERO = new UUID(0, 0);

    UuidField(String name, VersionRange versions) {
        super(name, versions, ZERO);
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        s.refs[slot] = in.readUuid();
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        out.writeUuid((UUID) s.refs[slot]);
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        return 16;
    }

    @Override
    int minSize(short version, boolean flexible) {
        return 16;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return "UUID";
    }
}
