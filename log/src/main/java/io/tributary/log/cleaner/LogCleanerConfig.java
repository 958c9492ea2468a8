package io.tributary.log.cleaner;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigException;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.log.InvalidConfigException;

/**
 * Settings of the {@link LogCleaner}, under Kafka's broker config names, validated once when built: by the keys
 * declared here (the broker's configuration composes {@link #KEYS}, so a file and code share one set of bounds)
 * and by the one rule that spans two keys, at least {@link #MIN_DEDUPE_BYTES_PER_THREAD} of offset map per thread.
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

    public static final ConfigKey<Boolean> ENABLE = ConfigKey.booleanKey("log.cleaner.enable").defaultValue(true)
        .documentation("Run the log cleaner, which compacts topics with cleanup.policy=compact.").build();
    public static final ConfigKey<Integer> THREADS = ConfigKey.intKey("log.cleaner.threads").defaultValue(1).inRange(1, 64)
        .documentation("Threads compacting logs.").build();
    public static final ConfigKey<Long> DEDUPE_BUFFER_SIZE = ConfigKey.longKey("log.cleaner.dedupe.buffer.size")
        .defaultValue(128L * 1024 * 1024).inRange(MIN_DEDUPE_BYTES_PER_THREAD, Long.MAX_VALUE)
        .documentation("Memory for the cleaners' key-to-offset maps, shared among the threads.").build();
    public static final ConfigKey<Integer> IO_BUFFER_SIZE = ConfigKey.intKey("log.cleaner.io.buffer.size").defaultValue(512 * 1024)
        .inRange(4096, Integer.MAX_VALUE).documentation("Read and write buffer of each cleaner.").build();
    public static final ConfigKey<Long> BACKOFF_MS = ConfigKey.longKey("log.cleaner.backoff.ms").defaultValue(15_000L)
        .inRange(1, Long.MAX_VALUE).documentation("How long an idle cleaner waits before looking again.").build();

    /** The cleaner's keys, in the order of the reference. */
    public static final ConfigDefinition KEYS = ConfigDefinition.of(ENABLE, THREADS, DEDUPE_BUFFER_SIZE, IO_BUFFER_SIZE, BACKOFF_MS);

    public LogCleanerConfig {
        InvalidConfigException.refusing(() -> {
            THREADS.validate(threads);
            DEDUPE_BUFFER_SIZE.validate(dedupeBufferSize);
            IO_BUFFER_SIZE.validate(ioBufferSize);
            return BACKOFF_MS.validate(backoffMs);
        });
        if (dedupeBufferSize / threads < MIN_DEDUPE_BYTES_PER_THREAD) {
            throw new InvalidConfigException(new ConfigException(DEDUPE_BUFFER_SIZE.name(), dedupeBufferSize,
                "each of the " + threads + " cleaner threads needs at least " + MIN_DEDUPE_BYTES_PER_THREAD + " bytes"));
        }
    }

    /** Kafka's defaults: enabled, one thread, a 128 MiB offset map, 512 KiB I/O buffers, 15 s backoff. */
    public static LogCleanerConfig defaults() {
        return from(KEYS.defaults());
    }

    /** The cleaner's settings from a parsed configuration that defines {@link #KEYS}. */
    public static LogCleanerConfig from(ConfigValues values) {
        return new LogCleanerConfig(values.get(ENABLE), values.get(THREADS), values.get(DEDUPE_BUFFER_SIZE),
            values.get(IO_BUFFER_SIZE), values.get(BACKOFF_MS));
    }

    /** The offset map memory each cleaner (thread, or synchronous call) gets. */
    public long dedupeBytesPerCleaner() {
        return dedupeBufferSize / threads;
    }
}
