package io.tributary.log.cleaner;

import io.tributary.log.CleaningSession;
import io.tributary.log.LogConfig;
import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Compacts the logs whose {@code cleanup.policy} holds "compact", in the background: {@code log.cleaner.threads}
 * threads each pick the dirtiest log, run one {@link Cleaner} pass over it, and pick again; with nothing to do
 * they wait {@code log.cleaner.backoff.ms} or until {@link #wakeup()}.
 *
 * <p>A log needs cleaning when its dirty ratio (dirty bytes over cleanable bytes) is above
 * {@code min.cleanable.dirty.ratio}, when its oldest dirty record is older than {@code max.compaction.lag.ms},
 * or when a tombstone it keeps has reached its delete horizon. Among those, the highest dirty ratio goes
 * first. A pass holds the log's cleaning lock, never its write lock except to swap the segment map, so
 * appends and reads go on meanwhile. After a pass over a "compact,delete" log, the thread applies retention
 * to it, which the maintenance thread skips while a pass runs.
 *
 * <p>A log whose pass fails (an I/O error, a damaged segment) is set aside as uncleanable until restart, as
 * Kafka does, and reported by {@link #uncleanablePartitions()}; the others go on being cleaned.
 *
 * <p>Memory: each thread owns an offset map of {@code log.cleaner.dedupe.buffer.size / threads} bytes, made at
 * its first pass; {@link #cleanNow} uses one more of that size, made at its first call.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);
    /** Bounds {@link #cleanNow}'s loop: each pass maps at least 31 keys, so this covers any realistic dirty range. */
    private static final int MAX_PASSES_PER_CALL = 100_000;

    private final LogCleanerConfig config;
    private final Clock clock;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Object monitor = new Object();
    private final Set<PartitionLog> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<PartitionLog, String> uncleanable = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object cleanNowLock = new Object();
    private Cleaner cleanNowCleaner;
    private boolean wakeupPending;
    private volatile boolean stopping;

    /**
     * @param logs the logs to consider, asked afresh at every pick; non-compacted ones are skipped
     */
    public LogCleaner(LogCleanerConfig config, Clock clock, Supplier<Collection<PartitionLog>> logs) {
        this.config = config;
        this.clock = clock;
        this.logs = logs;
    }

    /** Starts the cleaner threads; idempotent. */
    public void start() {
        synchronized (monitor) {
            if (!threads.isEmpty() || stopping) {
                return;
            }
            for (int i = 0; i < config.threads(); i++) {
                Thread thread = new Thread(this::runThread, "log-cleaner-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
        log.info("Started {} log cleaner thread(s), {} bytes of offset map each", config.threads(), config.dedupeBytesPerCleaner());
    }

    public boolean isRunning() {
        synchronized (monitor) {
            return !threads.isEmpty() && !stopping;
        }
    }

    /** Makes idle threads look for work now instead of after their backoff. */
    public void wakeup() {
        synchronized (monitor) {
            wakeupPending = true;
            monitor.notifyAll();
        }
    }

    /**
     * Cleans {@code partitionLog} on the caller's thread, whatever its dirty ratio: passes until its whole dirty
     * range is clean (at least one, which also drops tombstones whose horizon has passed). Waits for a pass of a
     * background thread on the same log to finish first. Retention is not applied. For tests and tools.
     *
     * @throws CleaningAbortedException when the log is closed, deleted or truncated meanwhile
     * @throws LogStorageException      when the log is closed, or on an I/O error
     */
    public CleanerStats cleanNow(PartitionLog partitionLog) {
        synchronized (cleanNowLock) {
            if (cleanNowCleaner == null) {
                cleanNowCleaner = new Cleaner(config.dedupeBytesPerCleaner(), config.ioBufferSize(), () -> stopping);
            }
            try (CleaningSession session = partitionLog.beginCleaning(true)) {
                if (session == null) {
                    throw new LogStorageException("Cannot clean " + partitionLog.topicPartition() + ": the log is closed");
                }
                CleanerStats total = CleanerStats.NONE;
                for (int pass = 0; pass < MAX_PASSES_PER_CALL; pass++) {
                    total = total.plus(cleanNowCleaner.clean(session, clock.millis()));
                    if (!total.dirtyLeft()) {
                        break;
                    }
                }
                return total;
            }
        }
    }

    /**
     * Waits until a background pass has cleaned {@code partitionLog} up to at least {@code offset} (its first
     * dirty offset reaches it), for at most {@code maxWaitMs}; true when it did. For tests and tools, as
     * Kafka's {@code LogCleaner.awaitCleaned}.
     */
    public boolean awaitCleaned(PartitionLog partitionLog, long offset, long maxWaitMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitMs * 1_000_000;
        synchronized (monitor) {
            while (partitionLog.firstDirtyOffset() < offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Logs set aside after a failed pass, with the reason; they are not cleaned again until restart. */
    public Map<TopicPartition, String> uncleanablePartitions() {
        Map<TopicPartition, String> copy = new HashMap<>();
        uncleanable.forEach((partitionLog, reason) -> copy.put(partitionLog.topicPartition(), reason));
        return copy;
    }

    /** The compacted log most in need of a pass now, or null when none needs one (or all are being cleaned). */
    PartitionLog dirtiestLog() {
        long now = clock.millis();
        PartitionLog best = null;
        double bestRatio = -1;
        for (PartitionLog candidate : logs.get()) {
            LogConfig cfg = candidate.config();
            if (!cfg.compact || inProgress.contains(candidate) || uncleanable.containsKey(candidate)) {
                continue;
            }
            Cleaner.CleanableRange range;
            try {
                range = Cleaner.cleanableRange(candidate, now);
            } catch (LogStorageException e) {
                // Closed or deleted under us (its first batch could not be read): not a candidate any more.
                log.debug("Skipping {} when picking a log to clean: {}", candidate.topicPartition(), e.getMessage());
                continue;
            }
            long horizon = candidate.nextDeleteHorizonMs();
            boolean tombstonesDue = horizon >= 0 && now >= horizon;
            boolean due = range.dirtyBytes() > 0
                && (range.dirtyRatio() > cfg.minCleanableDirtyRatio || range.compactionLagExceeded());
            if ((due || tombstonesDue) && range.dirtyRatio() > bestRatio) {
                best = candidate;
                bestRatio = range.dirtyRatio();
            }
        }
        return best;
    }

    private void runThread() {
        Cleaner cleaner = null;
        while (!stopping) {
            boolean worked = false;
            try {
                PartitionLog target = claimDirtiestLog();
                if (target != null) {
                    if (cleaner == null) {
                        cleaner = new Cleaner(config.dedupeBytesPerCleaner(), config.ioBufferSize(), () -> stopping);
                    }
                    try {
                        worked = cleanInBackground(cleaner, target);
                    } finally {
                        inProgress.remove(target);
                    }
                }
            } catch (RuntimeException e) {
                log.error("Log cleaner thread {} failed; it goes on", Thread.currentThread().getName(), e);
            }
            if (!worked) {
                awaitWork();
            }
        }
    }

    private PartitionLog claimDirtiestLog() {
        synchronized (monitor) {
            PartitionLog target = dirtiestLog();
            if (target != null) {
                inProgress.add(target);
            }
            return target;
        }
    }

    private boolean cleanInBackground(Cleaner cleaner, PartitionLog target) {
        try (CleaningSession session = target.beginCleaning(false)) {
            if (session == null) {
                return false;
            }
            CleanerStats stats = cleaner.clean(session, clock.millis());
            log.info("Cleaned {}: {} of {} records removed, {} segment(s) rewritten into {}, {} -> {} bytes in {} ms",
                target.topicPartition(), stats.recordsRemoved(), stats.recordsRead(), stats.segmentsReplaced(),
                stats.segmentsWritten(), stats.bytesRead(), stats.bytesWritten(), stats.elapsedNanos() / 1_000_000);
            if (target.config().delete) {
                target.deleteRetainedSegments();
            }
            synchronized (monitor) {
                monitor.notifyAll(); // for awaitCleaned
            }
            return true;
        } catch (CleaningAbortedException e) {
            log.info("{}", e.getMessage());
            return true;
        } catch (RuntimeException e) {
            uncleanable.put(target, String.valueOf(e.getMessage()));
            log.error("Cleaning {} failed; it is not cleaned again until restart", target.topicPartition(), e);
            return true;
        }
    }

    private void awaitWork() {
        synchronized (monitor) {
            if (!stopping && !wakeupPending) {
                try {
                    monitor.wait(config.backoffMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
            wakeupPending = false;
        }
    }

    /**
     * Stops the threads and waits for them: a pass in progress gives up at its next batch (deleting its
     * unfinished output; a swap under way completes first).
     */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (monitor) {
            stopping = true;
            monitor.notifyAll();
            running = List.copyOf(threads);
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
