package io.tributary.log;

/**
 * Told what happened to a partition log, after the fact: the log calls its listeners after it has released its
 * write lock (so no listener runs under it and none can delay another writer), on the thread that made the
 * change. A listener must be quick and must not block or write to a log; a listener that throws is logged and
 * the others still run. Register listeners with {@link LogManager#addListener}; they hear every log of that
 * manager, including logs it opens later.
 *
 * <p>Design note: the broker learns of appends from every writer — the produce path, the group coordinator's
 * writes to {@code __consumer_offsets}, later replication — through this one path, instead of each writer
 * remembering to tell the fetches waiting for data. The calls take primitives, not event objects, so the
 * produce hot path allocates nothing for them.
 */
public interface LogListener {
    /** Batches were appended; the log end offset is now {@code logEndOffset}. */
    default void appended(PartitionLog log, long logEndOffset) {
    }

    /**
     * The oldest open transaction changed (one opened with none older open, or the oldest ended), or a truncation
     * happened: the last stable offset is now {@code lastStableOffset} (read_committed fetches read up to it rather
     * than to the log end offset). Not called otherwise: outside transactions the last stable offset simply follows
     * the log end offset, which {@link #appended} reports.
     */
    default void lastStableOffsetChanged(PartitionLog log, long lastStableOffset) {
    }

    /** A new active segment starts at {@code baseOffset} (the producer state was snapshotted as of it). */
    default void rolled(PartitionLog log, long baseOffset) {
    }

    /** Every batch at or above {@code logEndOffset} was removed; producer state was rebuilt for the new end. */
    default void truncated(PartitionLog log, long logEndOffset) {
    }

    /** Segments were deleted from the front (retention); the log now starts at {@code logStartOffset}. */
    default void segmentsDeleted(PartitionLog log, long logStartOffset) {
    }

    /** The whole log was deleted (its topic was deleted); its files are gone. */
    default void deleted(PartitionLog log) {
    }
}
