package io.tributary.groups;

import io.tributary.log.InvalidConfigException;

import java.util.Map;
import java.util.Set;

/**
 * Settings of the group coordinator, under Apache Kafka's broker config names and with Kafka's defaults,
 * validated once when built. Each setting names its key in its accessor's documentation.
 *
 * @param initialRebalanceDelayMs   {@code group.initial.rebalance.delay.ms} (3000): how long a new (Empty) group waits
 *                                  for more members before its first rebalance completes, extended by this much
 *                                  whenever a member joins, up to the rebalance timeout
 * @param maxGroupSize              {@code group.max.size} (2147483647): members a group may have
 * @param minSessionTimeoutMs       {@code group.min.session.timeout.ms} (6000)
 * @param maxSessionTimeoutMs       {@code group.max.session.timeout.ms} (1800000)
 * @param offsetsTopicPartitions    {@code offsets.topic.num.partitions} (50): used when {@code __consumer_offsets} is
 *                                  created; an existing topic keeps its own count
 * @param offsetsTopicSegmentBytes  {@code offsets.topic.segment.bytes} (104857600)
 * @param offsetsRetentionMs        {@code offsets.retention.minutes} (10080, 7 days), in ms
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms} (600000)
 * @param offsetMetadataMaxBytes    {@code offset.metadata.max.bytes} (4096): longest metadata string a commit may carry
 * @param offsetsLoadBufferBytes    {@code offsets.load.buffer.size} (5242880): bytes read per step while loading
 * @param threads                   {@code group.coordinator.threads} (4): threads the partitions are spread over
 */
