package io.tributary.protocol.message.schema;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * An array of structs: a count (int32, or compact unsigned varint count + 1 in flexible versions; null
 * only in nullable versions), then each element as its struct. The value is a {@code List<Struct>} of
 * structs of {@link #elementSchema()}. Default: empty, or null if declared so.
 */
public final class StructArrayField extends ReferenceField<StructArrayField> {
    private final StructSchema element;

    StructArrayField(String name, VersionRange versions, StructSchema element) {
        super(name, versions, List.of());
        this.element = element;
    }

    /** Makes null the default (the field must be nullable). */
    public StructArrayField defaultNull() {
        checkDeclaring();
        this.defaultObject = null;
        return this;
    }

    public StructSchema elementSchema() {
        return element;
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @SuppressWarnings("unchecked")
    private List<Struct> value(Struct s) {
        return (List<Struct>) s.refs[slot];
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        int count = in.readArrayLength(flexible, isNullableIn(version), element.minSize(version));
        if (count < 0) {
            s.refs[slot] = null;
            return;
        }
        List<Struct> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                list.add(element.read(in, version, flexible));
            } catch (MalformedMessageException e) {
                throw e.atIndex(i);
            }
        }
        s.refs[slot] = list;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        List<Struct> list = value(s);
        if (list == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            out.writeArrayLength(-1, flexible);
            return;
        }
        out.writeArrayLength(list.size(), flexible);
        for (int i = 0, n = list.size(); i < n; i++) {
            element.write(checkElement(list.get(i)), out, version, flexible);
        }
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        List<Struct> list = value(s);
        if (list == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            return WireWriter.sizeOfArrayLength(-1, flexible);
        }
        int size = WireWriter.sizeOfArrayLength(list.size(), flexible);
        for (int i = 0, n = list.size(); i < n; i++) {
            size += element.size(checkElement(list.get(i)), version, flexible);
        }
        return size;
    }

    private Struct checkElement(Struct e) {
        if (e == null || e.schema() != element) {
            throw new IllegalArgumentException("Array " + this + " holds " + (e == null ? "null" : "a " + e.schema().name())
                + " where a " + element.name() + " belongs");
        }
        return e;
    }

    @Override
    int externalSize(Struct s, short version, boolean flexible) {
        List<Struct> list = value(s);
        if (list == null || !element.mayContainRecords()) {
            return 0;
        }
        int size = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            size += element.externalSize(list.get(i), version, flexible);
        }
        return size;
    }

    @Override
    boolean mayContainRecords() {
        return element.mayContainRecords();
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        List<Struct> list = value(s);
        return defaultObject == null ? list == null : list != null && list.isEmpty();
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return (flexible ? "COMPACT_" : "") + (isNullableIn(version) ? "NULLABLE_" : "") + "ARRAY("
            + element.describe(version, flexible) + ")";
    }
}
