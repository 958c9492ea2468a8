package io.tributary.clients.config;

import io.tributary.clients.errors.TributaryException;

/**
 * A configuration value is invalid or missing. The message names the key, the value given and what is
 * allowed, e.g. {@code Invalid value -5 for configuration linger.ms: a whole number in [0, 9223372036854775807]}.
 */
public class ConfigException extends TributaryException {
    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super("Invalid value " + value + " for configuration " + key + ": " + allowed);
        this.key = key;
    }

    /** A message not about one value (a missing key, two keys that contradict each other). */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
