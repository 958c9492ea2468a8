package io.tributary.log;

import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.routing.RoutingMode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of one partition log: the broker-wide defaults with a topic's overrides on top, validated
 * once when built. Immutable; a config change builds a new instance and hands it to the log.
 */
public final class LogConfig {
    private final Map<LogConfigKey, String> defaults;
    private final Map<String, String> overrides;

    public final int segmentBytes;
    public final long segmentMs;
    public final int segmentIndexBytes;
    public final int indexIntervalBytes;
    public final long retentionMs;
    public final long retentionBytes;
    public final long flushMessages;
    public final long flushMs;
    public final int maxMessageBytes;
    public final TimestampType timestampType;
    /** {@code message.timestamp.before.max.ms}: how far behind the broker's clock a CreateTime timestamp may be. */
    public final long timestampBeforeMaxMs;
    /** {@code message.timestamp.after.max.ms}: how far ahead of the broker's clock a CreateTime timestamp may be. */
    public final long timestampAfterMaxMs;
    /** {@code decompressed.batch.max.bytes}: the most one compressed batch may decompress to on append. */
    public final int maxDecompressedBytes;
    /** {@code cleanup.policy} holds "compact": the log cleaner keeps the latest record per key. */
    public final boolean compact;
    /** {@code cleanup.policy} holds "delete": retention removes old segments. */
    public final boolean delete;
    public final long deleteRetentionMs;
    public final double minCleanableDirtyRatio;
    public final long minCompactionLagMs;
    public final long maxCompactionLagMs;
    /** {@code routing.mode}: whether appends check that each keyed record belongs to the partition. */
    public final RoutingMode routingMode;

    private LogConfig(Map<LogConfigKey, String> defaults, Map<String, String> overrides) {
        this.defaults = defaults;
        this.overrides = overrides;
        segmentBytes = (int) longValue(LogConfigKey.SEGMENT_BYTES);
        segmentMs = longValue(LogConfigKey.SEGMENT_MS);
        segmentIndexBytes = (int) longValue(LogConfigKey.SEGMENT_INDEX_BYTES);
        indexIntervalBytes = (int) longValue(LogConfigKey.INDEX_INTERVAL_BYTES);
        retentionMs = longValue(LogConfigKey.RETENTION_MS);
        retentionBytes = longValue(LogConfigKey.RETENTION_BYTES);
        flushMessages = longValue(LogConfigKey.FLUSH_MESSAGES);
        flushMs = longValue(LogConfigKey.FLUSH_MS);
        maxMessageBytes = (int) longValue(LogConfigKey.MAX_MESSAGE_BYTES);
        timestampType = TimestampType.forConfigName(value(LogConfigKey.MESSAGE_TIMESTAMP_TYPE));
        timestampBeforeMaxMs = longValue(LogConfigKey.MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        timestampAfterMaxMs = longValue(LogConfigKey.MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        maxDecompressedBytes = (int) longValue(LogConfigKey.DECOMPRESSED_BATCH_MAX_BYTES);
        List<String> policy = List.of(value(LogConfigKey.CLEANUP_POLICY).split(","));
        compact = policy.contains("compact");
        delete = policy.contains("delete");
        deleteRetentionMs = longValue(LogConfigKey.DELETE_RETENTION_MS);
        minCleanableDirtyRatio = Double.parseDouble(value(LogConfigKey.MIN_CLEANABLE_DIRTY_RATIO));
        minCompactionLagMs = longValue(LogConfigKey.MIN_COMPACTION_LAG_MS);
        maxCompactionLagMs = longValue(LogConfigKey.MAX_COMPACTION_LAG_MS);
        routingMode = RoutingMode.forConfigName(value(LogConfigKey.ROUTING_MODE));
    }

    /**
     * How long the active segment takes appends before it rolls: {@code segment.ms}, or for a compacted log
     * {@code max.compaction.lag.ms} when that is shorter — records in the active segment cannot be compacted,
     * so it must roll for the lag bound to hold (Kafka does the same).
     */
    public long rollMs() {
        return compact ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
    }

    /** Every key at its embedded default. */
    public static LogConfig defaults() {
        return new LogConfig(embeddedDefaults(), Map.of());
    }

    /**
     * Broker-wide defaults: the embedded defaults overridden by the given values, keyed by topic config name.
     *
     * @throws InvalidConfigException for an unknown key or an invalid value, naming both
     */
    public static LogConfig withDefaults(Map<String, String> brokerDefaults) {
        Map<LogConfigKey, String> defaults = embeddedDefaults();
        brokerDefaults.forEach((name, value) -> {
            LogConfigKey key = requireKey(name);
            defaults.put(key, key.validate(value));
        });
        return new LogConfig(defaults, Map.of());
    }

    /**
     * This config's defaults with a topic's overrides (topic config names) on top; overrides of this
     * instance are replaced, not merged.
     *
     * @throws InvalidConfigException for an unknown key or an invalid value, naming both
     */
    public LogConfig withOverrides(Map<String, String> topicOverrides) {
        Map<String, String> validated = new TreeMap<>();
        topicOverrides.forEach((name, value) -> validated.put(name, requireKey(name).validate(value)));
        return new LogConfig(defaults, Collections.unmodifiableMap(validated));
    }

    /** The topic's explicit settings, for persisting and describing. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** The effective value of every key, topic override first, then the default. */
    public Map<String, String> effectiveValues() {
        Map<String, String> all = new LinkedHashMap<>();
        for (LogConfigKey key : LogConfigKey.values()) {
            all.put(key.configName, value(key));
        }
        return all;
    }

    public boolean isOverridden(LogConfigKey key) {
        return overrides.containsKey(key.configName);
    }

    public String value(LogConfigKey key) {
        String override = overrides.get(key.configName);
        return override != null ? override : defaults.get(key);
    }

    private long longValue(LogConfigKey key) {
        return Long.parseLong(value(key));
    }

    private static LogConfigKey requireKey(String name) {
        LogConfigKey key = LogConfigKey.forName(name);
        if (key == null) {
            throw new InvalidConfigException("Unknown topic configuration " + name);
        }
        return key;
    }

    private static Map<LogConfigKey, String> embeddedDefaults() {
        Map<LogConfigKey, String> defaults = new java.util.EnumMap<>(LogConfigKey.class);
        for (LogConfigKey key : LogConfigKey.values()) {
            defaults.put(key, key.defaultValue);
        }
        return defaults;
    }

    @Override
    public String toString() {
        return "LogConfig" + effectiveValues();
    }
}
