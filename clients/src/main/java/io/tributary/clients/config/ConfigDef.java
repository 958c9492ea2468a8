package io.tributary.clients.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The set of keys one kind of client understands. Built once per client class and immutable: the common
 * keys ({@link CommonClientConfigs#definition()}) extended with the client's own by {@link #with}, which
 * returns a new definition (a key of a name already present replaces it, so a client can change a common
 * key's default).
 *
 * <p>{@link #parse} checks every value at once and returns the typed {@link ClientConfig}; keys it does not
 * know are kept in the originals and logged once at WARN, as Kafka does, because applications often pass
 * one map to several kinds of client.
 */
public final class ConfigDef {
    private static final Logger log = LoggerFactory.getLogger(ConfigDef.class);

    private final Map<String, ConfigKey<?>> keys;

    public ConfigDef() {
        this.keys = Map.of();
    }

    private ConfigDef(Map<String, ConfigKey<?>> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** This definition plus {@code more} (replacing keys of the same name). */
    public ConfigDef with(ConfigKey<?>... more) {
        Map<String, ConfigKey<?>> all = new LinkedHashMap<>(keys);
        for (ConfigKey<?> key : more) {
            all.put(key.name(), key);
        }
        return new ConfigDef(all);
    }

    /** The keys in declaration order. */
    public Collection<ConfigKey<?>> keys() {
        return keys.values();
    }

    /**
     * Whether a key of that name and type is defined: a client that replaced a common key's default still
     * answers for the common constant ({@code CommonClientConfigs.RECEIVE_BUFFER_BYTES}).
     */
    public boolean defines(ConfigKey<?> key) {
        ConfigKey<?> defined = keys.get(key.name());
        return defined != null && defined.type().equals(key.type());
    }

    /**
     * Checks and parses every defined key from {@code values} (defaults for those absent).
     *
     * @throws ConfigException for the first invalid value or missing required key, in declaration order
     */
    public ClientConfig parse(Map<String, ?> values) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys.values()) {
            parsed.put(key.name(), key.parse(values.get(key.name())));
        }
        for (String name : values.keySet()) {
            if (!keys.containsKey(name)) {
                log.warn("The configuration '{}' was supplied but is not a known configuration of this client", name);
            }
        }
        return new ClientConfig(this, parsed, values);
    }

    /** {@link #parse(Map)} over the entries of a Properties (keys and values as given, usually strings). */
    public ClientConfig parse(Properties properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        // Non-string values put with Properties.put are kept too.
        properties.forEach((k, v) -> values.putIfAbsent(String.valueOf(k), v));
        return parse(values);
    }

    ConfigKey<?> key(String name) {
        return keys.get(name);
    }
}
