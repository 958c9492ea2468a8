package io.tributary.server.config;

import io.tributary.log.InvalidConfigException;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One broker setting: its Kafka key, its embedded default, what values it allows, the kind of value, and
 * what it does. The check returns the value normalised, or throws naming the key, the value and what is
 * allowed.
 */
record ConfigDef(String key, String defaultValue, String allowed, UnaryOperator<String> check, String documentation,
                 ServerConfig.ValueType type) {

    String validate(String value) {
        if (value == null) {
            throw new InvalidConfigException("Invalid value null for configuration " + key + ": " + allowed);
        }
        try {
            return check.apply(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + key + ": " + allowed);
        }
    }

    static ConfigDef longRange(String key, long defaultValue, long min, long max, String documentation) {
        return wholeNumber(key, defaultValue, min, max, documentation, ServerConfig.ValueType.LONG);
    }

    static ConfigDef intRange(String key, int defaultValue, int min, int max, String documentation) {
        return wholeNumber(key, defaultValue, min, max, documentation, ServerConfig.ValueType.INT);
    }

    private static ConfigDef wholeNumber(String key, long defaultValue, long min, long max, String documentation,
                                         ServerConfig.ValueType type) {
        String allowed = "a whole number in [" + min + ", " + max + "]";
        return new ConfigDef(key, Long.toString(defaultValue), allowed, v -> {
            long parsed = Long.parseLong(v);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException();
            }
            return Long.toString(parsed);
        }, documentation, type);
    }

    static ConfigDef bool(String key, boolean defaultValue, String documentation) {
        return new ConfigDef(key, Boolean.toString(defaultValue), "true or false", v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw new IllegalArgumentException();
            }
            return lower;
        }, documentation, ServerConfig.ValueType.BOOLEAN);
    }

    static ConfigDef text(String key, String defaultValue, String allowed, UnaryOperator<String> check, String documentation) {
        return new ConfigDef(key, defaultValue, allowed, check, documentation, ServerConfig.ValueType.STRING);
    }

    /** A comma-separated list, such as listeners or log directories. */
    static ConfigDef list(String key, String defaultValue, String allowed, UnaryOperator<String> check, String documentation) {
        return new ConfigDef(key, defaultValue, allowed, check, documentation, ServerConfig.ValueType.LIST);
    }
}
