package io.tributary.clients.consumer.state;

import java.util.Locale;

/**
 * Where a partition's position goes when there is none (no committed offset) or it is out of range:
 * {@code auto.offset.reset}. {@link #NONE} raises an error to the application instead.
 */
public enum OffsetResetStrategy {
    EARLIEST(-2L),
    LATEST(-1L),
    NONE(0L);

    /** The ListOffsets timestamp that asks for this offset: -2 the log start, -1 the log end. */
    public final long listOffsetsTimestamp;

    OffsetResetStrategy(long listOffsetsTimestamp) {
        this.listOffsetsTimestamp = listOffsetsTimestamp;
    }

    /** The strategy named by a config value ("earliest", "latest", "none"), or null if there is none of that name. */
    public static OffsetResetStrategy fromConfig(String value) {
        for (OffsetResetStrategy s : values()) {
            if (s.configName().equals(value)) {
                return s;
            }
        }
        return null;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
