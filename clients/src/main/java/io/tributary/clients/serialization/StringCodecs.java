package io.tributary.clients.serialization;

import io.tributary.clients.config.ConfigException;

import java.nio.charset.Charset;
import java.util.Map;

/** The encoding keys of the string serializer and deserializer, read the way Kafka reads them. */
final class StringCodecs {
    private StringCodecs() {
    }

    /** The charset named by {@code specificKey}, else {@code generalKey}, else {@code current}. */
    static Charset charset(Map<String, ?> configs, String specificKey, String generalKey, Charset current) {
        String key = configs.get(specificKey) != null ? specificKey : generalKey;
        Object name = configs.get(key);
        if (name == null) {
            return current;
        }
        try {
            return Charset.forName(name.toString().trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, name, "a charset name this JVM supports, such as UTF-8");
        }
    }
}
