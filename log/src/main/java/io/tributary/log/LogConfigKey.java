package io.tributary.log;

import io.tributary.protocol.routing.RoutingMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The topic-level settings a partition log honours, under Kafka's topic config names, each with the broker
 * config that supplies its default (Kafka's synonym), its embedded default and its allowed values.
 *
 * <p>Four kinds of value ({@link Type}): whole numbers in an inclusive range, decimal numbers in an inclusive
 * range, one of a fixed set of words, and a comma-separated list of such words. {@link #validate} normalises
 * every value to one canonical spelling, so stored overrides compare and print the same however they were
 * typed.
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
        "Whether record timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime)."),
    MESSAGE_TIMESTAMP_BEFORE_MAX_MS("message.timestamp.before.max.ms", "log.message.timestamp.before.max.ms", Long.MAX_VALUE,
        0, Long.MAX_VALUE,
        "How far in the past a CreateTime record timestamp may lie behind the broker's clock; an append holding an older "
            + "one is refused with INVALID_TIMESTAMP. Ignored for LogAppendTime topics (Kafka's key and default, KIP-937)."),
    MESSAGE_TIMESTAMP_AFTER_MAX_MS("message.timestamp.after.max.ms", "log.message.timestamp.after.max.ms", 3_600_000L,
        0, Long.MAX_VALUE,
        "How far in the future a CreateTime record timestamp may lie ahead of the broker's clock; an append holding a later "
            + "one is refused with INVALID_TIMESTAMP. Ignored for LogAppendTime topics (Kafka's key and default, KIP-937)."),
    /*
     * Not a Kafka key: Kafka decompresses without a limit. Sized so real, highly compressible batches pass (64 times the
     * default max.message.bytes) while a decompression bomb stops at this much work and memory.
     */
    DECOMPRESSED_BATCH_MAX_BYTES("decompressed.batch.max.bytes", "log.decompressed.batch.max.bytes", 64L * 1024 * 1024,
        1024, Integer.MAX_VALUE - 8,
        "The most bytes one compressed record batch may decompress to when an append checks its records; a batch that "
            + "decompresses to more is refused with INVALID_RECORD. Raise it with max.message.bytes."),
    CLEANUP_POLICY("cleanup.policy", "log.cleanup.policy", List.of("delete"), List.of("compact", "delete"),
        "What happens to old segments: delete them by retention.ms and retention.bytes, compact them to the latest "
            + "record per key, or both (\"compact,delete\")."),
    DELETE_RETENTION_MS("delete.retention.ms", "log.cleaner.delete.retention.ms", 24L * 60 * 60 * 1000, 0, Long.MAX_VALUE,
        "How long compaction keeps a tombstone (a record with a null value) after it first cleaned it."),
    MIN_CLEANABLE_DIRTY_RATIO("min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio", 0.5, 0.0, 1.0,
        "Compact a log once the uncompacted part is at least this fraction of its cleanable bytes."),
    MIN_COMPACTION_LAG_MS("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms", 0, 0, Long.MAX_VALUE,
        "A record stays uncompacted for at least this long after it was written."),
    MAX_COMPACTION_LAG_MS("max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms", Long.MAX_VALUE, 1, Long.MAX_VALUE,
        "A record becomes eligible for compaction at most this long after it was written, whatever the dirty ratio."),
    /*
     * No broker synonym on purpose: a topic's routing is fixed when it is created (LogManager refuses a change), and a
     * broker-wide default that could later change under existing topics would re-route their keys.
     */
    ROUTING_MODE(RoutingMode.CONFIG, null, RoutingMode.HASH.configName,
        Arrays.stream(RoutingMode.values()).map(mode -> mode.configName).toList(),
        "How keyed records map to partitions: hash (Kafka's murmur2 modulo) or ordered (a jump consistent hash of "
            + "murmur2; the broker rejects records whose key maps elsewhere and fences the old partitions when partitions "
            + "are added, so per-key order survives growth; see docs/ROUTING.md). Set at creation only.");

    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /** The kind of value a key takes. */
    public enum Type { LONG, DOUBLE, CHOICE, LIST }

    public final String configName;
    /** The broker config that supplies the default, or null for a key that has none (the embedded default applies). */
    public final String brokerSynonym;
    public final String defaultValue;
    public final String documentation;
    public final Type type;
    private final long min;
    private final long max;
    private final double minDouble;
    private final double maxDouble;
    private final List<String> choices;

    LogConfigKey(String configName, String brokerSynonym, long defaultValue, long min, long max, String documentation) {
        this(configName, brokerSynonym, Type.LONG, Long.toString(defaultValue), min, max, 0, 0, List.of(), documentation);
    }

    LogConfigKey(String configName, String brokerSynonym, double defaultValue, double min, double max, String documentation) {
        this(configName, brokerSynonym, Type.DOUBLE, Double.toString(defaultValue), 0, 0, min, max, List.of(), documentation);
    }

    LogConfigKey(String configName, String brokerSynonym, String defaultValue, List<String> choices, String documentation) {
        this(configName, brokerSynonym, Type.CHOICE, defaultValue, 0, 0, 0, 0, choices, documentation);
    }

    LogConfigKey(String configName, String brokerSynonym, List<String> defaultValue, List<String> choices, String documentation) {
        this(configName, brokerSynonym, Type.LIST, String.join(",", defaultValue), 0, 0, 0, 0, choices, documentation);
    }

    LogConfigKey(String configName, String brokerSynonym, Type type, String defaultValue, long min, long max,
                 double minDouble, double maxDouble, List<String> choices, String documentation) {
        this.configName = configName;
        this.brokerSynonym = brokerSynonym;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.minDouble = minDouble;
        this.maxDouble = maxDouble;
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

    /**
     * A whole number ({@link Type#LONG}), whose value {@link Long#parseLong} reads. Decimal keys
     * ({@link Type#DOUBLE}) are not: look at {@link #type} to tell every kind apart.
     */
    public boolean isNumeric() {
        return type == Type.LONG;
    }

    /** The largest value a whole-number key allows (0 for other kinds). */
    public long maxValue() {
        return max;
    }

    /** The key whose broker-level synonym is {@code brokerKey} ("log.segment.bytes"), or null. */
    public static LogConfigKey forBrokerSynonym(String brokerKey) {
        for (LogConfigKey key : values()) {
            if (brokerKey.equals(key.brokerSynonym)) {
                return key;
            }
        }
        return null;
    }

    /**
     * Checks and normalises a value: whole numbers in range as plain decimals, decimal numbers in range as
     * {@link Double#toString}, choices matched case-insensitively to their canonical spelling, lists as their
     * canonical entries joined by "," in the order given, without repeats.
     *
     * @throws InvalidConfigException naming the key, the value and what is allowed
     */
    public String validate(String value) {
        if (value == null) {
            throw new InvalidConfigException("Invalid value null for configuration " + configName + ": a value is required");
        }
        String trimmed = value.trim();
        return switch (type) {
            case LONG -> validateLong(value, trimmed);
            case DOUBLE -> validateDouble(value, trimmed);
            case CHOICE -> {
                String choice = canonicalChoice(trimmed);
                if (choice == null) {
                    throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                        + ": " + allowedDescription());
                }
                yield choice;
            }
            case LIST -> validateList(value, trimmed);
        };
    }

    private String validateLong(String value, String trimmed) {
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

    private String validateDouble(String value, String trimmed) {
        // Double.parseDouble also takes "NaN", "Infinity", hex floats and a trailing 'd'; only plain decimals count.
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                + ": not a number (allowed range " + rangeText() + ")");
        }
        double parsed = Double.parseDouble(trimmed);
        if (parsed < minDouble || parsed > maxDouble) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                + ": allowed range is " + rangeText());
        }
        return Double.toString(parsed);
    }

    private String validateList(String value, String trimmed) {
        List<String> entries = new ArrayList<>();
        for (String part : trimmed.split(",", -1)) {
            String choice = canonicalChoice(part.trim());
            if (choice == null) {
                throw new InvalidConfigException("Invalid value " + value + " for configuration " + configName
                    + ": entry '" + part.trim() + "' is not allowed; " + allowedDescription());
            }
            if (!entries.contains(choice)) {
                entries.add(choice);
            }
        }
        return String.join(",", entries);
    }

    private String canonicalChoice(String candidate) {
        for (String choice : choices) {
            if (choice.toLowerCase(Locale.ROOT).equals(candidate.toLowerCase(Locale.ROOT))) {
                return choice;
            }
        }
        return null;
    }

    /**
     * What the key accepts, in words: "allowed range is [min, max]", "must be one of a, b" or "must be a
     * comma-separated list of one or more of a, b".
     */
    public String allowedDescription() {
        return switch (type) {
            case LONG, DOUBLE -> "allowed range is " + rangeText();
            case CHOICE -> "must be one of " + String.join(", ", choices);
            case LIST -> "must be a comma-separated list of one or more of " + String.join(", ", choices);
        };
    }

    private String rangeText() {
        if (type == Type.DOUBLE) {
            return "[" + minDouble + ", " + maxDouble + "]";
        }
        return "[" + min + ", " + max + "]";
    }
}
