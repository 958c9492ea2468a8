package io.tributary.protocol.record;

/** Whose clock a batch's timestamps come from: attribute bit 3 of a v2 batch. */
public enum TimestampType {
    /** Timestamps set by the producer. */
    CREATE_TIME(0, "CreateTime"),
    /** The broker overwrote the batch's max timestamp with the time it appended the batch. */
    LOG_APPEND_TIME(1, "LogAppendTime");

    public final int id;
    /** The {@code message.timestamp.type} config value. */
    public final String configName;

    TimestampType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static TimestampType forConfigName(String name) {
        for (TimestampType t : values()) {
            if (t.configName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown timestamp type '" + name + "' (known: CreateTime, LogAppendTime)");
    }
}
