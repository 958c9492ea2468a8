package io.tributary.log.txn;

import io.tributary.log.LogStorageException;
import io.tributary.log.segment.LogSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The aborted-transaction indices of one partition log, one per segment that holds an ABORT marker of a
 * transaction ({@link TransactionIndex}), keyed by the segment's base offset. An aborted transaction is indexed in
 * the segment that holds its marker (its last offset), as in Kafka, so a fetch finds every transaction overlapping
 * its range in the indices from the segment of the fetch offset on.
 *
 * <p>Design note: the indices live beside the segment map rather than inside {@link LogSegment}, so a segment's
 * own files stay as they are; the partition log keeps the two in step under its write lock (append, retention,
 * truncation, the cleaner's swap). A segment without aborted transactions has no file.
 *
 * <p>Threads: changed under the partition log's write lock; {@link #collect} runs on any thread without a lock.
 */
public final class TransactionIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionIndexes.class);

    private final Path dir;
    private final ConcurrentSkipListMap<Long, TransactionIndex> indices = new ConcurrentSkipListMap<>();

    private TransactionIndexes(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens the {@code .txnindex} files of {@code dir} for the segments whose base offsets are {@code segmentBases}.
     * A file without its segment is merged into the index of the segment that now covers its offsets (a crash in
     * the middle of the cleaner's swap, which merges indices of the segments it replaces) or, below the first
     * segment, deleted.
     */
    public static TransactionIndexes load(Path dir, NavigableSet<Long> segmentBases) {
        TransactionIndexes loaded = new TransactionIndexes(dir);
        TreeMap<Long, Path> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*" + TransactionIndex.SUFFIX)) {
                for (Path file : found) {
                    long base = LogSegment.parseBaseOffset(file.getFileName().toString(), TransactionIndex.SUFFIX);
                    if (base >= 0) {
                        files.put(base, file);
                    }
                }
            } catch (IOException e) {
                throw new LogStorageException("Cannot list transaction indices in " + dir, e);
            }
        }
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            long base = file.getKey();
            TransactionIndex index = TransactionIndex.open(file.getValue(), base);
            if (segmentBases.contains(base)) {
                loaded.indices.put(base, index);
                continue;
            }
            Long owner = segmentBases.floor(base);
            if (owner != null && !index.isEmpty()) {
                log.info("Merging transaction index {} into the index of segment {} that now holds its offsets", index.file(), owner);
                loaded.indexFor(owner).appendAll(index);
            }
            index.delete();
        }
        return loaded;
    }

    private TransactionIndex indexFor(long segmentBase) {
        return indices.computeIfAbsent(segmentBase, base -> TransactionIndex.open(dir.resolve(LogSegment.fileName(base,
            TransactionIndex.SUFFIX)), base));
    }

    /** Indexes an aborted transaction whose marker is in the segment at {@code segmentBase}. */
    public void append(long segmentBase, AbortedTxn txn) {
        indexFor(segmentBase).append(txn);
    }

    /**
     * The aborted transactions overlapping [{@code fetchOffset}, {@code upperBoundOffset}), in marker order, read
     * from the indices of the segment holding {@code fetchOffset} on — a transaction that started below the bound
     * may end in any later segment — until an entry's last stable offset reaches the bound (Kafka's stopping rule,
     * see {@link TransactionIndex#collect}); never from the log itself.
     */
    public List<AbortedTxn> collect(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> found = new ArrayList<>();
        Long from = indices.floorKey(fetchOffset);
        Map<Long, TransactionIndex> candidates = from == null ? indices : indices.tailMap(from, true);
        for (TransactionIndex index : candidates.values()) {
            if (index.collect(fetchOffset, upperBoundOffset, found)) {
                break;
            }
        }
        return found;
    }

    /** Removes every entry whose marker is at or after {@code offset}, deleting the files of later segments. */
    public void truncateTo(long offset) {
        for (TransactionIndex index : new ArrayList<>(indices.tailMap(offset, true).values())) {
            indices.remove(index.baseOffset());
            index.delete();
        }
        Map.Entry<Long, TransactionIndex> floor = indices.lowerEntry(offset);
        if (floor != null) {
            floor.getValue().truncateTo(offset);
        }
    }

    /**
     * Removes the entries of {@code gone} from the indices of the segments holding their markers: the cleaner found no
     * data of those aborted transactions left in the log, so read_committed fetches need not be told of them — and must
     * not be once their markers go too (a consumer would otherwise hold the producer as aborted for good).
     */
    public void forget(Collection<AbortedTxn> gone) {
        Map<Long, List<AbortedTxn>> bySegment = new TreeMap<>();
        for (AbortedTxn txn : gone) {
            Long base = indices.floorKey(txn.lastOffset());
            if (base != null) {
                bySegment.computeIfAbsent(base, b -> new ArrayList<>()).add(txn);
            }
        }
        bySegment.forEach((base, entries) -> {
            TransactionIndex index = indices.get(base);
            if (index.remove(entries) && index.isEmpty()) {
                indices.remove(base);
                index.delete();
            }
        });
    }

    /** The segment at {@code segmentBase} was deleted (retention, truncation): so is its index. */
    public void segmentDeleted(long segmentBase) {
        TransactionIndex index = indices.remove(segmentBase);
        if (index != null) {
            index.delete();
        }
    }

    /**
     * The cleaner replaced the segments at {@code replacedBases} by one segment at {@code cleanedBase} (the first of
     * them): their entries move, in order, into that segment's index.
     */
    public void segmentsMerged(Collection<Long> replacedBases, long cleanedBase) {
        for (long base : new TreeSet<>(replacedBases)) {
            if (base == cleanedBase) {
                continue;
            }
            TransactionIndex merged = indices.remove(base);
            if (merged != null) {
                if (!merged.isEmpty()) {
                    indexFor(cleanedBase).appendAll(merged);
                }
                merged.delete();
            }
        }
    }

    /** Every index, by segment base offset; for tests and tools. */
    public Map<Long, List<AbortedTxn>> entriesBySegment() {
        Map<Long, List<AbortedTxn>> all = new TreeMap<>();
        indices.forEach((base, index) -> all.put(base, index.entries()));
        return all;
    }

    /** Deletes every index (the log restarts empty). */
    public void deleteAll() {
        for (TransactionIndex index : new ArrayList<>(indices.values())) {
            indices.remove(index.baseOffset());
            index.delete();
        }
    }

    @Override
    public void close() {
        for (TransactionIndex index : indices.values()) {
            index.close();
        }
    }
}
