package io.tributary.log;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.segment.LogSegment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One cleaning pass's exclusive hold on a partition log ({@link PartitionLog#beginCleaning}), and the cleaner's
 * crash-safe swap protocol: while it is open the pass may read the sealed segments (they cannot be truncated,
 * deleted or closed under it), swap cleaned segments in for them, and record how far it got.
 *
 * <p>Design note: the protocol is a class of its own, not part of the log, so the log keeps only the state it
 * owns; the session reaches the log through one narrow {@link Hook} (the segment-map swap under the write lock,
 * the abort flag, the cleaner checkpoint), and every file rename and directory fsync of the swap is here.
 */
public final class CleaningSession implements AutoCloseable {
    /** What a session may do to its log's state; implemented by the log. */
    interface Hook {
        /** True once close, delete or truncation asked the pass to stop. */
        boolean abortRequested();

        /** @throws IllegalStateException unless each segment is in the log's segment map and not the active one */
        void requireSealed(List<LogSegment> oldSegments);

        /** Under the log's write lock: {@code cleaned} takes its base offset, the others of {@code oldSegments} leave the map. */
        void swapSegments(List<LogSegment> oldSegments, LogSegment cleaned);

        void markCleaned(long cleanedUpToOffset, long deleteHorizonMs);

        /** Under the log's write lock: drops these entries from the aborted-transaction index. */
        void forgetAbortedTransactions(java.util.Collection<io.tributary.log.txn.AbortedTxn> gone);

        /**
         * Removes a segment the swap took out of the map as retention does: its files renamed {@code .deleted} at
         * once and deleted after {@code file.delete.delay.ms} (at once when that is 0).
         */
        void deleteLater(LogSegment old);

        /** For tests: told each step of a swap (the crash points recovery must handle). */
        Consumer<String> swapStepListener();

        /** Gives up the log's cleaning lock. */
        void endCleaning();
    }

    private final PartitionLog log;
    private final Hook hook;
    private boolean ended;

    CleaningSession(PartitionLog log, Hook hook) {
        this.log = log;
        this.hook = hook;
    }

    public PartitionLog log() {
        return log;
    }

    /** True once close, delete or truncation asked the pass to stop; it should give up at its next batch. */
    public boolean abortRequested() {
        return hook.abortRequested();
    }

    /**
     * Replaces {@code oldSegments} — consecutive sealed segments of this log, in order — by {@code cleaned},
     * a complete, fsynced segment with {@link LogSegment#CLEANED_SUFFIX} files and the base offset of the
     * first of them. Crash-safe through renames, as in Kafka:
     * <ol>
     *   <li>rename the cleaned files to {@code .swap} (indices, then the log file) and fsync the directory —
     *       the commit point: from here a restart completes the swap ({@code completeSwap} in {@link LogLoader});
     *       before it, it deletes the {@code .cleaned} files and the old segments stay;</li>
     *   <li>swap the segment map under the write lock — the only moment appends wait;</li>
     *   <li>rename the old segments' files to {@code .deleted}, to be deleted after {@code file.delete.delay.ms}
     *       as Kafka's {@code replaceSegments} does (readers holding slices keep their open channels either way),
     *       and fsync the directory, so the old files are out of the way before the new ones take their names
     *       (a restart deletes {@code .deleted} files);</li>
     *   <li>rename the swap files to their final names and fsync the directory.</li>
     * </ol>
     */
    public void replaceSegments(List<LogSegment> oldSegments, LogSegment cleaned) {
        ensureActive();
        if (oldSegments.isEmpty() || oldSegments.get(0).baseOffset() != cleaned.baseOffset()
            || !LogSegment.CLEANED_SUFFIX.equals(cleaned.fileSuffix())) {
            throw new IllegalArgumentException("Cleaned segment " + cleaned + " cannot replace " + oldSegments
                + ": it must be a .cleaned segment with the first one's base offset");
        }
        hook.requireSealed(oldSegments);
        Consumer<String> listener = hook.swapStepListener();
        listener.accept("cleaned segment written");
        cleaned.changeFileSuffix(LogSegment.SWAP_SUFFIX, path -> listener.accept("renamed to " + path.getFileName()));
        CrashSafeFile.fsyncDirectory(log.dir());
        listener.accept("swap committed");

        hook.swapSegments(oldSegments, cleaned);
        listener.accept("segment map swapped");

        for (LogSegment old : oldSegments) {
            Path name = old.logFile().getFileName();
            hook.deleteLater(old);
            listener.accept("deleted " + name);
        }
        CrashSafeFile.fsyncDirectory(log.dir());
        cleaned.changeFileSuffix("", path -> listener.accept("renamed to " + path.getFileName()));
        CrashSafeFile.fsyncDirectory(log.dir());
        listener.accept("swap complete");
    }

    /**
     * Drops aborted-transaction index entries of transactions the pass found no data of in the log (Kafka's cleaner
     * leaves them out of the cleaned segment's index). Safe at any moment of the pass: the data was already gone
     * from the segments on disk when the pass read them, so no read_committed fetch can need the entries any more.
     */
    public void forgetAbortedTransactions(java.util.Collection<io.tributary.log.txn.AbortedTxn> gone) {
        if (!gone.isEmpty()) {
            ensureActive();
            hook.forgetAbortedTransactions(gone);
        }
    }

    /**
     * Records the end of a finished pass: below {@code cleanedUpToOffset} the log now holds at most one record
     * per key; {@code deleteHorizonMs} is the earliest horizon of a tombstone batch it kept, or -1.
     */
    public void markCleaned(long cleanedUpToOffset, long deleteHorizonMs) {
        ensureActive();
        hook.markCleaned(cleanedUpToOffset, deleteHorizonMs);
    }

    private void ensureActive() {
        if (ended) {
            throw new IllegalStateException("The cleaning session of " + log.topicPartition() + " has ended");
        }
    }

    /** Gives up the cleaning lock; idempotent. */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            hook.endCleaning();
        }
    }
}
