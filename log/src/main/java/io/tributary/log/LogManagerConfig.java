package io.tributary.log;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;
import io.tributary.log.cleaner.LogCleanerConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the {@link LogManager}, validated once at start. Its broker keys are declared here; the broker's
 * configuration composes them and builds this record with {@link #from}.
 *
 * @param logDirs                      directories partitions are spread over; the first also holds topic metadata
 * @param defaults                     broker-wide log settings that topics override
 * @param retentionCheckIntervalMs     how often segments are checked for deletion ({@code log.retention.check.interval.ms})
 * @param flushCheckIntervalMs         how often logs are checked against {@code flush.ms} ({@code log.flush.scheduler.interval.ms})
 * @param checkpointIntervalMs         how often recovery points are written ({@code log.flush.offset.checkpoint.interval.ms})
 * @param recoveryThreadsPerDir        threads opening and recovering logs at start ({@code num.recovery.threads.per.data.dir})
 * @param cleaner                      the log cleaner's settings ({@code log.cleaner.*})
 * @param producerIdExpirationMs       idempotent producers idle this long are forgotten ({@code producer.id.expiration.ms})
 */
public record LogManagerConfig(List<Path> logDirs, LogConfig defaults, long retentionCheckIntervalMs,
                               long flushCheckIntervalMs, long checkpointIntervalMs, int recoveryThreadsPerDir,
                               LogCleanerConfig cleaner, long producerIdExpirationMs) {
    public static final ConfigKey<List<String>> LOG_DIRS = ConfigKey.listKey("log.dirs",
            ConfigKey.ListSyntax.of("directories").nonEmptyList().strict())
        .defaultValue(List.of("./data")).importance(Importance.HIGH)
        .documentation("Directories partitions are spread over; the first also holds topic metadata.").build();
    public static final ConfigKey<Long> RETENTION_CHECK_INTERVAL_MS = ConfigKey.longKey("log.retention.check.interval.ms")
        .defaultValue(300_000L).inRange(1, Long.MAX_VALUE).documentation("How often retention runs.").build();
    public static final ConfigKey<Long> FLUSH_SCHEDULER_INTERVAL_MS = ConfigKey.longKey("log.flush.scheduler.interval.ms")
        .defaultValue(1_000L).inRange(1, Long.MAX_VALUE).documentation("How often logs are checked against flush.ms.").build();
    public static final ConfigKey<Long> FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = ConfigKey.longKey(
            "log.flush.offset.checkpoint.interval.ms")
        .defaultValue(60_000L).inRange(1, Long.MAX_VALUE).documentation("How often recovery points are checkpointed.").build();
    public static final ConfigKey<Integer> NUM_RECOVERY_THREADS_PER_DATA_DIR = ConfigKey.intKey("num.recovery.threads.per.data.dir")
        .defaultValue(1).inRange(1, 256).documentation("Threads per log directory that open and recover logs at start.").build();

    public static final ConfigKey<Long> PRODUCER_ID_EXPIRATION_MS = ConfigKey.longKey("producer.id.expiration.ms")
        .defaultValue(LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS).inRange(1, Long.MAX_VALUE)
        .documentation("How long an idle producer id's sequence state is kept.").build();

    /** The log manager's own keys (the cleaner's are {@link LogCleanerConfig#KEYS}, the topics' {@link LogConfig}'s). */
    public static final ConfigDefinition KEYS = ConfigDefinition.of(LOG_DIRS, RETENTION_CHECK_INTERVAL_MS,
        FLUSH_SCHEDULER_INTERVAL_MS, FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, NUM_RECOVERY_THREADS_PER_DATA_DIR,
        PRODUCER_ID_EXPIRATION_MS);

    public LogManagerConfig {
        logDirs = List.copyOf(logDirs);
        if (cleaner == null) {
            throw new InvalidConfigException("The log cleaner settings are required");
        }
        if (logDirs.isEmpty()) {
            throw new InvalidConfigException("log.dirs must name at least one directory");
        }
        requirePositive("log.retention.check.interval.ms", retentionCheckIntervalMs);
        requirePositive("log.flush.scheduler.interval.ms", flushCheckIntervalMs);
        requirePositive("log.flush.offset.checkpoint.interval.ms", checkpointIntervalMs);
        requirePositive("num.recovery.threads.per.data.dir", recoveryThreadsPerDir);
        requirePositive("producer.id.expiration.ms", producerIdExpirationMs);
    }

    /** With Kafka's default producer.id.expiration.ms (one day). */
    public LogManagerConfig(List<Path> logDirs, LogConfig defaults, long retentionCheckIntervalMs, long flushCheckIntervalMs,
                            long checkpointIntervalMs, int recoveryThreadsPerDir, LogCleanerConfig cleaner) {
        this(logDirs, defaults, retentionCheckIntervalMs, flushCheckIntervalMs, checkpointIntervalMs, recoveryThreadsPerDir,
            cleaner, LogContext.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    /**
     * The settings from a broker configuration that defines {@link #KEYS}, {@link LogCleanerConfig#KEYS} and the
     * broker keys of {@link LogConfig}.
     */
    public static LogManagerConfig from(ConfigValues values) {
        return new LogManagerConfig(values.get(LOG_DIRS).stream().map(Path::of).toList(), LogConfig.fromBroker(values),
            values.get(RETENTION_CHECK_INTERVAL_MS), values.get(FLUSH_SCHEDULER_INTERVAL_MS),
            values.get(FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS), values.get(NUM_RECOVERY_THREADS_PER_DATA_DIR),
            LogCleanerConfig.from(values), values.get(PRODUCER_ID_EXPIRATION_MS));
    }

    /** With the log cleaner at its defaults. */
    public LogManagerConfig(List<Path> logDirs, LogConfig defaults, long retentionCheckIntervalMs, long flushCheckIntervalMs,
                            long checkpointIntervalMs, int recoveryThreadsPerDir) {
        this(logDirs, defaults, retentionCheckIntervalMs, flushCheckIntervalMs, checkpointIntervalMs, recoveryThreadsPerDir,
            LogCleanerConfig.defaults());
    }

    /** Kafka's defaults for the intervals and the cleaner, one recovery thread per directory. */
    public static LogManagerConfig of(List<Path> logDirs, LogConfig defaults) {
        return new LogManagerConfig(logDirs, defaults, 300_000, 1_000, 60_000, 1);
    }

    public LogManagerConfig withCleaner(LogCleanerConfig cleanerConfig) {
        return new LogManagerConfig(logDirs, defaults, retentionCheckIntervalMs, flushCheckIntervalMs, checkpointIntervalMs,
            recoveryThreadsPerDir, cleanerConfig, producerIdExpirationMs);
    }

    public LogManagerConfig withProducerIdExpirationMs(long expirationMs) {
        return new LogManagerConfig(logDirs, defaults, retentionCheckIntervalMs, flushCheckIntervalMs, checkpointIntervalMs,
            recoveryThreadsPerDir, cleaner, expirationMs);
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new InvalidConfigException("Invalid value " + value + " for configuration " + key + ": must be at least 1");
        }
    }
}
