package io.tributary.log.epoch;

import io.tributary.log.LogStorageException;
import io.tributary.protocol.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One partition's leader-epoch cache: for each leader epoch under which the log was written, the offset of
 * the first batch stamped with it — what Kafka's OffsetForLeaderEpoch answers from (KIP-101, KIP-279, KIP-320)
 * and what a follower truncates by.
 *
 * <p>Invariants: entries are strictly increasing in both epoch and start offset; no start offset is above the log
 * end offset (loading drops those at or above it), and the first one is at or above the log start offset (the log calls
 * {@link #truncateFromEnd} when it truncates and {@link #truncateFromStart} when retention moves its start).
 * A batch at offset o was stamped with {@link #epochForOffset epochForOffset(o)}.
 *
 * <p>On disk: {@code leader-epoch-checkpoint} in the partition directory, Kafka's text format — a line with the
 * version {@code 0}, a line with the number of entries, then one {@code "epoch startOffset"} line per entry, oldest
 * first (see {@link LeaderEpochCheckpointFile}) — rewritten whole through the crash-safe writer after every change. Changes
 * are rare — a new epoch, a truncation, retention — so the write is synchronous, as Kafka's {@code assign} is.
 * A failed write is logged and retried with the next change instead of failing the append whose data is
 * already in the log: the file is only a cache of what the batch headers say.
 *
 * <p>After a crash the file holds the state of the last completed write, which may run ahead of the recovered
 * log (entries for data that was never fsynced) or, after a failed write, lag behind it. Loading
 * ({@link LeaderEpochCacheLoader}) therefore drops entries at or above the recovered log end, moves the first
 * entry up to the log start, checks the result against the first and last batch headers, and rebuilds the
 * entries from every batch header's partitionLeaderEpoch when the file is missing, malformed or disagrees.
 *
 * <p>Differences from Kafka's {@code LeaderEpochFileCache}: an {@link #assign} of an epoch below the latest is
 * ignored (Kafka drops the later entries instead); here a log only ever appends at its leader's epoch, and a
 * follower truncates before it appends an older leader's batches. Checkpoint writes after truncation are
 * synchronous too (Kafka defers them), since they happen only on truncation and retention.
 *
 * <p>Concurrency: changes are serialized on this object (the log makes them under its write lock); readers take
 * the published, immutable list of entries without locking. The append path costs one comparison with
 * {@link #latestEpoch()} while the epoch does not change ({@link #appendedAt}).
 */
public final class LeaderEpochFileCache {
    private static final Logger log = LoggerFactory.getLogger(LeaderEpochFileCache.class);

    private final TopicPartition topicPartition;
    private final LeaderEpochCheckpointFile checkpoint;
    /** Immutable; replaced whole, under this object's monitor. */
    private volatile List<EpochEntry> entries;
    /** The last entry's epoch, or {@link LeaderEpochs#UNDEFINED}: the append path's one comparison. */
    private volatile int latestEpoch;
    /** True after a failed checkpoint write: the file lags behind the entries until the next write succeeds. */
    private boolean checkpointBehind;

    /**
     * A cache holding {@code entries} (strictly increasing in epoch and start offset) and writing its changes to
     * {@code checkpoint}. Nothing is written until the first change ({@link #writeCheckpoint()} forces it).
     */
    public LeaderEpochFileCache(TopicPartition topicPartition, LeaderEpochCheckpointFile checkpoint, List<EpochEntry> entries) {
        checkIncreasing(topicPartition, entries);
        this.topicPartition = topicPartition;
        this.checkpoint = checkpoint;
        publish(List.copyOf(entries));
    }

    /** Replaces the entries without writing them (loading: they come from the file, or are written right after). */
    synchronized void restore(List<EpochEntry> restored) {
        checkIncreasing(topicPartition, restored);
        publish(List.copyOf(restored));
    }

    private static void checkIncreasing(TopicPartition topicPartition, List<EpochEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            EpochEntry previous = entries.get(i - 1);
            EpochEntry entry = entries.get(i);
            if (entry.epoch() <= previous.epoch() || entry.startOffset() <= previous.startOffset()) {
                throw new IllegalArgumentException("Leader epoch entries of " + topicPartition + " must increase in epoch and start offset: "
                    + entry + " follows " + previous);
            }
        }
    }

    /**
     * The cache as its checkpoint file holds it, with no reference to a log: a missing or malformed file gives an
     * empty cache. A log opens its cache through {@link LeaderEpochCacheLoader}, which also checks the file
     * against the log and rebuilds it.
     */
    public static LeaderEpochFileCache fromCheckpoint(TopicPartition topicPartition, LeaderEpochCheckpointFile checkpoint) {
        LeaderEpochCheckpointFile.Contents contents = checkpoint.read();
        if (contents instanceof LeaderEpochCheckpointFile.Entries read) {
            return new LeaderEpochFileCache(topicPartition, checkpoint, read.entries());
        }
        if (contents instanceof LeaderEpochCheckpointFile.Malformed malformed) {
            log.warn("Ignoring leader epoch checkpoint {} of {}: it {}", checkpoint.file(), topicPartition, malformed.reason());
        }
        return new LeaderEpochFileCache(topicPartition, checkpoint, List.of());
    }

    // ---- changes

    /**
     * The append path's hook: batches stamped {@code epoch} were appended from {@code firstOffset} on. Records a
     * new entry only when the epoch is newer than the latest; otherwise costs one comparison.
     */
    public void appendedAt(int epoch, long firstOffset) {
        if (epoch > latestEpoch) {
            assign(epoch, firstOffset);
        }
    }

    /**
     * Records that epoch {@code epoch} starts at {@code startOffset}, with Kafka's rules: nothing changes when
     * {@code epoch} is the latest and already starts at or before {@code startOffset}, or when it is below the
     * latest (see the class comment). Otherwise the entries that could not precede the new one — same or newer
     * epoch, or a start offset at or after {@code startOffset} — are dropped and the new entry becomes the latest.
     *
     * @return whether the entries changed
     * @throws IllegalArgumentException for a negative epoch or offset
     */
    public synchronized boolean assign(int epoch, long startOffset) {
        EpochEntry entry = new EpochEntry(epoch, startOffset);
        List<EpochEntry> current = entries;
        EpochEntry latest = current.isEmpty() ? null : current.get(current.size() - 1);
        if (latest != null && (epoch < latest.epoch() || (epoch == latest.epoch() && startOffset >= latest.startOffset()))) {
            return false;
        }
        int keep = current.size();
        while (keep > 0 && (current.get(keep - 1).epoch() >= epoch || current.get(keep - 1).startOffset() >= startOffset)) {
            keep--;
        }
        List<EpochEntry> removed = current.subList(keep, current.size());
        if (removed.size() > 1 || (removed.size() == 1 && removed.get(0).startOffset() != startOffset)) {
            // A same-offset replacement is the normal case of an epoch that wrote nothing; anything else lost history.
            log.warn("New leader epoch entry {} of {} replaced conflicting entries {}", entry, topicPartition, removed);
        }
        List<EpochEntry> next = new ArrayList<>(keep + 1);
        next.addAll(current.subList(0, keep));
        next.add(entry);
        change(next);
        return true;
    }

    /**
     * Drops the entries starting at or after {@code endOffset}: the log was truncated to end there.
     *
     * @return whether the entries changed
     */
    public synchronized boolean truncateFromEnd(long endOffset) {
        List<EpochEntry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= endOffset) {
            keep--;
        }
        if (keep == current.size()) {
            return false;
        }
        log.debug("Truncating leader epochs of {} to end offset {}: dropping {}", topicPartition, endOffset, current.subList(keep, current.size()));
        change(current.subList(0, keep));
        return true;
    }

    /**
     * The log now starts at {@code startOffset}: as in Kafka, the latest entry starting at or before it is kept and
     * moved up to start there, and the entries before it are dropped. Entries after it are untouched.
     *
     * @return whether the entries changed
     */
    public synchronized boolean truncateFromStart(long startOffset) {
        List<EpochEntry> current = entries;
        int covering = -1;
        while (covering + 1 < current.size() && current.get(covering + 1).startOffset() <= startOffset) {
            covering++;
        }
        if (covering < 0 || (covering == 0 && current.get(0).startOffset() == startOffset)) {
            return false;
        }
        List<EpochEntry> next = new ArrayList<>(current.size() - covering);
        next.add(new EpochEntry(current.get(covering).epoch(), startOffset));
        next.addAll(current.subList(covering + 1, current.size()));
        log.debug("Moving leader epochs of {} to start offset {}: dropping {}", topicPartition, startOffset, current.subList(0, covering));
        change(next);
        return true;
    }

    /** Writes the entries to the checkpoint file now (after a rebuild); a failure is logged, as for every write. */
    public synchronized void writeCheckpoint() {
        write();
    }

    private void change(List<EpochEntry> next) {
        publish(List.copyOf(next));
        write();
    }

    private void publish(List<EpochEntry> next) {
        entries = next;
        latestEpoch = next.isEmpty() ? LeaderEpochs.UNDEFINED : next.get(next.size() - 1).epoch();
    }

    private void write() {
        try {
            checkpoint.write(entries);
            if (checkpointBehind) {
                log.info("Leader epoch checkpoint {} of {} is up to date again", checkpoint.file(), topicPartition);
                checkpointBehind = false;
            }
        } catch (LogStorageException e) {
            // The entries stay right in memory; the next load checks the file against the log and rebuilds it.
            checkpointBehind = true;
            log.error("Cannot write leader epoch checkpoint {} of {}; it lags behind {} until the next change", checkpoint.file(),
                topicPartition, entries, e);
        }
    }

    // ---- queries (any thread, no locking)

    /** The epoch of the latest entry, or {@link LeaderEpochs#UNDEFINED} when there is none. */
    public int latestEpoch() {
        return latestEpoch;
    }

    /** The entries, oldest first; an immutable snapshot. */
    public List<EpochEntry> entries() {
        return entries;
    }

    /** The epoch the batch at {@code offset} was written under: the last entry starting at or before it, or UNDEFINED. */
    public int epochForOffset(long offset) {
        List<EpochEntry> current = entries;
        int index = floorIndexByOffset(current, offset);
        return index < 0 ? LeaderEpochs.UNDEFINED : current.get(index).epoch();
    }

    /**
     * Kafka's OffsetForLeaderEpoch answer for {@code requestedEpoch} on a log ending at {@code logEndOffset}:
     * <ul>
     *   <li>UNDEFINED (both -1) for an undefined (negative) epoch, an empty cache, or an epoch above the latest;</li>
     *   <li>for the latest epoch: that epoch and the log end offset;</li>
     *   <li>otherwise the largest epoch at or below the requested one and the start offset of the first epoch
     *       above the requested one — and when every known epoch is above it (older ones went with the log's
     *       start), the requested epoch itself with the first entry's start offset, as Kafka answers.</li>
     * </ul>
     * Read the log end offset before calling: the log publishes a new entry before the end offset that covers it.
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0) {
            return EpochEndOffset.UNDEFINED;
        }
        List<EpochEntry> current = entries;
        if (current.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (current.get(current.size() - 1).epoch() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        int floor = floorIndexByEpoch(current, requestedEpoch);
        int higher = floor + 1;
        if (higher >= current.size()) {
            return EpochEndOffset.UNDEFINED;
        }
        long endOffset = current.get(higher).startOffset();
        return floor < 0 ? new EpochEndOffset(requestedEpoch, endOffset) : new EpochEndOffset(current.get(floor).epoch(), endOffset);
    }

    /** Index of the last entry with epoch at or below {@code epoch}, or -1. */
    private static int floorIndexByEpoch(List<EpochEntry> current, int epoch) {
        int low = 0;
        int high = current.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (current.get(mid).epoch() <= epoch) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    /** Index of the last entry starting at or before {@code offset}, or -1. */
    private static int floorIndexByOffset(List<EpochEntry> current, long offset) {
        int low = 0;
        int high = current.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (current.get(mid).startOffset() <= offset) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    public LeaderEpochCheckpointFile checkpoint() {
        return checkpoint;
    }

    @Override
    public String toString() {
        return "LeaderEpochFileCache(" + topicPartition + ", " + entries + ")";
    }
}
