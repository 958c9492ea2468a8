package io.tributary.protocol.message.schema;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The layout of one struct across all versions of its message, and the codec that walks it.
 *
 * <p>Wire format of a struct at version v: its fields that exist at v and are not tagged at v, in
 * declaration order, each in its type's encoding; then, in flexible versions only, the tagged-field
 * section: an unsigned varint count, then per field an unsigned varint tag, an unsigned varint size and
 * that many bytes holding the value. Tagged fields are written in increasing tag order and only when they
 * differ from their default; tagged fields with a tag this schema does not know are kept as
 * {@link RawTaggedField}s and written back in order. A known tagged field whose value does not take
 * exactly its declared size is malformed.
 *
 * <p>Design note: one generic codec over declarative schemas rather than a hand-written class per message
 * version. The served APIs have some 200 request and response versions; a schema per API, written once
 * with version ranges as Kafka's own definitions are, keeps each fact in one place, lets a test compare
 * every version with Kafka's, and gives one bounded decoder to harden. Per-version plans (which fields are
 * regular, tagged or absent) are computed once when the message schema is built, so the codec does no
 * version arithmetic per field.
 */
public final class StructSchema {
    private final String name;
    private final Field<?>[] fields;
    final long[] primDefaults;
    final Object[] refDefaults;
    private final boolean mayContainRecords;
    private Plan[] plans = new Plan[0];
    private ApiKey preparedFor;

    /** Which fields a version has, where, and the fewest bytes the struct can take in that version. */
    private static final class Plan {
        final Field<?>[] regular;
        final Field<?>[] tagged;
        final Field<?>[] byTag;
        final Field<?>[] absent;
        final boolean flexible;
        final int minSize;

        Plan(Field<?>[] regular, Field<?>[] tagged, Field<?>[] absent, boolean flexible, int minSize) {
            this.regular = regular;
            this.tagged = tagged;
            this.absent = absent;
            this.flexible = flexible;
            this.minSize = minSize;
            int maxTag = -1;
            for (Field<?> f : tagged) {
                maxTag = Math.max(maxTag, f.tag());
            }
            this.byTag = new Field<?>[maxTag + 1];
            for (Field<?> f : tagged) {
                byTag[f.tag()] = f;
            }
        }
    }

    StructSchema(String name, List<Field<?>> declared) {
        this.name = name;
        this.fields = declared.toArray(new Field<?>[0]);
        int primCount = 0;
        int refCount = 0;
        boolean records = false;
        for (Field<?> f : fields) {
            f.owner = this;
            f.slot = f.isPrimitive() ? primCount++ : refCount++;
            records |= f.mayContainRecords();
        }
        this.mayContainRecords = records;
        this.primDefaults = new long[primCount];
        this.refDefaults = new Object[refCount];
        for (Field<?> f : fields) {
            if (f.isPrimitive()) {
                primDefaults[f.slot] = f.defaultBits();
            } else {
                refDefaults[f.slot] = f.defaultObject();
            }
        }
    }

    public String name() {
        return name;
    }

    /** The fields of every version, in declaration order. */
    public List<Field<?>> fields() {
        return List.of(fields);
    }

