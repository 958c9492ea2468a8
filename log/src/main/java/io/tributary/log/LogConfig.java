package io.tributary.log;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigException;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;
import io.tributary.config.Synonym;
import io.tributary.config.Validator;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.routing.RoutingMode;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The settings of one partition log: the broker's defaults for topics with a topic's overrides on top, validated
 * once when built. Immutable; a config change builds a new instance and hands it to the log.
 *
 * <p>The topic-level keys are declared here ({@link #TOPIC_KEYS}), under Kafka's topic config names, each with the
 * broker-level key(s) that supply its default in Kafka's synonym order ({@link ConfigKey#synonyms()}):
 * {@code retention.ms} takes {@code log.retention.ms}, then {@code log.retention.minutes}, then
 * {@code log.retention.hours}. {@link #BROKER_KEYS} are those broker keys, which the broker's configuration
 * composes. Values are kept typed; their text ({@link #value}, {@link #overrides()}) is the keys' canonical
 * spelling, so stored overrides compare and print the same however they were typed.
 *
 * <p>Every topic config of Kafka 4.3.1 is declared (a server test compares with Kafka's own list) plus Tributary's
 * {@code decompressed.batch.max.bytes} and {@code routing.mode}. Each one either works as in Kafka or is refused with a
 * reason: the replication keys are validated and stored for when partitions are replicated, and the tiered-storage
 * keys accept only their defaults ({@link #NO_TIERED_STORAGE}).
 */
public final class LogConfig {
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    // ---- broker-only keys: the coarser-unit synonyms of topic durations ----

    public static final ConfigKey<Long> LOG_RETENTION_MINUTES = ConfigKey.longKey("log.retention.minutes").defaultValue(-1L)
        .inRange(-1, Long.MAX_VALUE / 60_000)
        .documentation("Retention in minutes, used when log.retention.ms is not set.").build();
    public static final ConfigKey<Long> LOG_RETENTION_HOURS = ConfigKey.longKey("log.retention.hours").defaultValue(168L)
        .inRange(-1, Long.MAX_VALUE / 3_600_000).importance(Importance.HIGH)
        .documentation("Retention in hours, used when neither log.retention.ms nor log.retention.minutes is set.").build();
    public static final ConfigKey<Long> LOG_ROLL_HOURS = ConfigKey.longKey("log.roll.hours").defaultValue(168L)
        .inRange(1, Long.MAX_VALUE / 3_600_000).importance(Importance.HIGH)
        .documentation("Segment roll time in hours, used when log.roll.ms is not set.").build();
    public static final ConfigKey<Long> LOG_ROLL_JITTER_HOURS = ConfigKey.longKey("log.roll.jitter.hours").defaultValue(0L)
        .inRange(0, Long.MAX_VALUE / 3_600_000).importance(Importance.HIGH)
        .documentation("Largest random jitter subtracted from a segment's roll time, in hours, used when log.roll.jitter.ms "
            + "is not set.").build();

    /** The message a tiered-storage key gets for any value but its default. */
    static final String NO_TIERED_STORAGE = "tiered storage is not available in this version of Tributary; only the default is accepted";

    /** {@code compression.type}'s values: Kafka's broker-side names ("uncompressed" for none, "producer" to keep the codec). */
    public static final String PRODUCER_COMPRESSION = "producer";
    public static final String UNCOMPRESSED = "uncompressed";

    // ---- topic keys: each declaration adds itself to TOPIC_KEYS (in this order, the reference's) ----

    private static final ConfigDefinition.Builder TOPIC = ConfigDefinition.builder();


    public static final ConfigKey<Integer> SEGMENT_BYTES = TOPIC.add(ConfigKey.intKey("segment.bytes").brokerSynonym("log.segment.bytes")
        .defaultValue(1 << 30).inRange(64, Integer.MAX_VALUE).importance(Importance.HIGH)
        .documentation("Roll a new segment once the active one would grow past this many bytes.").build());
    public static final ConfigKey<Long> SEGMENT_MS = TOPIC.add(ConfigKey.longKey("segment.ms").brokerSynonym("log.roll.ms")
        .synonym(Synonym.inUnit(LOG_ROLL_HOURS, TimeUnit.HOURS))
        .defaultValue(7 * DAY_MS).inRange(1, Long.MAX_VALUE)
        .documentation("Roll a new segment once the active one has been written to for this long.").build());
    public static final ConfigKey<Long> SEGMENT_JITTER_MS = TOPIC.add(ConfigKey.longKey("segment.jitter.ms")
        .brokerSynonym("log.roll.jitter.ms").synonym(Synonym.inUnit(LOG_ROLL_JITTER_HOURS, TimeUnit.HOURS))
        .defaultValue(0L).inRange(0, Long.MAX_VALUE)
        .documentation("The largest random jitter subtracted from segment.ms (or the max.compaction.lag.ms bound) for each new "
            + "segment, so that partitions created together do not all roll at once (Kafka's meaning).").build());
    public static final ConfigKey<Integer> SEGMENT_INDEX_BYTES = TOPIC.add(ConfigKey.intKey("segment.index.bytes")
        .brokerSynonym("log.index.size.max.bytes").defaultValue(10 * 1024 * 1024).inRange(12, Integer.MAX_VALUE)
        .documentation("Preallocated size of each segment's offset and time index; a full index rolls the segment.").build());
    public static final ConfigKey<Integer> INDEX_INTERVAL_BYTES = TOPIC.add(ConfigKey.intKey("index.interval.bytes")
        .brokerSynonym("log.index.interval.bytes").defaultValue(4096).inRange(0, Integer.MAX_VALUE)
        .documentation("Bytes of batches between two sparse index entries.").build());
    public static final ConfigKey<Long> RETENTION_MS = TOPIC.add(ConfigKey.longKey("retention.ms").brokerSynonym("log.retention.ms")
        .synonym(Synonym.inUnit(LOG_RETENTION_MINUTES, TimeUnit.MINUTES))
        .synonym(Synonym.inUnit(LOG_RETENTION_HOURS, TimeUnit.HOURS))
        .defaultValue(7 * DAY_MS).inRange(-1, Long.MAX_VALUE).importance(Importance.HIGH)
        .documentation("Delete a segment once its newest record is older than this; -1 keeps segments forever.").build());
    public static final ConfigKey<Long> RETENTION_BYTES = TOPIC.add(ConfigKey.longKey("retention.bytes").brokerSynonym("log.retention.bytes")
        .defaultValue(-1L).inRange(-1, Long.MAX_VALUE).importance(Importance.HIGH)
        .documentation("Delete the oldest segments while the partition is larger than this; -1 means no size limit.").build());
    public static final ConfigKey<Long> FLUSH_MESSAGES = TOPIC.add(ConfigKey.longKey("flush.messages").brokerSynonym("log.flush.interval.messages")
        .defaultValue(Long.MAX_VALUE).inRange(1, Long.MAX_VALUE)
        .documentation("Fsync the partition after this many records are appended.").build());
    public static final ConfigKey<Long> FLUSH_MS = TOPIC.add(ConfigKey.longKey("flush.ms").brokerSynonym("log.flush.interval.ms")
        .defaultValue(Long.MAX_VALUE).inRange(0, Long.MAX_VALUE)
        .documentation("Fsync the partition when its oldest unflushed append is this old.").build());
    public static final ConfigKey<Integer> MAX_MESSAGE_BYTES = TOPIC.add(ConfigKey.intKey("max.message.bytes").brokerSynonym("message.max.bytes")
        .defaultValue(1024 * 1024 + 12).inRange(0, Integer.MAX_VALUE).importance(Importance.HIGH)
        .documentation("The largest record batch the partition accepts, in bytes.").build());
    public static final ConfigKey<String> MESSAGE_TIMESTAMP_TYPE = TOPIC.add(ConfigKey.choiceKey("message.timestamp.type",
            TimestampType.CREATE_TIME.configName, TimestampType.LOG_APPEND_TIME.configName)
        .brokerSynonym("log.message.timestamp.type").defaultValue(TimestampType.CREATE_TIME.configName)
        .documentation("Whether record timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime).")
        .build());
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_BEFORE_MAX_MS = TOPIC.add(ConfigKey.longKey("message.timestamp.before.max.ms")
        .brokerSynonym("log.message.timestamp.before.max.ms").defaultValue(Long.MAX_VALUE).inRange(0, Long.MAX_VALUE)
        .documentation("How far in the past a CreateTime record timestamp may lie behind the broker's clock; an append holding an older "
            + "one is refused with INVALID_TIMESTAMP. Ignored for LogAppendTime topics (Kafka's key and default, KIP-937).").build());
    public static final ConfigKey<Long> MESSAGE_TIMESTAMP_AFTER_MAX_MS = TOPIC.add(ConfigKey.longKey("message.timestamp.after.max.ms")
        .brokerSynonym("log.message.timestamp.after.max.ms").defaultValue(3_600_000L).inRange(0, Long.MAX_VALUE)
        .documentation("How far in the future a CreateTime record timestamp may lie ahead of the broker's clock; an append holding a later "
            + "one is refused with INVALID_TIMESTAMP. Ignored for LogAppendTime topics (Kafka's key and default, KIP-937).").build());
    public static final ConfigKey<String> COMPRESSION_TYPE = TOPIC.add(ConfigKey.choiceKey("compression.type", PRODUCER_COMPRESSION,
            UNCOMPRESSED, "gzip", "snappy", "lz4", "zstd")
        .brokerSynonym("compression.type").defaultValue(PRODUCER_COMPRESSION).importance(Importance.HIGH)
        .documentation("The codec the partition stores batches with: producer keeps each batch as the producer compressed it; "
            + "uncompressed, gzip, snappy, lz4 or zstd make the broker re-compress, on append, every batch sent with another "
            + "codec (offsets and CRC recomputed; producer id, epoch, sequences and timestamps kept). A change applies to new "
            + "appends only.").build());
    public static final ConfigKey<Integer> COMPRESSION_GZIP_LEVEL = TOPIC.add(ConfigKey.intKey("compression.gzip.level")
        .brokerSynonym("compression.gzip.level").defaultValue(Compression.GZIP_DEFAULT_LEVEL)
        .validator(Validator.of(level -> level == Compression.GZIP_DEFAULT_LEVEL
            || (level >= Compression.GZIP_MIN_LEVEL && level <= Compression.GZIP_MAX_LEVEL),
            "a whole number in [" + Compression.GZIP_MIN_LEVEL + ", " + Compression.GZIP_MAX_LEVEL + "] or -1 (zlib's default)"))
        .documentation("The gzip level the broker re-compresses with when compression.type is gzip.").build());
    public static final ConfigKey<Integer> COMPRESSION_LZ4_LEVEL = TOPIC.add(ConfigKey.intKey("compression.lz4.level")
        .brokerSynonym("compression.lz4.level").defaultValue(Compression.LZ4_DEFAULT_LEVEL)
        .inRange(Compression.LZ4_MIN_LEVEL, Compression.LZ4_MAX_LEVEL)
        .documentation("The lz4 level the broker re-compresses with when compression.type is lz4.").build());
    public static final ConfigKey<Integer> COMPRESSION_ZSTD_LEVEL = TOPIC.add(ConfigKey.intKey("compression.zstd.level")
        .brokerSynonym("compression.zstd.level").defaultValue(Compression.ZSTD_DEFAULT_LEVEL)
        .inRange(Compression.ZSTD_MIN_LEVEL, Compression.ZSTD_MAX_LEVEL)
        .documentation("The zstd level the broker re-compresses with when compression.type is zstd.").build());
    /*
     * Not a Kafka key: Kafka decompresses without a limit. Sized so real, highly compressible batches pass (64 times the
     * default max.message.bytes) while a decompression bomb stops at this much work and memory.
     */
    public static final ConfigKey<Integer> DECOMPRESSED_BATCH_MAX_BYTES = TOPIC.add(ConfigKey.intKey("decompressed.batch.max.bytes")
        .brokerSynonym("log.decompressed.batch.max.bytes").defaultValue(64 * 1024 * 1024).inRange(1024, Integer.MAX_VALUE - 8)
        .documentation("The most bytes one compressed record batch may decompress to when an append checks its records; a batch that "
            + "decompresses to more is refused with INVALID_RECORD. Raise it with max.message.bytes.").build());
    public static final ConfigKey<List<String>> CLEANUP_POLICY = TOPIC.add(ConfigKey.choiceListKey("cleanup.policy", "compact", "delete")
        .brokerSynonym("log.cleanup.policy").defaultValue(List.of("delete"))
        .documentation("What happens to old segments: delete them by retention.ms and retention.bytes, compact them to the "
            + "latest record per key, or both (\"compact,delete\").").build());
    public static final ConfigKey<Long> DELETE_RETENTION_MS = TOPIC.add(ConfigKey.longKey("delete.retention.ms")
        .brokerSynonym("log.cleaner.delete.retention.ms").defaultValue(DAY_MS).inRange(0, Long.MAX_VALUE)
        .documentation("How long compaction keeps a tombstone (a record with a null value) after it first cleaned it.").build());
    public static final ConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = TOPIC.add(ConfigKey.doubleKey("min.cleanable.dirty.ratio")
        .brokerSynonym("log.cleaner.min.cleanable.ratio").defaultValue(0.5)
        .validator(Validator.inRange(0.0, 1.0))
        .documentation("Compact a log once the uncompacted part is at least this fraction of its cleanable bytes.").build());
    public static final ConfigKey<Long> MIN_COMPACTION_LAG_MS = TOPIC.add(ConfigKey.longKey("min.compaction.lag.ms")
        .brokerSynonym("log.cleaner.min.compaction.lag.ms").defaultValue(0L).inRange(0, Long.MAX_VALUE)
        .documentation("A record stays uncompacted for at least this long after it was written.").build());
    public static final ConfigKey<Long> MAX_COMPACTION_LAG_MS = TOPIC.add(ConfigKey.longKey("max.compaction.lag.ms")
        .brokerSynonym("log.cleaner.max.compaction.lag.ms").defaultValue(Long.MAX_VALUE).inRange(1, Long.MAX_VALUE)
        .documentation("A record becomes eligible for compaction at most this long after it was written, whatever the "
            + "dirty ratio.").build());
    public static final ConfigKey<Long> FILE_DELETE_DELAY_MS = TOPIC.add(ConfigKey.longKey("file.delete.delay.ms")
        .brokerSynonym("log.segment.delete.delay.ms").defaultValue(60_000L).inRange(0, Long.MAX_VALUE)
        .documentation("How long a segment removed by retention or truncation stays on disk, renamed "
            + "with the suffix .deleted, before its files are deleted.").build());
    public static final ConfigKey<Boolean> PREALLOCATE = TOPIC.add(ConfigKey.booleanKey("preallocate")
        .brokerSynonym("log.preallocate").defaultValue(false)
        .documentation("Preallocate a new segment's log file to segment.bytes when it is created; the file is trimmed to its "
            + "batches when the segment rolls or the log closes.").build());

    // ---- replication keys: min.insync.replicas is acted on for replicated partitions; the others are stored ----

    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = TOPIC.add(ConfigKey.intKey("min.insync.replicas")
        .brokerSynonym("min.insync.replicas").defaultValue(1).inRange(1, Integer.MAX_VALUE)
        .documentation("The fewest in-sync replicas that must hold a batch before a producer with acks=all is answered: "
            + "below it acks=all is refused with NOT_ENOUGH_REPLICAS (nothing written), or NOT_ENOUGH_REPLICAS_AFTER_APPEND "
            + "when the ISR shrank while it waited. Applies to replicated partitions (with an assignment); a partition "
            + "led alone acknowledges acks=all after its own append.").build());
    public static final ConfigKey<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = TOPIC.add(ConfigKey.booleanKey("unclean.leader.election.enable")
        .brokerSynonym("unclean.leader.election.enable").defaultValue(false)
        .documentation("Whether a replica outside the in-sync set may become leader as a last resort, at the risk of losing "
            + "data. Stored and validated; every partition has one replica in this version.").build());
    public static final ConfigKey<List<String>> LEADER_REPLICATION_THROTTLED_REPLICAS = TOPIC.add(ConfigKey.listKey(
            "leader.replication.throttled.replicas", ThrottledReplicas.SYNTAX)
        .defaultValue(List.of()).validator(ThrottledReplicas.VALIDATOR)
        .documentation("Replicas whose replication is throttled on the leader side: [PartitionId]:[BrokerId],... or the wildcard "
            + "'*' for all replicas of the topic. Stored and validated.").build());
    public static final ConfigKey<List<String>> FOLLOWER_REPLICATION_THROTTLED_REPLICAS = TOPIC.add(ConfigKey.listKey(
            "follower.replication.throttled.replicas", ThrottledReplicas.SYNTAX)
        .defaultValue(List.of()).validator(ThrottledReplicas.VALIDATOR)
        .documentation("Replicas whose replication is throttled on the follower side: [PartitionId]:[BrokerId],... or the "
            + "wildcard '*' for all replicas of the topic. Stored and validated.").build());

    // ---- tiered-storage keys: Kafka's names and defaults, accepted only at the default (no tiered storage yet) ----

    public static final ConfigKey<Boolean> REMOTE_STORAGE_ENABLE = TOPIC.add(ConfigKey.booleanKey("remote.storage.enable")
        .defaultValue(false).validator(Validator.of(enabled -> !enabled, NO_TIERED_STORAGE)).describedAs("false")
        .documentation("Tiered storage for the topic. Only false is accepted: tiered storage is not available in this "
            + "version of Tributary.").build());
    public static final ConfigKey<Long> LOCAL_RETENTION_MS = TOPIC.add(ConfigKey.longKey("local.retention.ms")
        .brokerSynonym("log.local.retention.ms").defaultValue(-2L)
        .validator(Validator.of(ms -> ms == -2L, NO_TIERED_STORAGE)).describedAs("-2 (retention.ms applies)")
        .documentation("How long segments stay on local disk before only the remote tier holds them; -2 means retention.ms. "
            + "Only -2 is accepted: tiered storage is not available in this version of Tributary.").build());
    public static final ConfigKey<Long> LOCAL_RETENTION_BYTES = TOPIC.add(ConfigKey.longKey("local.retention.bytes")
        .brokerSynonym("log.local.retention.bytes").defaultValue(-2L)
        .validator(Validator.of(bytes -> bytes == -2L, NO_TIERED_STORAGE)).describedAs("-2 (retention.bytes applies)")
        .documentation("How many bytes of a partition stay on local disk before only the remote tier holds them; -2 means "
            + "retention.bytes. Only -2 is accepted: tiered storage is not available in this version of Tributary.").build());
    public static final ConfigKey<Boolean> REMOTE_LOG_COPY_DISABLE = TOPIC.add(ConfigKey.booleanKey("remote.log.copy.disable")
        .defaultValue(false).validator(Validator.of(disabled -> !disabled, NO_TIERED_STORAGE)).describedAs("false")
        .documentation("Stop copying segments to the remote tier. Only false is accepted: tiered storage is not available "
            + "in this version of Tributary.").build());
    public static final ConfigKey<Boolean> REMOTE_LOG_DELETE_ON_DISABLE = TOPIC.add(ConfigKey.booleanKey("remote.log.delete.on.disable")
        .defaultValue(false).validator(Validator.of(delete -> !delete, NO_TIERED_STORAGE)).describedAs("false")
        .documentation("Delete the remote tier's segments when tiered storage is disabled for the topic. Only false is "
            + "accepted: tiered storage is not available in this version of Tributary.").build());

    /*
     * No broker synonym on purpose: a topic's routing is fixed when it is created (LogManager refuses a change), and a
     * broker-wide default that could later change under existing topics would re-route their keys.
     */
    public static final ConfigKey<String> ROUTING_MODE = TOPIC.add(ConfigKey.choiceKey(RoutingMode.CONFIG,
            Arrays.stream(RoutingMode.values()).map(mode -> mode.configName).toArray(String[]::new))
        .defaultValue(RoutingMode.HASH.configName)
        .documentation("How keyed records map to partitions: hash (Kafka's murmur2 modulo) or ordered (a jump consistent "
            + "hash of murmur2; the broker rejects records whose key maps elsewhere and fences the old partitions when "
            + "partitions are added, so per-key order survives growth; see docs/ROUTING.md). Set at creation only.").build());

    /**
     * Every topic-level key, in the order of the reference; declared after the last key. A key declared above is a
     * topic config everywhere: CreateTopics and the alter paths accept it, DescribeConfigs and the reference list it,
     * and its {@code brokerSynonym} becomes a broker key ({@link #BROKER_KEYS}); read it with {@link #get}.
     */
    public static final ConfigDefinition TOPIC_KEYS = TOPIC.build();

    /** The broker keys in a coarser unit than their topic key (minutes, hours), in the order of the reference. */
    public static final ConfigDefinition BROKER_UNIT_KEYS = ConfigDefinition.of(LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS,
        LOG_ROLL_HOURS, LOG_ROLL_JITTER_HOURS);

    /** The broker defaults of topic keys under the same unit (log.segment.bytes, ...), in topic key order. */
    public static final ConfigDefinition BROKER_KEYS = ConfigDefinition.of(TOPIC_KEYS.keys().stream()
        .filter(key -> !key.synonyms().isEmpty())
        .map(key -> key.synonyms().get(0).key())
        .toArray(ConfigKey<?>[]::new));

    /** Refuses a key that is not a topic config, as CreateTopics and the alter paths need. */
    private static final ConfigDefinition.UnknownKeys REFUSE_UNKNOWN = (name, value) -> {
        throw new InvalidConfigException(new ConfigException(name, "Unknown topic configuration " + name));
    };

    private final Map<String, Object> defaults;
    private final ConfigValues values;

    public final int segmentBytes;
    public final long segmentMs;
    /** {@code segment.jitter.ms}: the largest random amount taken off the roll time of each new segment. */
    public final long segmentJitterMs;
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
    /** {@code cleanup.policy} as configured, for messages; kept so an append does not format it again. */
    public final String cleanupPolicyText;
    public final boolean compact;
    /** {@code cleanup.policy} holds "delete": retention removes old segments. */
    public final boolean delete;
    public final long deleteRetentionMs;
    public final double minCleanableDirtyRatio;
    public final long minCompactionLagMs;
    public final long maxCompactionLagMs;
    /** {@code routing.mode}: whether appends check that each keyed record belongs to the partition. */
    public final RoutingMode routingMode;
    /**
     * {@code compression.type} with its level: the codec every stored batch must have, or null for "producer" (batches are
     * stored with the codec they came with).
     */
    public final Compression compression;
    /** {@code file.delete.delay.ms}: how long a removed segment's files stay as {@code .deleted} before they go. */
    public final long fileDeleteDelayMs;
    /** {@code preallocate}: a new segment's log file is preallocated to {@code segment.bytes}. */
    public final boolean preallocate;

    private LogConfig(Map<String, Object> defaults, ConfigValues values) {
        this.defaults = defaults;
        this.values = values;
        segmentBytes = values.get(SEGMENT_BYTES);
        segmentMs = values.get(SEGMENT_MS);
        segmentJitterMs = values.get(SEGMENT_JITTER_MS);
        segmentIndexBytes = values.get(SEGMENT_INDEX_BYTES);
        indexIntervalBytes = values.get(INDEX_INTERVAL_BYTES);
        retentionMs = values.get(RETENTION_MS);
        retentionBytes = values.get(RETENTION_BYTES);
        flushMessages = values.get(FLUSH_MESSAGES);
        flushMs = values.get(FLUSH_MS);
        maxMessageBytes = values.get(MAX_MESSAGE_BYTES);
        timestampType = TimestampType.forConfigName(values.get(MESSAGE_TIMESTAMP_TYPE));
        timestampBeforeMaxMs = values.get(MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        timestampAfterMaxMs = values.get(MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        maxDecompressedBytes = values.get(DECOMPRESSED_BATCH_MAX_BYTES);
        List<String> policy = values.get(CLEANUP_POLICY);
        cleanupPolicyText = values.text(CLEANUP_POLICY.name());
        compact = policy.contains("compact");
        delete = policy.contains("delete");
        deleteRetentionMs = values.get(DELETE_RETENTION_MS);
        minCleanableDirtyRatio = values.get(MIN_CLEANABLE_DIRTY_RATIO);
        minCompactionLagMs = values.get(MIN_COMPACTION_LAG_MS);
        maxCompactionLagMs = values.get(MAX_COMPACTION_LAG_MS);
        routingMode = RoutingMode.forConfigName(values.get(ROUTING_MODE));
        compression = compressionOf(values.get(COMPRESSION_TYPE), values.get(COMPRESSION_GZIP_LEVEL),
            values.get(COMPRESSION_LZ4_LEVEL), values.get(COMPRESSION_ZSTD_LEVEL));
        fileDeleteDelayMs = values.get(FILE_DELETE_DELAY_MS);
        preallocate = values.get(PREALLOCATE);
    }

    /** The codec {@code compression.type} asks for, at its configured level; null for "producer". */
    private static Compression compressionOf(String type, int gzipLevel, int lz4Level, int zstdLevel) {
        return switch (type) {
            case PRODUCER_COMPRESSION -> null;
            case UNCOMPRESSED -> Compression.none();
            case "gzip" -> Compression.gzip(gzipLevel);
            case "lz4" -> Compression.lz4(lz4Level);
            case "zstd" -> Compression.zstd(zstdLevel);
            default -> Compression.of(CompressionType.forName(type));
        };
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
        return withDefaults(Map.of());
    }

    /**
     * Broker-wide defaults: the embedded defaults overridden by the given values, keyed by topic config name.
     *
     * @throws InvalidConfigException for an unknown key or an invalid value, naming both
     */
    public static LogConfig withDefaults(Map<String, String> brokerDefaults) {
        ConfigValues parsed = parse(brokerDefaults, Map.of());
        return new LogConfig(typedValues(parsed), parse(Map.of(), typedValues(parsed)));
    }

    /**
     * The broker's defaults for topics from its parsed configuration (which must define {@link #BROKER_KEYS} and
     * {@link #BROKER_UNIT_KEYS}): each topic key from the first of its synonyms set, else the last one's default.
     */
    public static LogConfig fromBroker(ConfigValues broker) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ConfigKey<?> key : TOPIC_KEYS.keys()) {
            defaults.put(key.name(), broker.resolve(key));
        }
        return new LogConfig(defaults, parse(Map.of(), defaults));
    }

    /**
     * This config's defaults with a topic's overrides (topic config names) on top; overrides of this
     * instance are replaced, not merged.
     *
     * @throws InvalidConfigException for an unknown key or an invalid value, naming both
     */
    public LogConfig withOverrides(Map<String, String> topicOverrides) {
        return new LogConfig(defaults, parse(topicOverrides, defaults));
    }

    private static ConfigValues parse(Map<String, String> given, Map<String, Object> defaults) {
        try {
            return TOPIC_KEYS.parse(given, REFUSE_UNKNOWN,
                key -> defaults.containsKey(key.name()) ? defaults.get(key.name()) : key.defaultValue());
        } catch (InvalidConfigException e) {
            throw e;
        } catch (ConfigException e) {
            throw new InvalidConfigException(e);
        }
    }

    private static Map<String, Object> typedValues(ConfigValues parsed) {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ConfigKey<?> key : TOPIC_KEYS.keys()) {
            typed.put(key.name(), parsed.get(key.name()));
        }
        return typed;
    }

    /**
     * Checks one topic config value as a topic override would be checked.
     *
     * @return its canonical text ("DELETE, Compact" -> "delete,compact", "0.50" -> "0.5")
     * @throws InvalidConfigException naming the key, the value and what is allowed
     */
    public static String validate(ConfigKey<?> key, String value) {
        return InvalidConfigException.refusing(() -> key.format(key.parse(value)));
    }

    /** The topic config named {@code name}, or null. */
    public static ConfigKey<?> topicKey(String name) {
        return TOPIC_KEYS.key(name);
    }

    /** The topic's explicit settings as canonical text, for persisting and describing. */
    public Map<String, String> overrides() {
        Map<String, String> overrides = new TreeMap<>();
        for (String name : values.explicitNames()) {
            overrides.put(name, values.text(name));
        }
        return Collections.unmodifiableMap(overrides);
    }

    /** The effective value of every key as text, topic override first, then the default. */
    public Map<String, String> effectiveValues() {
        return values.texts();
    }

    public boolean isOverridden(ConfigKey<?> key) {
        return values.isSet(key);
    }

    /** The effective value of {@code key} as canonical text. */
    public String value(ConfigKey<?> key) {
        return values.text(key.name());
    }

    /** The effective value of {@code key}. */
    public <T> T get(ConfigKey<T> key) {
        return values.get(key);
    }

    @Override
    public String toString() {
        return "LogConfig" + effectiveValues();
    }
}
