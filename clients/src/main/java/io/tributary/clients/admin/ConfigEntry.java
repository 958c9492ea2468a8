package io.tributary.clients.admin;

import java.util.List;

/**
 * One config of a resource as the broker describes it: its value (null for a sensitive or unset value), where
 * that value comes from, and the other places it could come from in precedence order (synonyms), as
 * DescribeConfigs answers.
 *
 * @param documentation the broker's description, or null when not asked for or not sent
 */
public record ConfigEntry(String name, String value, Source source, boolean readOnly, boolean sensitive,
                          List<Synonym> synonyms, String documentation) {
    public ConfigEntry {
        synonyms = List.copyOf(synonyms);
    }

    /** Whether the value is the default rather than set for this resource or broker. */
    public boolean isDefault() {
        return source == Source.DEFAULT_CONFIG;
    }

    /** A config's value at one level of precedence. */
    public record Synonym(String name, String value, Source source) {
    }

    /** Where a value comes from, with Kafka's wire ids (DescribeConfigs config_source). */
    public enum Source {
        UNKNOWN(0), DYNAMIC_TOPIC_CONFIG(1), DYNAMIC_BROKER_CONFIG(2), DYNAMIC_DEFAULT_BROKER_CONFIG(3),
        STATIC_BROKER_CONFIG(4), DEFAULT_CONFIG(5), DYNAMIC_BROKER_LOGGER_CONFIG(6), CLIENT_METRICS_CONFIG(7),
        GROUP_CONFIG(8);

        private final byte id;

        Source(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }

        /** The source for a wire id; UNKNOWN for ids a newer broker may send. */
        static Source forId(byte id) {
            for (Source s : values()) {
                if (s.id == id) {
                    return s;
                }
            }
            return UNKNOWN;
        }
    }
}
