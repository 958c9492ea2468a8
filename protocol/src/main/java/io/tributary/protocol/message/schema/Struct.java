package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.ExternalRecords;
import io.tributary.protocol.message.wire.RawTaggedField;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The values of one struct of a message (the message itself, or an element of one of its arrays), laid
 * out by its {@link StructSchema}: numbers and booleans in a {@code long[]}, everything else in an
 * {@code Object[]}, one slot per field of any version. Typed accessors take the schema's field handles, so
 * {@code partition.get(PartitionProduceData.INDEX)} is an {@code int} without boxing or a name lookup,
 * and a handle of another struct is refused rather than read from the wrong slot.
 *
 * <p>A new struct holds every field's default. Decoding fills the fields present in the version; the
 * others keep their defaults, as Kafka's generated classes do. Values decoded from a buffer (bytes,
 * records, unknown tagged fields) are slices of it: the buffer must stay untouched while the struct is in
 * use. Buffers handed out or taken in are used from position to limit and never moved by this code, so
 * do not move them either (use {@code duplicate()} to read relatively).
 *
 * <p>Not thread-safe; a struct is built or read by one thread at a time.
 */
public final class Struct {
    private static final long[] NO_PRIMS = new long[0];
    private static final Object[] NO_REFS = new Object[0];

    private final StructSchema schema;
    final long[] prims;
    final Object[] refs;
    private List<RawTaggedField> unknownTaggedFields;

    Struct(StructSchema schema) {
        this.schema = schema;
        this.prims = schema.primDefaults.length == 0 ? NO_PRIMS : schema.primDefaults.clone();
        this.refs = schema.refDefaults.length == 0 ? NO_REFS : schema.refDefaults.clone();
    }

    public StructSchema schema() {
        return schema;
    }

    private void check(Field<?> f) {
        if (f.owner != schema) {
            throw new IllegalArgumentException("Field " + f + " is not a field of " + schema.name());
        }
    }

    /**
     * Whether the field holds its default: the value a version without the field decodes to, and for a
     * tagged field the value that is not sent.
     */
    public boolean hasDefaultValue(Field<?> f) {
        check(f);
        return f.hasDefaultValue(this);
    }

    // ---- numbers and booleans ----

    public boolean get(BoolField f) {
        check(f);
        return prims[f.slot] != 0;
    }

    public Struct set(BoolField f, boolean value) {
        check(f);
        prims[f.slot] = value ? 1 : 0;
        return this;
    }

    public byte get(Int8Field f) {
        check(f);
        return (byte) prims[f.slot];
    }

