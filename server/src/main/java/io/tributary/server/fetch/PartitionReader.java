package io.tributary.server.fetch;

import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.LogStorageException;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.ErrorCode;
import io.tributary.server.replica.ReplicaView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the partitions of one fetch from the logs, in the order given, as log slices (never copies).
 *
 * <p>Limits, as Kafka applies them (KIP-74): each partition reads at most its partition_max_bytes and at
 * most what is left of the response-wide max_bytes; but until some partition has returned records, a
 * partition returns its first whole batch even when that batch alone exceeds both limits, so a consumer
 * can always make progress. After that, partitions return only whole batches that fit in the remaining
 * budget. Reads end on batch boundaries and within one segment.
 *
 * <p>Offsets: the high watermark is the log end offset (one replica); the last stable offset is the log's
 * ({@link PartitionLog#lastStableOffset}). Isolation, as Kafka's: a read_uncommitted read ends at the log end
 * offset, and both offsets are read after the records so they are never below the end of the slice; a
 * read_committed read first takes the last stable offset, reads only batches below it, and lists the aborted
 * transactions overlapping [fetch offset, end of the slice) from the log's aborted-transaction index — no batch
 * is scanned for them.
 *
 * <p>Reads run on the calling thread (a connection's event loop): an offset-index lookup in an mmap and a
 * few batch-header preads, the same work whether the fetch is answered now or later.
 */
final class PartitionReader {
    private static final Logger log = LoggerFactory.getLogger(PartitionReader.class);
    private static final int CONSUMER = -1;

    private final LogManager logs;
    private final ReplicaView replicas;

    PartitionReader(LogManager logs) {
        this(logs, ReplicaView.SOLE);
    }

    PartitionReader(LogManager logs, ReplicaView replicas) {
        this.logs = logs;
        this.replicas = replicas;
    }

    /**
     * Reads {@code partitions} under a response-wide budget of {@code maxBytes}.
     *
     * @param fromFollower the fetch comes from a replica (replica id set): refused partition by partition,
     *                     as this broker has no followers
     */
    FetchReads read(List<PartitionRequest> partitions, int maxBytes, boolean fromFollower) {
        return read(partitions, maxBytes, fromFollower ? Integer.MAX_VALUE : CONSUMER, false);
    }

    /**
     * {@link #read(List, int, boolean)} at an isolation level: {@code readCommitted} reads up to the last stable offset;
     * {@code replicaId} -1 for a consumer, a broker id for a follower.
     */
    FetchReads read(List<PartitionRequest> partitions, int maxBytes, int replicaId, boolean readCommitted) {
        List<PartitionRead> reads = new ArrayList<>(partitions.size());
        long budget = Math.max(0, maxBytes);
        boolean minOneBatch = true;
        long total = 0;
        boolean anyFailed = false;
        try {
            for (PartitionRequest request : partitions) {
                PartitionRead read = readOne(request, (int) budget, minOneBatch, replicaId, readCommitted);
                reads.add(read);
                int bytes = read.bytes();
                if (bytes > 0) {
                    minOneBatch = false;
                }
                budget = Math.max(0, budget - bytes);
                total += bytes;
                anyFailed |= read.readFailed() || read.divergingEpoch() != null;
            }
        } catch (RuntimeException e) {
            reads.forEach(PartitionRead::release);
            throw e;
        }
        return new FetchReads(reads, total, anyFailed);
    }

    /** Whether any readable partition's log end or start offset moved since a consumer's {@code reads} were taken. */
    boolean movedSince(FetchReads reads) {
        return movedSince(reads, false);
    }

    /**
     * Whether any readable partition moved since {@code reads} were taken: its start offset, or what the fetch reads up
     * to — the log end offset for a follower, the high watermark for a consumer.
     */
    boolean movedSince(FetchReads reads, boolean fromFollower) {
        for (PartitionRead read : reads.partitions()) {
            if (read.error() != ErrorCode.NONE) {
                continue;
            }
            PartitionLog partitionLog = logs.log(read.partition());
            if (partitionLog == null || partitionLog.logStartOffset() != read.logStartOffset()) {
                return true;
            }
            long watched = fromFollower ? partitionLog.logEndOffset() : replicas.highWatermark(partitionLog);
            if (watched != read.watchedOffset()) {
                return true;
            }
        }
        return false;
    }

    /** The partition a key names, or null when its topic or partition does not exist (now). */
    private TopicPartition resolve(FetchKey key) {
        TopicMetadata topic = key.isById() ? logs.topic(key.topicId()) : logs.topic(key.topic());
        if (topic == null || key.partition() < 0 || key.partition() >= topic.partitionCount()) {
            return null;
        }
        return new TopicPartition(topic.name(), key.partition());
    }

    private PartitionRead readOne(PartitionRequest request, int budget, boolean minOneBatch, int replicaId,
                                  boolean readCommitted) {
        FetchKey key = request.key();
        TopicPartition tp = resolve(key);
        if (tp == null) {
            boolean unknownTopicId = key.isById() && logs.topic(key.topicId()) == null;
            return PartitionRead.unknown(request, unknownTopicId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            return PartitionRead.unknown(request, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION); // deleted since resolving
        }
        if (replicaId >= 0) {
            return readForFollower(request, tp, partitionLog, budget, minOneBatch, replicaId);
        }
        ErrorCode epochError = replicas.leaderCheck(tp, request.currentLeaderEpoch());
        if (epochError != ErrorCode.NONE) {
            return PartitionRead.failed(request, tp, epochError);
        }
        if (request.lastFetchedEpoch() > replicas.leaderEpoch(tp)) {
            // Kafka: no end offset is known for an epoch newer than the latest, so the fetch position is out of range.
            return PartitionRead.failed(request, tp, ErrorCode.OFFSET_OUT_OF_RANGE);
        }
        int limit = Math.max(0, Math.min(request.maxBytes(), budget));
        LogSlice slice;
        // The bounds first, so the records read never pass the high watermark or the LSO reported with them. A partition
        // led alone has its high watermark at the log end: its read is unbounded and the offsets are read after it.
        boolean replicated = replicas.isReplicated(tp);
        long highWatermark = replicated ? replicas.highWatermark(partitionLog) : Long.MAX_VALUE;
        long stableBound = readCommitted ? Math.min(partitionLog.lastStableOffset(), highWatermark) : highWatermark;
        try {
            slice = stableBound == Long.MAX_VALUE ? partitionLog.read(request.fetchOffset(), limit, minOneBatch)
                : partitionLog.read(request.fetchOffset(), limit, minOneBatch, stableBound);
        } catch (OffsetOutOfRangeException e) {
            return PartitionRead.failed(request, tp, ErrorCode.OFFSET_OUT_OF_RANGE);
        } catch (LogStorageException e) {
            log.warn("Fetch of {} at offset {} failed", tp, request.fetchOffset(), e);
            return PartitionRead.failed(request, tp, ErrorCode.KAFKA_STORAGE_ERROR);
        }
        long end = replicated ? highWatermark : partitionLog.logEndOffset();
        long start = partitionLog.logStartOffset();
        if (!readCommitted) {
            return new PartitionRead(request, tp, ErrorCode.NONE, false, end, Math.min(partitionLog.lastStableOffset(), end), start,
                slice.isEmpty() ? null : slice);
        }
        List<AbortedTxn> aborted = slice.isEmpty() ? List.of()
            : partitionLog.collectAbortedTransactions(request.fetchOffset(), slice.nextOffset());
        return new PartitionRead(request, tp, ErrorCode.NONE, false, end, stableBound, start, slice.isEmpty() ? null : slice,
            aborted);
    }

    /**
     * A follower's read: checked against this broker's leadership and the follower's last fetched epoch (a divergence is
     * answered with the diverging epoch and no records), then read up to the log end offset, zero-copy like a consumer's;
     * the follower's fetch offset then counts as its log end offset (moving the high watermark and the ISR).
     */
    private PartitionRead readForFollower(PartitionRequest request, TopicPartition tp, PartitionLog partitionLog, int budget,
                                          boolean minOneBatch, int replicaId) {
        ReplicaView.FollowerFetchCheck check = replicas.checkFollowerFetch(replicaId, partitionLog, request.fetchOffset(),
            request.currentLeaderEpoch(), request.lastFetchedEpoch());
        if (check.error() != ErrorCode.NONE) {
            return PartitionRead.failed(request, tp, check.error());
        }
        long leaderEnd = partitionLog.logEndOffset();
        if (check.divergingEpoch() != null) {
            long highWatermark = replicas.highWatermark(partitionLog);
            return new PartitionRead(request, tp, ErrorCode.NONE, false, highWatermark,
                Math.min(partitionLog.lastStableOffset(), highWatermark), partitionLog.logStartOffset(), null, null,
                check.divergingEpoch(), leaderEnd);
        }
        int limit = Math.max(0, Math.min(request.maxBytes(), budget));
        LogSlice slice;
        try {
            slice = partitionLog.read(request.fetchOffset(), limit, minOneBatch);
        } catch (OffsetOutOfRangeException e) {
            return PartitionRead.failed(request, tp, ErrorCode.OFFSET_OUT_OF_RANGE);
        } catch (LogStorageException e) {
            log.warn("Follower {} fetch of {} at offset {} failed", replicaId, tp, request.fetchOffset(), e);
            return PartitionRead.failed(request, tp, ErrorCode.KAFKA_STORAGE_ERROR);
        }
        replicas.followerFetched(replicaId, partitionLog, request.fetchOffset(), leaderEnd);
        long highWatermark = replicas.highWatermark(partitionLog);
        return new PartitionRead(request, tp, ErrorCode.NONE, false, highWatermark,
            Math.min(partitionLog.lastStableOffset(), highWatermark), partitionLog.logStartOffset(), slice.isEmpty() ? null : slice,
            null, null, leaderEnd);
    }
}
