package io.tributary.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The keys one component understands, in declaration order (the order of the generated reference). Immutable:
 * {@link #with} and {@link #compose} return new definitions. A module declares its definition next to its settings
 * record ({@code LogCleanerConfig.KEYS}); the broker composes the modules' definitions into its own.
 *
 * <p>{@link #parse} reads a whole map of settings once: every defined key parsed to its type (its default when
 * absent), the first invalid value in declaration order refused with a {@link ConfigException}; keys the definition
 * does not know go to the caller's {@link UnknownKeys} policy (the broker and clients warn, a topic refuses).
 */
public final class ConfigDefinition {
    private final Map<String, ConfigKey<?>> keys;

    private ConfigDefinition(Map<String, ConfigKey<?>> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * The given keys, in order.
     *
     * @throws IllegalArgumentException when two keys share a name
     */
    public static ConfigDefinition of(ConfigKey<?>... keys) {
        Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (all.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("Configuration " + key.name() + " is declared twice");
            }
        }
        return new ConfigDefinition(all);
    }

    /**
     * A definition collected as its keys are declared, so adding a key is one declaration:
     * <pre>{@code
     * private static final ConfigDefinition.Builder TOPIC = ConfigDefinition.builder();
     * public static final ConfigKey<Long> RETENTION_MS = TOPIC.add(ConfigKey.longKey("retention.ms")...build());
     * public static final ConfigDefinition TOPIC_KEYS = TOPIC.build();   // after the last key: fields initialise in order
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects keys in declaration order; {@link #build} once, after the last key. */
    public static final class Builder {
        private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        private boolean built;

        private Builder() {
        }

        /**
         * Adds {@code key} (declared here or by another component, placed at this point of the order).
         *
         * @return the key, for a declaration to keep
         * @throws IllegalStateException after {@link #build}, or for a second key of the same name
         */
        public synchronized <T> ConfigKey<T> add(ConfigKey<T> key) {
            if (built) {
                throw new IllegalStateException("Configuration " + key.name() + " declared after its definition was built");
            }
            if (keys.putIfAbsent(key.name(), key) != null) {
                throw new IllegalStateException("Configuration " + key.name() + " is declared twice");
            }
            return key;
        }

        public synchronized ConfigDefinition build() {
            built = true;
            return new ConfigDefinition(new LinkedHashMap<>(keys));
        }
    }

    /** The keys of every part, in order; a component that declares another's key is a programming error. */
    public static ConfigDefinition compose(ConfigDefinition... parts) {
        Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
        for (ConfigDefinition part : parts) {
            for (ConfigKey<?> key : part.keys()) {
                if (all.putIfAbsent(key.name(), key) != null) {
                    throw new IllegalArgumentException("Configuration " + key.name() + " is declared twice");
                }
            }
        }
        return new ConfigDefinition(all);
    }

    /** This definition plus {@code more}; a key of a name already present replaces it in place (a changed default). */
    public ConfigDefinition with(ConfigKey<?>... more) {
        Map<String, ConfigKey<?>> all = new LinkedHashMap<>(keys);
        for (ConfigKey<?> key : more) {
            all.put(key.name(), key);
        }
        return new ConfigDefinition(all);
    }

    /** The keys in declaration order. */
    public Collection<ConfigKey<?>> keys() {
        return keys.values();
    }

    /** The key named {@code name}, or null. */
    public ConfigKey<?> key(String name) {
        return keys.get(name);
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    /** Whether {@code key} is defined here under its name and type (a replaced default still counts). */
    public boolean defines(ConfigKey<?> key) {
        ConfigKey<?> defined = keys.get(key.name());
        return defined != null && defined.type() == key.type();
    }

    /** Every key at its default. */
    public ConfigValues defaults() {
        return parse(Map.of(), UnknownKeys.IGNORE);
    }

    /**
     * Parses and checks every defined key from {@code values} (a null value counts as absent).
     *
     * @throws ConfigException for the first invalid value or missing required key in declaration order, or from
     *                         {@code unknown}
     */
    public ConfigValues parse(Map<String, ?> values, UnknownKeys unknown) {
        return parse(values, unknown, ConfigKey::defaultValue);
    }

    /**
     * Parses {@code values} over defaults of the caller's: a key not given takes {@code defaults.apply(key)}
     * (already typed) instead of its own default. A topic's settings are its overrides over the broker's defaults
     * for topics; {@link ConfigValues#isSet} then tells the overrides apart.
     *
     * @throws ConfigException as {@link #parse(Map, UnknownKeys)}
     */
    public ConfigValues parse(Map<String, ?> values, UnknownKeys unknown, Function<ConfigKey<?>, Object> defaults) {
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (!keys.containsKey(entry.getKey())) {
                unknown.unknown(entry.getKey(), entry.getValue());
            }
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        Set<String> explicit = new LinkedHashSet<>();
        for (ConfigKey<?> key : keys.values()) {
            Object raw = values.get(key.name());
            if (raw != null) {
                parsed.put(key.name(), key.parse(raw));
                explicit.add(key.name());
            } else {
                parsed.put(key.name(), key.isRequired() ? key.parse(null) : defaults.apply(key));
            }
        }
        return new ConfigValues(this, parsed, explicit, values);
    }

    /** {@link #parse(Map, UnknownKeys)} over a Properties' entries (string values, and any others put directly). */
    public ConfigValues parse(Properties properties, UnknownKeys unknown) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        properties.forEach((k, v) -> values.putIfAbsent(String.valueOf(k), v));
        return parse(values, unknown);
    }

    /** What to do with a key the definition does not know. */
    @FunctionalInterface
    public interface UnknownKeys {
        /** Unknown keys are kept in the originals and otherwise ignored. */
        UnknownKeys IGNORE = (name, value) -> { };

        /**
         * Called once per unknown key, before any value is parsed.
         *
         * @throws ConfigException to refuse the whole configuration
         */
        void unknown(String name, Object value);
    }
}
