package io.tributary.config;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A broker-level key that supplies the default of a topic-level key, with how its value converts into the
 * topic key's unit: topic {@code retention.ms} takes {@code log.retention.ms} as is, {@code log.retention.minutes}
 * times 60000 and {@code log.retention.hours} times 3600000, in that order (Kafka's). A topic key lists its
 * synonyms highest precedence first; the first one set explicitly wins, and when none is, the last one's default
 * applies (see {@link ConfigValues#resolve}).
 *
 * @param key     the broker-level key
 * @param convert its parsed value to the topic key's type and unit
 */
public record Synonym(ConfigKey<?> key, Function<Object, Object> convert) {
    public Synonym {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(convert, "convert");
    }

    /** A broker key whose value is the topic key's, unchanged. */
    public static Synonym of(ConfigKey<?> key) {
        return new Synonym(key, Function.identity());
    }

    /**
     * A broker key holding the same duration in a coarser unit ({@code log.retention.hours}), converted to
     * milliseconds; a negative value (Kafka's -1, "no limit") stays -1.
     */
    public static Synonym inUnit(ConfigKey<Long> key, TimeUnit unit) {
        return new Synonym(key, value -> {
            long v = (Long) value;
            return v < 0 ? -1L : unit.toMillis(v);
        });
    }

    /** The broker key's name. */
    public String name() {
        return key.name();
    }
}
