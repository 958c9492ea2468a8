package io.tributary.groups;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigException;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Validator;
import io.tributary.log.InvalidConfigException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the group coordinator, under Apache Kafka's broker config names and with Kafka's defaults,
 * validated once when built: each value by its key ({@link #KEYS}, which the broker's configuration composes), and
 * the one rule spanning two keys (the longest session timeout is at least the shortest) by the record itself.
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

    public static final ConfigKey<Integer> INITIAL_REBALANCE_DELAY_MS_KEY = ConfigKey.intKey(INITIAL_REBALANCE_DELAY_MS)
        .defaultValue(3000).validator(Validator.atLeast(0))
        .documentation("How long a new (Empty) group waits for more members before its first rebalance completes, extended by"
            + " this much whenever a member joins, up to the rebalance timeout.").build();
    public static final ConfigKey<Integer> MAX_SIZE_KEY = ConfigKey.intKey(MAX_SIZE).defaultValue(Integer.MAX_VALUE)
        .validator(Validator.atLeast(1)).documentation("The most members a group may have.").build();
    public static final ConfigKey<Integer> MIN_SESSION_TIMEOUT_MS_KEY = ConfigKey.intKey(MIN_SESSION_TIMEOUT_MS).defaultValue(6000)
        .validator(Validator.atLeast(0)).documentation("The shortest session timeout a member may ask for.").build();
    /** Bounded below by another key's value: checked by the record, which sees both. */
    public static final ConfigKey<Integer> MAX_SESSION_TIMEOUT_MS_KEY = ConfigKey.intKey(MAX_SESSION_TIMEOUT_MS)
        .defaultValue(1_800_000).describedAs("at least " + MIN_SESSION_TIMEOUT_MS)
        .documentation("The longest session timeout a member may ask for.").build();
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS_KEY = ConfigKey.intKey(OFFSETS_TOPIC_NUM_PARTITIONS)
        .defaultValue(50).validator(Validator.atLeast(1))
        .documentation("Partitions of " + GroupCoordinator.OFFSETS_TOPIC + " when it is created; an existing topic keeps its own count.")
        .build();
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES_KEY = ConfigKey.intKey(OFFSETS_TOPIC_SEGMENT_BYTES)
        .defaultValue(104_857_600).validator(Validator.atLeast(1024))
        .documentation("segment.bytes of " + GroupCoordinator.OFFSETS_TOPIC + " when it is created.").build();
    public static final ConfigKey<Long> OFFSETS_RETENTION_MINUTES_KEY = ConfigKey.longKey(OFFSETS_RETENTION_MINUTES)
        .defaultValue(10_080L).validator(Validator.atLeast(1).and(Validator.atMost(Long.MAX_VALUE / 60_000L)))
        .documentation("How long the committed offsets of a group without members are kept.").build();
    public static final ConfigKey<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS_KEY = ConfigKey.longKey(OFFSETS_RETENTION_CHECK_INTERVAL_MS)
        .defaultValue(600_000L).validator(Validator.atLeast(1))
        .documentation("How often expired committed offsets are looked for.").build();
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES_KEY = ConfigKey.intKey(OFFSET_METADATA_MAX_BYTES)
        .defaultValue(4096).validator(Validator.atLeast(0))
        .documentation("The longest metadata string an offset commit may carry.").build();
    public static final ConfigKey<Integer> OFFSETS_LOAD_BUFFER_SIZE_KEY = ConfigKey.intKey(OFFSETS_LOAD_BUFFER_SIZE)
        .defaultValue(5_242_880).validator(Validator.atLeast(1))
        .documentation("Bytes read per step while a partition of " + GroupCoordinator.OFFSETS_TOPIC + " is loaded.").build();
    public static final ConfigKey<Integer> THREADS_KEY = ConfigKey.intKey(THREADS).defaultValue(4).validator(Validator.atLeast(1))
        .documentation("Threads the partitions of " + GroupCoordinator.OFFSETS_TOPIC + " are spread over.").build();

    /** Every key this record reads, in Kafka's name order (the order of the reference). */
    public static final ConfigDefinition KEYS = ConfigDefinition.of(THREADS_KEY, INITIAL_REBALANCE_DELAY_MS_KEY,
        MAX_SESSION_TIMEOUT_MS_KEY, MAX_SIZE_KEY, MIN_SESSION_TIMEOUT_MS_KEY, OFFSET_METADATA_MAX_BYTES_KEY,
        OFFSETS_LOAD_BUFFER_SIZE_KEY, OFFSETS_RETENTION_CHECK_INTERVAL_MS_KEY, OFFSETS_RETENTION_MINUTES_KEY,
        OFFSETS_TOPIC_NUM_PARTITIONS_KEY, OFFSETS_TOPIC_SEGMENT_BYTES_KEY);

    public GroupCoordinatorConfig {
        InvalidConfigException.refusing(() -> {
            INITIAL_REBALANCE_DELAY_MS_KEY.validate(initialRebalanceDelayMs);
            MAX_SIZE_KEY.validate(maxGroupSize);
            MIN_SESSION_TIMEOUT_MS_KEY.validate(minSessionTimeoutMs);
            OFFSETS_TOPIC_NUM_PARTITIONS_KEY.validate(offsetsTopicPartitions);
            OFFSETS_TOPIC_SEGMENT_BYTES_KEY.validate(offsetsTopicSegmentBytes);
            OFFSETS_RETENTION_MINUTES_KEY.validate(offsetsRetentionMs / 60_000L);
            OFFSETS_RETENTION_CHECK_INTERVAL_MS_KEY.validate(offsetsRetentionCheckIntervalMs);
            OFFSET_METADATA_MAX_BYTES_KEY.validate(offsetMetadataMaxBytes);
            OFFSETS_LOAD_BUFFER_SIZE_KEY.validate(offsetsLoadBufferBytes);
            return THREADS_KEY.validate(threads);
        });
        if (maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new InvalidConfigException(new ConfigException(MAX_SESSION_TIMEOUT_MS, maxSessionTimeoutMs,
                "must be at least " + minSessionTimeoutMs));
        }
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
        return InvalidConfigException.refusing(() -> from(KEYS.parse(props, ConfigDefinition.UnknownKeys.IGNORE)));
    }

    /** The settings from a parsed configuration that defines {@link #KEYS}. */
    public static GroupCoordinatorConfig from(ConfigValues values) {
        return new GroupCoordinatorConfig(
            values.get(INITIAL_REBALANCE_DELAY_MS_KEY),
            values.get(MAX_SIZE_KEY),
            values.get(MIN_SESSION_TIMEOUT_MS_KEY),
            values.get(MAX_SESSION_TIMEOUT_MS_KEY),
            values.get(OFFSETS_TOPIC_NUM_PARTITIONS_KEY),
            values.get(OFFSETS_TOPIC_SEGMENT_BYTES_KEY),
            values.get(OFFSETS_RETENTION_MINUTES_KEY) * 60_000L,
            values.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS_KEY),
            values.get(OFFSET_METADATA_MAX_BYTES_KEY),
            values.get(OFFSETS_LOAD_BUFFER_SIZE_KEY),
            values.get(THREADS_KEY));
    }

    /** A copy with one key changed, validated again. */
    public GroupCoordinatorConfig with(String key, String value) {
        if (!KEYS.contains(key)) {
            throw new InvalidConfigException("Unknown group coordinator configuration " + key);
        }
        Map<String, String> props = new HashMap<>(asProperties());
        props.put(key, value);
        return fromProperties(props);
    }

    /** The settings under their Kafka keys. */
    public Map<String, String> asProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(INITIAL_REBALANCE_DELAY_MS, Integer.toString(initialRebalanceDelayMs));
        props.put(MAX_SIZE, Integer.toString(maxGroupSize));
        props.put(MIN_SESSION_TIMEOUT_MS, Integer.toString(minSessionTimeoutMs));
        props.put(MAX_SESSION_TIMEOUT_MS, Integer.toString(maxSessionTimeoutMs));
        props.put(OFFSETS_TOPIC_NUM_PARTITIONS, Integer.toString(offsetsTopicPartitions));
        props.put(OFFSETS_TOPIC_SEGMENT_BYTES, Integer.toString(offsetsTopicSegmentBytes));
        props.put(OFFSETS_RETENTION_MINUTES, Long.toString(offsetsRetentionMs / 60_000L));
        props.put(OFFSETS_RETENTION_CHECK_INTERVAL_MS, Long.toString(offsetsRetentionCheckIntervalMs));
        props.put(OFFSET_METADATA_MAX_BYTES, Integer.toString(offsetMetadataMaxBytes));
        props.put(OFFSETS_LOAD_BUFFER_SIZE, Integer.toString(offsetsLoadBufferBytes));
        props.put(THREADS, Integer.toString(threads));
        return props;
    }
}
