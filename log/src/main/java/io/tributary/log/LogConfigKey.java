package io.tributary.log;

import java.util.List;
import java.util.Locale;

/**
 * The topic-level settings a partition log honours, under Kafka's topic config names, each with the broker
 * config that supplies its default (Kafka's synonym), its embedded default and its allowed values.
 */
public enum LogConfigKey {
    SEGMENT_BYTES("segment.bytes", "log.segment.bytes", 1L << 30, 64, Integer.MAX_VALUE,
        "Roll a new segment once the active one would grow past this many bytes."),
    SEGMENT_MS("segment.ms", "log.roll.ms", 7L * 24 * 60 * 60 * 1000, 1, Long.MAX_VALUE,
        "Roll a new segment once the active one has been written to for this long."),
    SEGMENT_INDEX_BYTES("segment.index.bytes", "log.index.size.max.bytes", 10L * 1024 * 1024, 12, Integer.MAX_VALUE,
        "Preallocated size of each segment's offset and time index; a full index rolls the segment."),
    INDEX_INTERVAL_BYTES("index.interval.bytes", "log.index.interval.bytes", 4096, 0, Integer.MAX_VALUE,
        "Bytes of batches between two sparse index entries."),
    RETENTION_MS("retention.ms", "log.retention.ms", 7L * 24 * 60 * 60 * 1000, -1, Long.MAX_VALUE,
        "Delete a segment once its newest record is older than this; -1 keeps segments forever."),
    RETENTION_BYTES("retention.bytes", "log.retention.bytes", -1, -1, Long.MAX_VALUE,
        "Delete the oldest segments while the partition is larger than this; -1 means no size limit."),
    FLUSH_MESSAGES("flush.messages", "log.flush.interval.messages", Long.MAX_VALUE, 1, Long.MAX_VALUE,
        "Fsync the partition after this many records are appended."),
    FLUSH_MS("flush.ms", "log.flush.interval.ms", Long.MAX_VALUE, 0, Long.MAX_VALUE,
        "Fsync the partition when its oldest unflushed append is this old."),
    MAX_MESSAGE_BYTES("max.message.bytes", "message.max.bytes", 1024 * 1024 + 12, 0, Integer.MAX_VALUE,
        "The largest record batch the partition accepts, in bytes."),
    MESSAGE_TIMESTAMP_TYPE("message.timestamp.type", "log.message.timestamp.type", "CreateTime",
        List.of("CreateTime", "LogAppendTime"),
        "Whether record timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime).");

    public final String configName;
    public final String brokerSynonym;
    public final String defaultValue;
    public final String documentation;
    private final long min;
    private final long max;
    private final List<String> choices;

    LogConfigKey(String configName, String brokerSynonym, long defaultValue, long min, long max, String documentation) {
        this.configName = configName;
        this.brokerSynonym = brokerSynonym;
        this.defaultValue = Long.toString(defaultValue);
        this.min = min;
        this.max = max;
        this.choices = List.of();
        this.documentation = documentation;
    }

    LogConfigKey(String configName, String brokerSynonym, String defaultValue, List<String> choices, String documentation) {
        this.configName = configName;
        this.brokerSynonym = brokerSynonym;
        this.defaultValue = defaultValue;
        this.min = 0;
        this.max = 0;
        this.choices = choices;
        this.documentation = documentation;
    }

    /** The topic config named {@code name}, or null. */
    public static LogConfigKey forName(String name) {
        for (LogConfigKey key : values()) {
            if (key.configName.equals(name)) {
                return key;
            }
        }
        return null;
    }

    public boolean isNumeric() {
        return choices.isEmpty();
    }

    /** The largest value a numeric key allows (0 for a key of choices). */
    public long maxValue() {
        return max;
    }

    /** The key whose broker-level synonym is {@code brokerKey} ("log.segment.bytes"), or null. */
    public static LogConfigKey forBrokerSynonym(String brokerKey) {
        for (LogConfigKey key : values()) {
            if (key.brokerSynonym.equals(brokerKey)) {
                return key;
            }
        }
        return null;
    }

    /**
     * Checks and normalises a value: numbers in range, choices matched case-insensitively to their canonical
     * spelling.
     *
     * @throws InvalidConfigException naming the key, the value and what is allowed
     */
    public String validate(String value) {
        if (value == null) {
            throw new InvalidConfigException("Invalid value null for configuration " + configName + ": a value is required");
        }
        String trimmed = value.trim();
        if (!isNumeric()) {
            for (String choice : choices) {
                if (choice.toLowerCase(Locale.ROOT).equals(trimmed.toLowerCase(Locale.ROOT))) {
                    return choice;
                }
            }
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                + ": must be one of " + String.join(", ", choices));
        }
        long parsed;
        try {
            parsed = Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                + ": not a whole number (allowed range " + rangeText() + ")");
        }
        if (parsed < min || parsed > max) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                + ": allowed range is " + rangeText());
        }
        return Long.toString(parsed);
    }

    /** What the key accepts, in words: "allowed range is [min, max]" or "must be one of a, b". */
    public String allowedDescription() {
        return isNumeric() ? "allowed range is " + rangeText() : "must be one of " + String.join(", ", choices);
    }

    private String rangeText() {
        return "[" + min + ", " + (max == Long.MAX_VALUE ? "9223372036854775807" : Long.toString(max)) + "]";
    }
}