    /** Sets an int8; {@code value} must fit in a byte. */
    public Struct set(Int8Field f, int value) {
        check(f);
        if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("Value " + value + " of " + f + " does not fit in an int8");
        }
        prims[f.slot] = value;
        return this;
    }

    public short get(Int16Field f) {
        check(f);
        return (short) prims[f.slot];
    }

    /** Sets an int16; {@code value} must fit in a short. */
    public Struct set(Int16Field f, int value) {
        check(f);
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("Value " + value + " of " + f + " does not fit in an int16");
        }
        prims[f.slot] = value;
        return this;
    }

    public int get(Int32Field f) {
        check(f);
        return (int) prims[f.slot];
    }

    public Struct set(Int32Field f, int value) {
        check(f);
        prims[f.slot] = value;
        return this;
    }

    public long get(Int64Field f) {
        check(f);
        return prims[f.slot];
    }

    public Struct set(Int64Field f, long value) {
        check(f);
        prims[f.slot] = value;
        return this;
    }

    public double get(Float64Field f) {
        check(f);
        return Double.longBitsToDouble(prims[f.slot]);
    }

    public Struct set(Float64Field f, double value) {
        check(f);
        prims[f.slot] = Double.doubleToRawLongBits(value);
        return this;
    }

    // ---- objects ----

    public UUID get(UuidField f) {
        check(f);
        return (UUID) refs[f.slot];
    }

    public Struct set(UuidField f, UUID value) {
        check(f);
        if (value == null) {
            throw new IllegalArgumentException("Field " + f + " cannot be null");
        }
        refs[f.slot] = value;
        return this;
    }

    public String get(StringField f) {
        check(f);
        return (String) refs[f.slot];
    }

    /** Sets a string; null is checked against the version when the message is encoded. */
    public Struct set(StringField f, String value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    /** The bytes from position to limit; a decoded value is a slice of the decoded buffer. */
    public ByteBuffer get(BytesField f) {
        check(f);
        return (ByteBuffer) refs[f.slot];
    }

    public Struct set(BytesField f, ByteBuffer value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    /**
     * Records held as a buffer (always so after decoding: a slice of the request, not a copy); null if
     * none.
     *
     * @throws IllegalStateException if the value is {@link ExternalRecords}
     */
    public ByteBuffer get(RecordsField f) {
        check(f);
        Object v = refs[f.slot];
        if (v instanceof ExternalRecords) {
            throw new IllegalStateException("Field " + f + " holds external records, which have no buffer here");
        }
        return (ByteBuffer) v;
    }

    /** The records as stored: a ByteBuffer, ExternalRecords or null. */
    public Object recordsValue(RecordsField f) {
        check(f);
        return refs[f.slot];
    }

    public Struct set(RecordsField f, ByteBuffer value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    /** Records the encoder does not copy: it writes their length and reports where their bytes belong. */
    public Struct set(RecordsField f, ExternalRecords value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    /**
     * The nested struct; one of defaults, created and stored now, if it was not set or decoded. For a
     * field that {@link StructField#holdsNull holds null}, null when it is null.
     */
    public Struct get(StructField f) {
        check(f);
        Struct v = (Struct) refs[f.slot];
        if (v == null && !f.holdsNull()) {
            v = f.nestedSchema().newStruct();
            refs[f.slot] = v;
        }
        return v;
    }

    public Struct set(StructField f, Struct value) {
        check(f);
        if (value != null && value.schema != f.nestedSchema()) {
            throw new IllegalArgumentException("Field " + f + " takes a " + f.nestedSchema().name() + ", not a " + value.schema.name());
        }
        refs[f.slot] = value;
        return this;
    }

    /**
     * The elements, or null for a null array. The list is the one stored: after decoding an ArrayList,
     * by default an unmodifiable empty list; use {@link #add} to append.
     */
    @SuppressWarnings("unchecked")
    public List<Struct> get(StructArrayField f) {
        check(f);
        return (List<Struct>) refs[f.slot];
    }

    /** Stores {@code value} itself (not a copy); every element must be a struct of the field's element schema. */
    public Struct set(StructArrayField f, List<Struct> value) {
        check(f);
        if (value != null) {
            for (Struct e : value) {
                if (e == null || e.schema != f.elementSchema()) {
                    throw new IllegalArgumentException("Array " + f + " takes " + f.elementSchema().name() + " elements, not "
                        + (e == null ? "null" : e.schema.name()));
                }
            }
        }
        refs[f.slot] = value;
        return this;
    }

    /** Appends a new element of defaults to the array (creating the array if it is null or unmodifiable) and returns it. */
    @SuppressWarnings("unchecked")
    public Struct add(StructArrayField f) {
        check(f);
        Object v = refs[f.slot];
        ArrayList<Struct> list;
        if (v instanceof ArrayList<?> existing) {
            list = (ArrayList<Struct>) existing;
        } else {
            list = v == null ? new ArrayList<>() : new ArrayList<>((List<Struct>) v);
            refs[f.slot] = list;
        }
        Struct element = f.elementSchema().newStruct();
        list.add(element);
        return element;
    }

    /** The values (the stored array, not a copy), or null for a null array. */
    public int[] get(Int32ArrayField f) {
        check(f);
        return (int[]) refs[f.slot];
    }

    public Struct set(Int32ArrayField f, int... value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    /** The values (the stored array, not a copy), or null for a null array. */
    public long[] get(Int64ArrayField f) {
        check(f);
        return (long[]) refs[f.slot];
    }

    public Struct set(Int64ArrayField f, long... value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    @SuppressWarnings("unchecked")
    public List<String> get(StringArrayField f) {
        check(f);
        return (List<String>) refs[f.slot];
    }

    public Struct set(StringArrayField f, List<String> value) {
        check(f);
        refs[f.slot] = value;
        return this;
    }

    // ---- tagged fields this version of the protocol does not know ----

    /** Tagged fields read that no field of the schema claims, in the order read; empty if none. */
    public List<RawTaggedField> unknownTaggedFields() {
        return unknownTaggedFields == null ? List.of() : Collections.unmodifiableList(unknownTaggedFields);
    }

    /** Adds a tagged field to write as is; encoding merges it with the known ones in tag order. */
    public Struct addUnknownTaggedField(RawTaggedField field) {
        if (unknownTaggedFields == null) {
            unknownTaggedFields = new ArrayList<>(2);
        }
        unknownTaggedFields.add(field);
        return this;
    }

    List<RawTaggedField> unknownTaggedFieldsOrNull() {
        return unknownTaggedFields;
    }

    // ---- value semantics ----

    /** Deep equality: same schema, equal values field by field (buffers by content), same unknown tagged fields. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Struct other) || other.schema != schema) {
            return false;
        }
        for (Field<?> f : schema.fieldArray()) {
            if (!f.valueEquals(this, other)) {
                return false;
            }
        }
        return unknownTaggedFields().equals(other.unknownTaggedFields());
    }

    @Override
    public int hashCode() {
        int h = schema.name().hashCode();
        for (Field<?> f : schema.fieldArray()) {
            h = 31 * h + f.valueHash(this);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(schema.name()).append('{');
        Field<?>[] fields = schema.fieldArray();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(fields[i].name()).append('=').append(fields[i].valueString(this));
        }
        if (unknownTaggedFields != null) {
            b.append(", unknown_tags=").append(unknownTaggedFields.size());
        }
        return b.append('}').toString();
    }
}