public record GroupCoordinatorConfig(int initialRebalanceDelayMs, int maxGroupSize, int minSessionTimeoutMs,
                                     int maxSessionTimeoutMs, int offsetsTopicPartitions, int offsetsTopicSegmentBytes,
                                     long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs,
                                     int offsetMetadataMaxBytes, int offsetsLoadBufferBytes, int threads) {
    public static final String INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String MAX_SIZE = "group.max.size";
    public static final String MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_LOAD_BUFFER_SIZE = "offsets.load.buffer.size";
    public static final String THREADS = "group.coordinator.threads";

    /** Every key this record reads, with Kafka's default. */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry(INITIAL_REBALANCE_DELAY_MS, "3000"),
        Map.entry(MAX_SIZE, Integer.toString(Integer.MAX_VALUE)),
        Map.entry(MIN_SESSION_TIMEOUT_MS, "6000"),
        Map.entry(MAX_SESSION_TIMEOUT_MS, "1800000"),
        Map.entry(OFFSETS_TOPIC_NUM_PARTITIONS, "50"),
        Map.entry(OFFSETS_TOPIC_SEGMENT_BYTES, "104857600"),
        Map.entry(OFFSETS_RETENTION_MINUTES, "10080"),
        Map.entry(OFFSETS_RETENTION_CHECK_INTERVAL_MS, "600000"),
        Map.entry(OFFSET_METADATA_MAX_BYTES, "4096"),
        Map.entry(OFFSETS_LOAD_BUFFER_SIZE, "5242880"),
        Map.entry(THREADS, "4"));

    /** What each key does, for configuration listings (the broker's DescribeConfigs). */
    public static final Map<String, String> DOCUMENTATION = Map.ofEntries(
        Map.entry(INITIAL_REBALANCE_DELAY_MS, "How long a new (Empty) group waits for more members before its first"
            + " rebalance completes, extended by this much whenever a member joins, up to the rebalance timeout."),
        Map.entry(MAX_SIZE, "The most members a group may have."),
        Map.entry(MIN_SESSION_TIMEOUT_MS, "The shortest session timeout a member may ask for."),
        Map.entry(MAX_SESSION_TIMEOUT_MS, "The longest session timeout a member may ask for."),
        Map.entry(OFFSETS_TOPIC_NUM_PARTITIONS, "Partitions of " + GroupCoordinator.OFFSETS_TOPIC
            + " when it is created; an existing topic keeps its own count."),
        Map.entry(OFFSETS_TOPIC_SEGMENT_BYTES, "segment.bytes of " + GroupCoordinator.OFFSETS_TOPIC + " when it is created."),
        Map.entry(OFFSETS_RETENTION_MINUTES, "How long the committed offsets of a group without members are kept."),
        Map.entry(OFFSETS_RETENTION_CHECK_INTERVAL_MS, "How often expired committed offsets are looked for."),
        Map.entry(OFFSET_METADATA_MAX_BYTES, "The longest metadata string an offset commit may carry."),
        Map.entry(OFFSETS_LOAD_BUFFER_SIZE, "Bytes read per step while a partition of " + GroupCoordinator.OFFSETS_TOPIC
            + " is loaded."),
        Map.entry(THREADS, "Threads the partitions of " + GroupCoordinator.OFFSETS_TOPIC + " are spread over."));

    /** Keys whose values are 64-bit numbers; every other key is a 32-bit one. */
    public static final Set<String> LONG_KEYS = Set.of(OFFSETS_RETENTION_MINUTES, OFFSETS_RETENTION_CHECK_INTERVAL_MS);

    public GroupCoordinatorConfig {
        atLeast(INITIAL_REBALANCE_DELAY_MS, initialRebalanceDelayMs, 0);
        atLeast(MAX_SIZE, maxGroupSize, 1);
        atLeast(MIN_SESSION_TIMEOUT_MS, minSessionTimeoutMs, 0);
        atLeast(MAX_SESSION_TIMEOUT_MS, maxSessionTimeoutMs, minSessionTimeoutMs);
        atLeast(OFFSETS_TOPIC_NUM_PARTITIONS, offsetsTopicPartitions, 1);
        atLeast(OFFSETS_TOPIC_SEGMENT_BYTES, offsetsTopicSegmentBytes, 1024);
        atLeast(OFFSETS_RETENTION_MINUTES + " (as ms)", offsetsRetentionMs, 60_000);
        atLeast(OFFSETS_RETENTION_CHECK_INTERVAL_MS, offsetsRetentionCheckIntervalMs, 1);
        atLeast(OFFSET_METADATA_MAX_BYTES, offsetMetadataMaxBytes, 0);
        atLeast(OFFSETS_LOAD_BUFFER_SIZE, offsetsLoadBufferBytes, 1);
        atLeast(THREADS, threads, 1);
    }

    /** Kafka's defaults. */
    public static GroupCoordinatorConfig defaults() {
        return fromProperties(Map.of());
    }

    /**
     * Reads the coordinator's keys from broker properties; other keys are ignored, missing ones take Kafka's
     * default.
     *
     * @throws InvalidConfigException a value that is not a number or is out of range, naming key, value and limit
     */
    public static GroupCoordinatorConfig fromProperties(Map<String, String> props) {
        return new GroupCoordinatorConfig(
            intValue(props, INITIAL_REBALANCE_DELAY_MS),
            intValue(props, MAX_SIZE),
            intValue(props, MIN_SESSION_TIMEOUT_MS),
            intValue(props, MAX_SESSION_TIMEOUT_MS),
            intValue(props, OFFSETS_TOPIC_NUM_PARTITIONS),
            intValue(props, OFFSETS_TOPIC_SEGMENT_BYTES),
            minutesToMs(longValue(props, OFFSETS_RETENTION_MINUTES)),
            longValue(props, OFFSETS_RETENTION_CHECK_INTERVAL_MS),
            intValue(props, OFFSET_METADATA_MAX_BYTES),
            intValue(props, OFFSETS_LOAD_BUFFER_SIZE),
            intValue(props, THREADS));
    }

    /** A copy with one key changed, validated again. */
    public GroupCoordinatorConfig with(String key, String value) {
        Map<String, String> props = new java.util.HashMap<>(asProperties());
        if (!DEFAULTS.containsKey(key)) {
            throw new InvalidConfigException("Unknown group coordinator configuration " + key);
        }
        props.put(key, value);
        return fromProperties(props);
    }

    /** The settings under their Kafka keys. */
    public Map<String, String> asProperties() {
        return Map.ofEntries(
            Map.entry(INITIAL_REBALANCE_DELAY_MS, Integer.toString(initialRebalanceDelayMs)),
            Map.entry(MAX_SIZE, Integer.toString(maxGroupSize)),
            Map.entry(MIN_SESSION_TIMEOUT_MS, Integer.toString(minSessionTimeoutMs)),
            Map.entry(MAX_SESSION_TIMEOUT_MS, Integer.toString(maxSessionTimeoutMs)),
            Map.entry(OFFSETS_TOPIC_NUM_PARTITIONS, Integer.toString(offsetsTopicPartitions)),
            Map.entry(OFFSETS_TOPIC_SEGMENT_BYTES, Integer.toString(offsetsTopicSegmentBytes)),
            Map.entry(OFFSETS_RETENTION_MINUTES, Long.toString(offsetsRetentionMs / 60_000L)),
            Map.entry(OFFSETS_RETENTION_CHECK_INTERVAL_MS, Long.toString(offsetsRetentionCheckIntervalMs)),
            Map.entry(OFFSET_METADATA_MAX_BYTES, Integer.toString(offsetMetadataMaxBytes)),
            Map.entry(OFFSETS_LOAD_BUFFER_SIZE, Integer.toString(offsetsLoadBufferBytes)),
            Map.entry(THREADS, Integer.toString(threads)));
    }

    private static String raw(Map<String, String> props, String key) {
        String value = props.get(key);
        return value == null ? DEFAULTS.get(key) : value.trim();
    }

    private static int intValue(Map<String, String> props, String key) {
        String value = raw(props, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + key
                + ": not an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
    }

    private static long longValue(Map<String, String> props, String key) {
        String value = raw(props, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + key + ": not a long integer");
        }
    }

    private static long minutesToMs(long minutes) {
        if (minutes > Long.MAX_VALUE / 60_000L) {
            throw new InvalidConfigException("Invalid value " + minutes + " for configuration " + OFFSETS_RETENTION_MINUTES
                + ": must be at most " + Long.MAX_VALUE / 60_000L);
        }
        return minutes * 60_000L;
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + key + ": must be at least " + min);
        }
    }
}
