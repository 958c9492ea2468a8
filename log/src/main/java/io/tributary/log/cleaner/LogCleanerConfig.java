package io.tributary.log.cleaner;

import io.tributary.log.InvalidConfigException;

/**
 * Settings of the {@link LogCleaner}, under Kafka's broker config names, validated once when built.
 *
 * @param enabled           {@code log.cleaner.enable}: run cleaner threads once a compacted log exists
 * @param threads           {@code log.cleaner.threads}: background cleaner threads
 * @param dedupeBufferSize  {@code log.cleaner.dedupe.buffer.size}: bytes of offset map shared by all cleaner
 *                          threads (each gets {@code dedupeBufferSize / threads}); a synchronous
 *                          {@link LogCleaner#cleanNow} call uses one more map of that share
 * @param ioBufferSize      {@code log.cleaner.io.buffer.size}: bytes read from a segment per I/O call, and
 *                          written per append to the cleaned segment
 * @param backoffMs         {@code log.cleaner.backoff.ms}: how long a thread sleeps when no log needs cleaning
 */
public record LogCleanerConfig(boolean enabled, int threads, long dedupeBufferSize, int ioBufferSize, long backoffMs) {
    /** The smallest offset map a cleaner may get, 1 KiB: 42 slots, 31 keys. */
    public static final long MIN_DEDUPE_BYTES_PER_THREAD = 1024;

    public LogCleanerConfig {
        if (threads < 1) {
            throw new InvalidConfigException("Invalid value " + threads + " for configuration log.cleaner.threads: must be at least 1");
        }
        if (dedupeBufferSize / threads < MIN_DEDUPE_BYTES_PER_THREAD) {
            throw new InvalidConfigException("Invalid value " + dedupeBufferSize + " for configuration log.cleaner.dedupe.buffer.size: "
                + "each of the " + threads + " cleaner threads needs at least " + MIN_DEDUPE_BYTES_PER_THREAD + " bytes");
        }
        if (ioBufferSize < 4096) {
            throw new InvalidConfigException("Invalid value " + ioBufferSize + " for configuration log.cleaner.io.buffer.size: must be at least 4096");
        }
        if (backoffMs < 1) {
            throw new InvalidConfigException("Invalid value " + backoffMs + " for configuration log.cleaner.backoff.ms: must be at least 1");
        }
    }

    /** Kafka's defaults: enabled, one thread, a 128 MiB offset map, 512 KiB I/O buffers, 15 s backoff. */
    public static LogCleanerConfig defaults() {
        return new LogCleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 15_000);
    }

    /** The offset map memory each cleaner (thread, or synchronous call) gets. */
    public long dedupeBytesPerCleaner() {
        return dedupeBufferSize / threads;
    }
}
