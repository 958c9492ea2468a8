package io.tributary.protocol.message.schema;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * An array of (non-null) strings: a count as for any array, then each string, compact in flexible
 * versions. The value is a {@code List<String>}. Default: empty, or null if declared so.
 */
public final class StringArrayField extends ReferenceField<StringArrayField> {
    StringArrayField(String name, VersionRange versions) {
        super(name, versions, List.of());
    }

    /** Makes null the default (the field must be nullable). */
    public StringArrayField defaultNull() {
        checkDeclaring();
        this.defaultObject = null;
        return this;
    }

    @Override
    boolean canBeNull() {
        return true;
    }

    @SuppressWarnings("unchecked")
    private List<String> value(Struct s) {
        return (List<String>) s.refs[slot];
    }

    @Override
    void read(WireReader in, Struct s, short version, boolean flexible) {
        int count = in.readArrayLength(flexible, isNullableIn(version), flexible ? 1 : 2);
        if (count < 0) {
            s.refs[slot] = null;
            return;
        }
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                list.add(in.readString(flexible, false));
            } catch (MalformedMessageException e) {
                throw e.atIndex(i);
            }
        }
        s.refs[slot] = list;
    }

    @Override
    void write(WireWriter out, Struct s, short version, boolean flexible) {
        List<String> list = value(s);
        if (list == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            out.writeArrayLength(-1, flexible);
            return;
        }
        out.writeArrayLength(list.size(), flexible);
        for (int i = 0, n = list.size(); i < n; i++) {
            out.writeString(checkElement(list.get(i), i), flexible);
        }
    }

    @Override
    int size(Struct s, short version, boolean flexible) {
        List<String> list = value(s);
        if (list == null) {
            if (!isNullableIn(version)) {
                throw nullNotAllowed(version);
            }
            return WireWriter.sizeOfArrayLength(-1, flexible);
        }
        int size = WireWriter.sizeOfArrayLength(list.size(), flexible);
        for (int i = 0, n = list.size(); i < n; i++) {
            size += WireWriter.sizeOfString(checkElement(list.get(i), i), flexible);
        }
        return size;
    }

    private String checkElement(String e, int index) {
        if (e == null) {
            throw new IllegalArgumentException("Array " + this + " holds null at index " + index + "; its strings are not nullable");
        }
        return e;
    }

    @Override
    boolean hasDefaultValue(Struct s) {
        List<String> list = value(s);
        return defaultObject == null ? list == null : list != null && list.isEmpty();
    }

    @Override
    int minSize(short version, boolean flexible) {
        return flexible ? 1 : 4;
    }

    @Override
    String typeName(short version, boolean flexible) {
        return flexible
            ? "COMPACT_" + (isNullableIn(version) ? "NULLABLE_" : "") + "ARRAY(COMPACT_STRING)"
            : (isNullableIn(version) ? "NULLABLE_" : "") + "ARRAY(STRING)";
    }
}
