package io.tributary.protocol.message;

import io.tributary.protocol.message.schema.Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which fields of a message version a set of sample bodies exercised with a non-default value, so a test
 * can show that its samples were populated everywhere, not merely non-empty at the top.
 */
final class FieldCoverage {
    private final Set<Field<?>> seen = new LinkedHashSet<>();

    void record(Struct s) {
        for (Field<?> f : s.schema().fields()) {
            if (s.hasDefaultValue(f)) {
                continue;
            }
            seen.add(f);
            if (f instanceof StructField x) {
                record(s.get(x));
            } else if (f instanceof StructArrayField x && s.get(x) != null) {
                s.get(x).forEach(this::record);
            }
        }
    }

    /** Fields of the version (at any depth) that no recorded sample set to a non-default value. */
    Set<String> missing(MessageSchema schema, short version) {
        Set<String> missing = new LinkedHashSet<>();
        collect(schema.root(), version, missing, new LinkedHashSet<>());
        return missing;
    }

    private void collect(StructSchema schema, short v, Set<String> missing, Set<StructSchema> visited) {
        if (!visited.add(schema)) {
            return;
        }
        for (Field<?> f : schema.fields()) {
            if (!f.versions().contains(v)) {
                continue;
            }
            if (!seen.contains(f)) {
                missing.add(f.toString());
            }
            if (f instanceof StructField x) {
                collect(x.nestedSchema(), v, missing, visited);
            } else if (f instanceof StructArrayField x) {
                collect(x.elementSchema(), v, missing, visited);
            }
        }
    }
}
