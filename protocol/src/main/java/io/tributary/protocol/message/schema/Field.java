package io.tributary.protocol.message.schema;

import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

/**
 * One field of a {@link StructSchema}, declared once for all versions of its message: the versions it
 * exists in, those in which it may be null, and the versions in which it is a tagged field (sent in the
 * struct's tagged-field section under {@code tag}, and only when it differs from its default). Instances
 * double as typed handles: {@code struct.get(ProduceRequest.ACKS)} returns a {@code short}.
 *
 * <p>Declared with the builder's fluent style in a static initializer, then frozen when the struct schema
 * is built; a frozen field is immutable and safe to share between threads.
 *
 * <p>Rules it follows, as Kafka's generated code does: in a version without the field, decoding yields the
 * default and encoding requires the default (else {@link io.tributary.protocol.UnsupportedVersionException}),
 * unless the field is {@link #ignorable()}, when a non-default value is dropped silently.
 *
 * @param <F> the concrete field type, so that the fluent setters return it
 */
public abstract class Field<F extends Field<F>> {
    private final String name;
    private final VersionRange versions;
    private VersionRange nullableVersions = VersionRange.NONE;
    private VersionRange taggedVersions = VersionRange.NONE;
    private int tag = -1;
    private boolean ignorable;

    /** The schema this field belongs to, set when that schema is built; null while the field is declared. */
    StructSchema owner;
    /** Index of the value in {@link Struct}'s primitive or reference array. */
    int slot;

    Field(String name, VersionRange versions) {
        this.name = name;
        this.versions = versions;
    }

    @SuppressWarnings("unchecked")
    private F self() {
        return (F) this;
    }

    final void checkDeclaring() {
        if (owner != null) {
            throw new IllegalStateException("Field " + this + " is frozen; its schema is already built");
        }
    }

    /** Versions in which the value may be null; only strings, bytes, records, arrays and structs can be null. */
    public F nullable(String versionSpec) {
        checkDeclaring();
        if (!canBeNull()) {
            throw new IllegalStateException("Field " + name + " is of a type that cannot be null");
        }
        this.nullableVersions = VersionRange.parse(versionSpec);
        return self();
    }

    /** Makes the field a tagged field with {@code tag} in all the versions it exists in. */
    public F tagged(int tag) {
        return tagged(tag, versions.toString());
    }

    /** Makes the field a tagged field with {@code tag} in {@code versionSpec} (a subset of its versions). */
    public F tagged(int tag, String versionSpec) {
        checkDeclaring();
        if (tag < 0) {
            throw new IllegalArgumentException("Tag " + tag + " of field " + name + " is negative");
        }
        VersionRange tv = VersionRange.parse(versionSpec);
        if (!tv.isSubsetOf(versions)) {
            throw new IllegalArgumentException("Tagged versions " + tv + " of field " + name + " are not within its versions " + versions);
        }
        this.tag = tag;
        this.taggedVersions = tv;
        return self();
    }

    /** A non-default value in a version without the field is dropped instead of refused. */
    public F ignorable() {
        checkDeclaring();
        this.ignorable = true;
        return self();
    }

    public String name() {
        return name;
    }

    public VersionRange versions() {
        return versions;
    }

    public VersionRange nullableVersions() {
        return nullableVersions;
    }

    public VersionRange taggedVersions() {
        return taggedVersions;
    }

    /** The tag, or -1 for a field that is never tagged. */
    public int tag() {
        return tag;
    }

    public boolean isIgnorable() {
        return ignorable;
    }

    /** The struct schema this field belongs to (null while it is being declared). */
    public StructSchema owner() {
        return owner;
    }

    final boolean isNullableIn(short version) {
        return nullableVersions.contains(version);
    }

    @Override
    public String toString() {
        return (owner == null ? "?" : owner.name()) + "." + name;
    }

    // ---- what each type supplies ----

    /** Whether the value lives in {@link Struct}'s long array (numbers, booleans) or its object array. */
    abstract boolean isPrimitive();

    /** Whether the type has a null value at all. */
    boolean canBeNull() {
        return false;
    }

    /** The default, encoded as the long stored for primitive fields. */
    long defaultBits() {
        throw new UnsupportedOperationException();
    }

    /** The default object stored for reference fields; it must be immutable or never mutated in place. */
    Object defaultObject() {
        throw new UnsupportedOperationException();
    }

    abstract void read(WireReader in, Struct s, short version, boolean flexible);

    abstract void write(WireWriter out, Struct s, short version, boolean flexible);

    /** Bytes {@link #write} writes, including the length of external records. */
    abstract int size(Struct s, short version, boolean flexible);

    /** Bytes of external records under this field (non-zero only for records and what contains them). */
    int externalSize(Struct s, short version, boolean flexible) {
        return 0;
    }

    /** Whether the type can contain records (so {@link #externalSize} has anything to look at). */
    boolean mayContainRecords() {
        return false;
    }

    /** The fewest bytes any value takes, used to bound array counts before allocating. */
    abstract int minSize(short version, boolean flexible);

    /** Whether the struct holds this field's default (a tagged field is then not sent). */
    abstract boolean hasDefaultValue(Struct s);

    /** Whether two structs of the owner schema hold equal values for this field. */
    abstract boolean valueEquals(Struct a, Struct b);

    abstract int valueHash(Struct s);

    abstract String valueString(Struct s);

    /** The type in Kafka's schema notation at this version, e.g. COMPACT_NULLABLE_STRING or ARRAY({...}). */
    abstract String typeName(short version, boolean flexible);

    final IllegalArgumentException nullNotAllowed(short version) {
        return new IllegalArgumentException("Field " + this + " is null but not nullable at version " + version);
    }
}
