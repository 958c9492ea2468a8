package io.tributary.server.config;

import io.tributary.log.InvalidConfigException;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One broker setting: its Kafka key, its embedded default, what values it allows, and what it does. The
 * check returns the value normalised, or throws naming the key, the value and what is allowed.
 */
record ConfigDef(String key, String defaultValue, String allowed, UnaryOperator<String> check, String documentation) {

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
        String allowed = "a whole number in [" + min + ", " + max + "]";
        return new ConfigDef(key, Long.toString(defaultValue), allowed, v -> {
            long parsed = Long.parseLong(v);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException();
            }
            return Long.toString(parsed);
        }, documentation);
    }

    static ConfigDef intRange(String key, int defaultValue, int min, int max, String documentation) {
        return longRange(key, defaultValue, min, max, documentation);
    }

    static ConfigDef bool(String key, boolean defaultValue, String documentation) {
        return new ConfigDef(key, Boolean.toString(defaultValue), "true or false", v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw new IllegalArgumentException();
            }
            return lower;
        }, documentation);
    }

    static ConfigDef text(String key, String defaultValue, String allowed, UnaryOperator<String> check, String documentation) {
        return new ConfigDef(key, defaultValue, allowed, check, documentation);
    }
}
