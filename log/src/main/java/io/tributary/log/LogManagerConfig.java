package io.tributary.log;

import io.tributary.log.cleaner.LogCleanerConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the {@link LogManager}, validated once at start.
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
