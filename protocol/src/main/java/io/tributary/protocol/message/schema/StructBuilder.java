package io.tributary.protocol.message.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Declares the fields of one struct, in wire order, then freezes them into a {@link StructSchema}. Used
 * from static initializers in a readable, Kafka-like style:
 * <pre>{@code
 * private static final StructBuilder B = new StructBuilder("PartitionProduceData");
 * public static final Int32Field INDEX = B.int32("index", "3+");
 * public static final RecordsField RECORDS = B.records("records", "3+").nullable("3+");
 * public static final StructSchema SCHEMA = B.build();
 * }</pre>
 * Names are Kafka's snake_case wire names; version ranges use Kafka's notation ({@link VersionRange}).
 */
public final class StructBuilder {
    private final String name;
    private final List<Field<?>> fields = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private boolean built;

    public StructBuilder(String name) {
        this.name = name;
    }

    private <T extends Field<?>> T add(T field) {
        if (built) {
            throw new IllegalStateException("Struct " + name + " is already built; field " + field.name() + " comes too late");
        }
        if (!names.add(field.name())) {
            throw new IllegalArgumentException("Struct " + name + " already has a field " + field.name());
        }
        fields.add(field);
        return field;
    }

    public BoolField bool(String field, String versions) {
        return add(new BoolField(field, VersionRange.parse(versions)));
    }

    public Int8Field int8(String field, String versions) {
        return add(new Int8Field(field, VersionRange.parse(versions)));
    }

    public Int16Field int16(String field, String versions) {
        return add(new Int16Field(field, VersionRange.parse(versions)));
    }

    public Int32Field int32(String field, String versions) {
        return add(new Int32Field(field, VersionRange.parse(versions)));
    }

    public Int64Field int64(String field, String versions) {
        return add(new Int64Field(field, VersionRange.parse(versions)));
    }

    public Float64Field float64(String field, String versions) {
        return add(new Float64Field(field, VersionRange.parse(versions)));
    }

    public UuidField uuid(String field, String versions) {
        return add(new UuidField(field, VersionRange.parse(versions)));
    }

    public StringField string(String field, String versions) {
        return add(new StringField(field, VersionRange.parse(versions)));
    }

    public BytesField bytes(String field, String versions) {
        return add(new BytesField(field, VersionRange.parse(versions)));
    }

    public RecordsField records(String field, String versions) {
        return add(new RecordsField(field, VersionRange.parse(versions)));
    }

    public StructField struct(String field, String versions, StructSchema nested) {
        return add(new StructField(field, VersionRange.parse(versions), nested));
    }

    public StructArrayField array(String field, String versions, StructSchema element) {
        return add(new StructArrayField(field, VersionRange.parse(versions), element));
    }

    public Int32ArrayField int32Array(String field, String versions) {
        return add(new Int32ArrayField(field, VersionRange.parse(versions)));
    }

    public Int64ArrayField int64Array(String field, String versions) {
        return add(new Int64ArrayField(field, VersionRange.parse(versions)));
    }

    public StringArrayField stringArray(String field, String versions) {
        return add(new StringArrayField(field, VersionRange.parse(versions)));
    }

    /** Freezes the declared fields; a null default must be on a field that is nullable in some version. */
    public StructSchema build() {
        if (built) {
            throw new IllegalStateException("Struct " + name + " is already built");
        }
        for (Field<?> f : fields) {
            if (!f.isPrimitive() && f.defaultObject() == null && f.nullableVersions().isEmpty() && !(f instanceof StructField)) {
                throw new IllegalStateException("Field " + name + "." + f.name() + " defaults to null but is never nullable");
            }
        }
        built = true;
        return new StructSchema(name, fields);
    }
}
