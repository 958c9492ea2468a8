package io.tributary.protocol.message;

import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/** The tagged-field section of a header, whose tags are all unknown to us: kept raw and written back as read. */
final class TaggedFields {
    private TaggedFields() {
    }

    static List<RawTaggedField> read(WireReader in) {
        int count = in.readTaggedFieldCount();
        if (count == 0) {
            return List.of();
        }
        List<RawTaggedField> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fields.add(in.readTaggedField());
        }
        return List.copyOf(fields);
    }

    static int size(List<RawTaggedField> fields) {
        int size = WireWriter.sizeOfUnsignedVarint(fields.size());
        for (RawTaggedField f : fields) {
            size += f.sizeInBytes();
        }
        return size;
    }

    static void write(List<RawTaggedField> fields, WireWriter out) {
        out.writeUnsignedVarint(fields.size());
        for (RawTaggedField f : fields) {
            out.writeUnsignedVarint(f.tag());
            out.writeUnsignedVarint(f.data().remaining());
            out.writeRaw(f.data());
        }
    }
}
