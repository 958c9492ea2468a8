package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One incremental fetch session (KIP-227): the partitions a fetcher is following, with the request
 * parameters it last sent for each and what it was last told about each, so that its next request names
 * only what changed and the answer carries only what changed.
 *
 * <p>Invariants: {@code epoch} is the epoch the next request must carry (1 after creation, then +1 per
 * accepted request, wrapping to 1 after {@link Integer#MAX_VALUE}); partitions are kept in read order, and
 * a partition that returned records moves to the end, so the next fetch reads the others first and no
 * partition starves the rest under the response budget; all keys name topics the same way
 * ({@link #usesTopicIds}).
 *
 * <p>Guarded by its own monitor; the {@link FetchSessionCache} lock, when both are needed, is taken first.
 */
final class FetchSession {
    /** Epoch of a request that creates a session. */
    static final int INITIAL_EPOCH = 0;
    /** Epoch of a request that closes its session (and of every sessionless request). */
    static final int FINAL_EPOCH = -1;
    /** The session id of "no session". */
    static final int NO_SESSION = 0;

    private final int id;
    private final boolean usesTopicIds;
    private final long creationMs;
    private final LinkedHashMap<FetchKey, CachedPartition> partitions;
    private int epoch;
    private long lastUsedMs;

    /** A partition in a session: the last request parameters, and the offsets last sent (-1: not yet, or an error). */
    static final class CachedPartition {
        PartitionRequest request;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        CachedPartition(PartitionRequest request) {
            this.request = request;
        }

        /**
         * Whether an incremental answer must carry this read (Kafka's rule: records, an error, or changed
         * offsets), remembering what is sent. An error resets the remembered high watermark so that the
         * partition is sent again once the error clears.
         */
        boolean mustAnswer(PartitionRead read) {
            boolean must = read.bytes() > 0;
            if (highWatermark != read.highWatermark() || lastStableOffset != read.lastStableOffset()) {
                highWatermark = read.highWatermark();
                lastStableOffset = read.lastStableOffset();
                must = true;
            }
            if (logStartOffset != read.logStartOffset()) {
                logStartOffset = read.logStartOffset();
                must = true;
            }
            if (read.error() != ErrorCode.NONE) {
                highWatermark = -1;
                must = true;
            }
            return must;
        }
    }

    FetchSession(int id, boolean usesTopicIds, long nowMs, List<PartitionRead> firstAnswer) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
        this.epoch = nextEpoch(INITIAL_EPOCH);
        this.partitions = new LinkedHashMap<>();
        for (PartitionRead read : firstAnswer) {
            CachedPartition cached = new CachedPartition(read.request());
            cached.highWatermark = read.highWatermark();
            cached.lastStableOffset = read.lastStableOffset();
            cached.logStartOffset = read.logStartOffset();
            partitions.put(read.key(), cached);
        }
    }

    /** The epoch after {@code epoch}: 1 after {@link Integer#MAX_VALUE}; a negative epoch has no successor. */
    static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return FINAL_EPOCH;
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    int id() {
        return id;
    }

    boolean usesTopicIds() {
        return usesTopicIds;
    }

    long creationMs() {
        return creationMs;
    }

    synchronized int epoch() {
        return epoch;
    }

    synchronized long lastUsedMs() {
        return lastUsedMs;
    }

    synchronized int size() {
        return partitions.size();
    }

    /** The partitions in read order, for tests and tools. */
    synchronized List<FetchKey> partitionKeys() {
        return List.copyOf(partitions.keySet());
    }

    /**
     * Applies an incremental request: partitions it names are added or have their parameters replaced,
     * then forgotten ones are removed. Called with the epoch already checked.
     */
    synchronized void update(Collection<PartitionRequest> requested, List<FetchKey> forgotten) {
        for (PartitionRequest request : requested) {
            CachedPartition cached = partitions.get(request.key());
            if (cached == null) {
                partitions.put(request.key(), new CachedPartition(request));
            } else {
                cached.request = request;
            }
        }
        for (FetchKey key : forgotten) {
            partitions.remove(key);
        }
    }

    /** Accepts the request of epoch {@link #epoch()}: the next one must carry the next epoch. */
    synchronized int advance(long nowMs) {
        lastUsedMs = nowMs;
        epoch = nextEpoch(epoch);
        return epoch;
    }

    /** What to read for the current request: every partition's last parameters, in session order. */
    synchronized List<PartitionRequest> requests() {
        List<PartitionRequest> requests = new ArrayList<>(partitions.size());
        for (CachedPartition cached : partitions.values()) {
            requests.add(cached.request);
        }
        return requests;
    }

    /**
     * The part of {@code reads} an incremental answer carries, or null when a request with another epoch
     * has been accepted since (the answer is then INVALID_FETCH_SESSION_EPOCH, as in Kafka). Partitions
     * with records move to the end of the read order.
     */
    synchronized List<PartitionRead> select(int expectedEpoch, List<PartitionRead> reads) {
        if (epoch != expectedEpoch) {
            return null;
        }
        List<PartitionRead> selected = new ArrayList<>();
        for (PartitionRead read : reads) {
            CachedPartition cached = partitions.get(read.key());
            if (cached == null || !cached.mustAnswer(read)) {
                continue;
            }
            selected.add(read);
            if (read.bytes() > 0) {
                partitions.remove(read.key());
                partitions.put(read.key(), cached);
            }
        }
        return selected;
    }

    @Override
    public synchronized String toString() {
        return "FetchSession(id=" + id + ", epoch=" + epoch + ", partitions=" + partitions.size()
            + ", topicIds=" + usesTopicIds + ")";
    }
}