    /** The field named {@code name} (Kafka's snake_case wire name), or null. */
    public Field<?> field(String name) {
        for (Field<?> f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    Field<?>[] fieldArray() {
        return fields;
    }

    /** A struct holding every field's default. */
    public Struct newStruct() {
        return new Struct(this);
    }

    boolean mayContainRecords() {
        return mayContainRecords;
    }

    /**
     * Computes the per-version plans of this struct and the structs nested in it for the versions of
     * {@code api}. A struct belongs to one API's messages: which versions are flexible comes from there.
     */
    void prepare(ApiKey api) {
        if (preparedFor == api) {
            return;
        }
        if (preparedFor != null) {
            throw new IllegalStateException("Struct " + name + " is already used by " + preparedFor.title() + ", so it cannot serve " + api.title());
        }
        preparedFor = api;
        for (Field<?> f : fields) {
            if (f instanceof StructField sf) {
                sf.nestedSchema().prepare(api);
            } else if (f instanceof StructArrayField af) {
                af.elementSchema().prepare(api);
            }
        }
        Plan[] built = new Plan[api.maxVersion() + 1];
        for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
            built[v] = plan(v, api.isFlexible(v));
        }
        plans = built;
    }

    private Plan plan(short v, boolean flexible) {
        List<Field<?>> regular = new ArrayList<>();
        List<Field<?>> tagged = new ArrayList<>();
        List<Field<?>> absent = new ArrayList<>();
        int minSize = flexible ? 1 : 0;
        for (Field<?> f : fields) {
            if (!f.versions().contains(v)) {
                absent.add(f);
            } else if (f.taggedVersions().contains(v)) {
                if (!flexible) {
                    throw new IllegalStateException("Field " + f + " is tagged at version " + v + ", which is not flexible");
                }
                for (Field<?> t : tagged) {
                    if (t.tag() == f.tag()) {
                        throw new IllegalStateException("Fields " + t + " and " + f + " share tag " + f.tag() + " at version " + v);
                    }
                }
                tagged.add(f);
            } else {
                regular.add(f);
                minSize += f.minSize(v, flexible);
            }
        }
        tagged.sort(Comparator.comparingInt(Field::tag));
        return new Plan(regular.toArray(new Field<?>[0]), tagged.toArray(new Field<?>[0]), absent.toArray(new Field<?>[0]),
            flexible, minSize);
    }

    private Plan planFor(short v) {
        Plan p = v >= 0 && v < plans.length ? plans[v] : null;
        if (p == null) {
            throw new IllegalStateException("Struct " + name + " has no layout for version " + v
                + (preparedFor == null ? " (its message schema was never built)" : " of " + preparedFor.title()));
        }
        return p;
    }

    /** The fewest bytes a struct of this schema takes at version {@code v}. */
    int minSize(short v) {
        return planFor(v).minSize;
    }

    // ---- decoding ----

    Struct read(WireReader in, short v, boolean flexible) {
        Plan p = planFor(v);
        Struct s = new Struct(this);
        for (Field<?> f : p.regular) {
            try {
                f.read(in, s, v, flexible);
            } catch (MalformedMessageException e) {
                throw e.atField(f.name());
            }
        }
        if (flexible) {
            readTaggedFields(in, s, p, v);
        }
        return s;
    }

    private void readTaggedFields(WireReader in, Struct s, Plan p, short v) {
        int count = in.readTaggedFieldCount();
        for (int i = 0; i < count; i++) {
            RawTaggedField raw = in.readTaggedField();
            Field<?> f = raw.tag() < p.byTag.length ? p.byTag[raw.tag()] : null;
            if (f == null) {
                s.addUnknownTaggedField(raw);
                continue;
            }
            int size = raw.data().remaining();
            WireReader value = new WireReader(raw.data());
            try {
                f.read(value, s, v, true);
            } catch (MalformedMessageException e) {
                throw e.atField(f.name());
            }
            if (value.remaining() != 0) {
                throw new MalformedMessageException("tagged field has size " + size + " but its value took "
                    + (size - value.remaining()) + " bytes").atField(f.name());
            }
        }
    }

    // ---- encoding ----

    /** Refuses non-default values in fields the version lacks, as Kafka does; ignorable ones are dropped. */
    private void checkAbsent(Struct s, Plan p, short v) {
        for (Field<?> f : p.absent) {
            if (!f.isIgnorable() && !f.hasDefaultValue(s)) {
                throw new UnsupportedVersionException("Attempted to write a non-default " + f.name() + " in " + name
                    + " at version " + v + ", which does not have the field");
            }
        }
        List<RawTaggedField> unknown = s.unknownTaggedFieldsOrNull();
        if (!p.flexible && unknown != null && !unknown.isEmpty()) {
            throw new UnsupportedVersionException("Tagged fields were set in " + name + ", but version " + v + " does not support them");
        }
    }

    void write(Struct s, WireWriter out, short v, boolean flexible) {
        Plan p = planFor(v);
        checkAbsent(s, p, v);
        for (Field<?> f : p.regular) {
            f.write(out, s, v, flexible);
        }
        if (!flexible) {
            return;
        }
        List<RawTaggedField> unknown = s.unknownTaggedFieldsOrNull();
        int count = unknown == null ? 0 : unknown.size();
        for (Field<?> f : p.tagged) {
            if (!f.hasDefaultValue(s)) {
                count++;
            }
        }
        out.writeUnsignedVarint(count);
        int u = 0;
        for (Field<?> f : p.tagged) {
            while (unknown != null && u < unknown.size() && unknown.get(u).tag() < f.tag()) {
                writeRaw(unknown.get(u++), out);
            }
            if (!f.hasDefaultValue(s)) {
                out.writeUnsignedVarint(f.tag());
                out.writeUnsignedVarint(f.size(s, v, true));
                f.write(out, s, v, true);
            }
        }
        while (unknown != null && u < unknown.size()) {
            writeRaw(unknown.get(u++), out);
        }
    }

    private static void writeRaw(RawTaggedField raw, WireWriter out) {
        out.writeUnsignedVarint(raw.tag());
        out.writeUnsignedVarint(raw.data().remaining());
        out.writeRaw(raw.data());
    }

    int size(Struct s, short v, boolean flexible) {
        Plan p = planFor(v);
        checkAbsent(s, p, v);
        int size = 0;
        for (Field<?> f : p.regular) {
            size += f.size(s, v, flexible);
        }
        if (!flexible) {
            return size;
        }
        List<RawTaggedField> unknown = s.unknownTaggedFieldsOrNull();
        int count = 0;
        if (unknown != null) {
            count = unknown.size();
            for (RawTaggedField raw : unknown) {
                size += raw.sizeInBytes();
            }
        }
        for (Field<?> f : p.tagged) {
            if (!f.hasDefaultValue(s)) {
                count++;
                int valueSize = f.size(s, v, true);
                size += WireWriter.sizeOfUnsignedVarint(f.tag()) + WireWriter.sizeOfUnsignedVarint(valueSize) + valueSize;
            }
        }
        return size + WireWriter.sizeOfUnsignedVarint(count);
    }

    int externalSize(Struct s, short v, boolean flexible) {
        if (!mayContainRecords) {
            return 0;
        }
        Plan p = planFor(v);
        int size = 0;
        for (Field<?> f : p.regular) {
            size += f.externalSize(s, v, flexible);
        }
        for (Field<?> f : p.tagged) {
            size += f.externalSize(s, v, flexible);
        }
        return size;
    }

    /** Whether every field holds its default and there are no unknown tagged fields. */
    boolean isDefault(Struct s) {
        for (Field<?> f : fields) {
            if (!f.hasDefaultValue(s)) {
                return false;
            }
        }
        List<RawTaggedField> unknown = s.unknownTaggedFieldsOrNull();
        return unknown == null || unknown.isEmpty();
    }

    /** This struct at version {@code v} in Kafka's schema notation: {@code {name:TYPE,...,_tagged_fields:TAGGED(tag:name:TYPE,...)}}. */
    String describe(short v, boolean flexible) {
        Plan p = planFor(v);
        StringBuilder b = new StringBuilder("{");
        for (Field<?> f : p.regular) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(f.name()).append(':').append(f.typeName(v, flexible));
        }
        if (flexible) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("_tagged_fields:TAGGED(");
            for (int i = 0; i < p.tagged.length; i++) {
                Field<?> f = p.tagged[i];
                if (i > 0) {
                    b.append(',');
                }
                b.append(f.tag()).append(':').append(f.name()).append(':').append(f.typeName(v, true));
            }
            b.append(')');
        }
        return b.append('}').toString();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(Arrays.stream(fields).map(Field::name).toArray());
    }
}
