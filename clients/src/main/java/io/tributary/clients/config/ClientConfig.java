package io.tributary.clients.config;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Properties;

/**
 * A checked client configuration: every key of its {@link ConfigDefinition} parsed to its type (or defaulted), plus
 * the values exactly as the user gave them. Immutable and safe to share between threads.
 *
 * <p>{@link #parse} checks every value at once; keys the definition does not know are kept in the originals and
 * logged once at WARN, as Kafka does, because applications often pass one map to several kinds of client. A refusal
 * is this package's {@link ConfigException} (the clients' error type), with the library's message.
 */
public final class ClientConfig {
    private static final Logger log = LoggerFactory.getLogger(ClientConfig.class);

    private final ConfigValues values;

    private ClientConfig(ConfigValues values) {
        this.values = values;
    }

    /**
     * Checks and parses every key of {@code definition} from {@code values} (defaults for those absent).
     *
     * @throws ConfigException for the first invalid value or missing required key, in declaration order
     */
    public static ClientConfig parse(ConfigDefinition definition, Map<String, ?> values) {
        try {
            return new ClientConfig(definition.parse(values, ClientConfig::warnUnknown));
        } catch (io.tributary.config.ConfigException e) {
            throw new ConfigException(e.key(), e.getMessage());
        }
    }

    /** {@link #parse(ConfigDefinition, Map)} over the entries of a Properties (usually strings; others kept too). */
    public static ClientConfig parse(ConfigDefinition definition, Properties properties) {
        try {
            return new ClientConfig(definition.parse(properties, ClientConfig::warnUnknown));
        } catch (io.tributary.config.ConfigException e) {
            throw new ConfigException(e.key(), e.getMessage());
        }
    }

    private static void warnUnknown(String name, Object value) {
        log.warn("The configuration '{}' was supplied but is not a known configuration of this client", name);
    }

    /**
     * The parsed value of {@code key}.
     *
     * @throws IllegalArgumentException if the key is not part of this configuration's definition
     */
    public <T> T get(ConfigKey<T> key) {
        if (!values.definition().defines(key)) {
            throw new IllegalArgumentException("Configuration " + key.name() + " is not defined for this client");
        }
        return values.get(key);
    }

    /** Whether the user gave {@code key} explicitly (rather than taking its default). */
    public boolean isSet(ConfigKey<?> key) {
        return values.isSet(key);
    }

    /** The values as given, including keys this client does not know. */
    public Map<String, Object> originals() {
        return values.originals();
    }

    public ConfigDefinition definition() {
        return values.definition();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
