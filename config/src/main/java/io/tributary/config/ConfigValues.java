package io.tributary.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed configuration: every key of its {@link ConfigDefinition} at its typed value (given or default), which
 * keys were given explicitly, and the settings exactly as given (unknown keys included). Immutable and safe to
 * share; a component builds its settings record from it once.
 */
public final class ConfigValues {
    private final ConfigDefinition definition;
    private final Map<String, Object> values;
    private final Set<String> explicit;
    private final Map<String, Object> originals;

    ConfigValues(ConfigDefinition definition, Map<String, Object> values, Set<String> explicit, Map<String, ?> originals) {
        this.definition = definition;
        this.values = Collections.unmodifiableMap(values);
        this.explicit = Collections.unmodifiableSet(explicit);
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException if the key is not part of this configuration's definition
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!definition.defines(key)) {
            throw new IllegalArgumentException("Configuration " + key.name() + " is not defined here");
        }
        return (T) values.get(key.name());
    }

    /**
     * The value of the key named {@code name}, typed as its key declares.
     *
     * @throws IllegalArgumentException if no such key is defined
     */
    public Object get(String name) {
        if (!definition.contains(name)) {
            throw new IllegalArgumentException("No configuration " + name);
        }
        return values.get(name);
    }

    /** The value of the key named {@code name} as canonical text ({@link ConfigKey#format}). */
    public String text(String name) {
        ConfigKey<?> key = definition.key(name);
        if (key == null) {
            throw new IllegalArgumentException("No configuration " + name);
        }
        return text(key);
    }

    private String text(ConfigKey<?> key) {
        return key.format(values.get(key.name()));
    }

    /** Every key as canonical text, in definition order. */
    public Map<String, String> texts() {
        Map<String, String> all = new LinkedHashMap<>();
        for (ConfigKey<?> key : definition.keys()) {
            all.put(key.name(), text(key));
        }
        return Collections.unmodifiableMap(all);
    }

    /** Whether {@code name} was given explicitly (rather than taking its default). */
    public boolean isSet(String name) {
        return explicit.contains(name);
    }

    public boolean isSet(ConfigKey<?> key) {
        return explicit.contains(key.name());
    }

    /** The names given explicitly, in definition order. */
    public Set<String> explicitNames() {
        return explicit;
    }

    /** The settings as given, including keys the definition does not know. */
    public Map<String, Object> originals() {
        return originals;
    }

    public ConfigDefinition definition() {
        return definition;
    }

    /**
     * The value a topic-level {@code key} takes by default on a broker configured as this: the first of its
     * {@link ConfigKey#synonyms()} set here explicitly, converted to the key's unit; when none is, the last synonym's
     * value (its default) converted; for a key without synonyms, its own default. (retention.ms: log.retention.ms,
     * then log.retention.minutes, then log.retention.hours, whose default of 168 gives 604800000.)
     */
    @SuppressWarnings("unchecked")
    public <T> T resolve(ConfigKey<T> key) {
        List<Synonym> synonyms = key.synonyms();
        if (synonyms.isEmpty()) {
            return key.defaultValue();
        }
        for (Synonym synonym : synonyms) {
            if (isSet(synonym.name())) {
                return (T) synonym.convert().apply(get(synonym.name()));
            }
        }
        Synonym last = synonyms.get(synonyms.size() - 1);
        return (T) last.convert().apply(get(last.name()));
    }

    @Override
    public String toString() {
        Map<String, String> shown = texts();
        return shown.toString();
    }
}
