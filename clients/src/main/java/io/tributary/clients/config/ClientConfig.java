package io.tributary.clients.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checked configuration: every key of its {@link ConfigDef} parsed to its type (or defaulted), plus the
 * values exactly as the user gave them. Immutable and safe to share between threads.
 */
public final class ClientConfig {
    private final ConfigDef definition;
    private final Map<String, Object> values;
    private final Map<String, Object> originals;

    ClientConfig(ConfigDef definition, Map<String, Object> values, Map<String, ?> originals) {
        this.definition = definition;
        this.values = values;
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
    }

    /**
     * The parsed value of {@code key}.
     *
     * @throws IllegalArgumentException if the key is not part of this configuration's definition
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!definition.defines(key)) {
            throw new IllegalArgumentException("Configuration " + key.name() + " is not defined for this client");
        }
        return (T) values.get(key.name());
    }

    /** Whether the user gave {@code key} explicitly (rather than taking its default). */
    public boolean isSet(ConfigKey<?> key) {
        return originals.containsKey(key.name());
    }

    /** The values as given, including keys this client does not know. */
    public Map<String, Object> originals() {
        return originals;
    }

    public ConfigDef definition() {
        return definition;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
