package io.tributary.server.fetch;

import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.LogStorageException;
import io.tributary.log.OffsetOutOfRangeException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.ErrorCode;
import io.tributary.server.cluster.PartitionLeadership;
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

    private final LogManager logs;
    /** Who leads each partition (the image's leader and epoch); null: this broker leads everything at epoch 0. */
    private final PartitionLeadership leadership;

    PartitionReader(LogManager logs) {
        this(logs, null);
    }

    PartitionReader(LogManager logs, PartitionLeadership leadership) {
        this.logs = logs;
        this.leadership = leadership;
    }

    /**
     * Reads {@code partitions} under a response-wide budget of {@code maxBytes}.
     *
     * @param fromFollower the fetch comes from a replica (replica id set): refused partition by partition,
     *                     as this broker has no followers
     */
    FetchReads read(List<PartitionRequest> partitions, int maxBytes, boolean fromFollower) {
        return read(partitions, maxBytes, fromFollower, false);
    }

    /** {@link #read(List, int, boolean)} at an isolation level: {@code readCommitted} reads up to the last stable offset. */
    FetchReads read(List<PartitionRequest> partitions, int maxBytes, boolean fromFollower, boolean readCommitted) {
        List<PartitionRead> reads = new ArrayList<>(partitions.size());
        long budget = Math.max(0, maxBytes);
        boolean minOneBatch = true;
        long total = 0;
        boolean anyFailed = false;
        try {
            for (PartitionRequest request : partitions) {
                PartitionRead read = readOne(request, (int) budget, minOneBatch, fromFollower, readCommitted);
                reads.add(read);
                int bytes = read.bytes();
                if (bytes > 0) {
                    minOneBatch = false;
                }
                budget = Math.max(0, budget - bytes);
                total += bytes;
                anyFailed |= read.readFailed();
            }
        } catch (RuntimeException e) {
            reads.forEach(PartitionRead::release);
            throw e;
        }
        return new FetchReads(reads, total, anyFailed);
    }

    /** Whether any readable partition's log end or start offset moved since {@code reads} were taken. */
    boolean movedSince(FetchReads reads) {
        for (PartitionRead read : reads.partitions()) {
            if (read.error() != ErrorCode.NONE) {
                continue;
            }
            PartitionLog partitionLog = logs.log(read.partition());
            if (partitionLog == null || partitionLog.logEndOffset() != read.highWatermark()
                || partitionLog.logStartOffset() != read.logStartOffset()) {
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

    private PartitionRead readOne(PartitionRequest request, int budget, boolean minOneBatch, boolean fromFollower,
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
        if (fromFollower) {
            return PartitionRead.failed(request, tp, ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }
        ErrorCode epochError = leadership == null ? LeaderEpoch.check(request.currentLeaderEpoch())
            : leadership.check(tp, request.currentLeaderEpoch()).error();
        if (epochError != ErrorCode.NONE) {
            return PartitionRead.failed(request, tp, epochError);
        }
        if (request.lastFetchedEpoch() > LeaderEpochs.SINGLE_BROKER) {
            // Kafka: no end offset is known for an epoch newer than the latest, so the fetch position is out of range.
            return PartitionRead.failed(request, tp, ErrorCode.OFFSET_OUT_OF_RANGE);
        }
        int limit = Math.max(0, Math.min(request.maxBytes(), budget));
        LogSlice slice;
        // read_committed: the bound first, so the records read never pass the LSO reported with them
        long stableBound = readCommitted ? partitionLog.lastStableOffset() : Long.MAX_VALUE;
        try {
            slice = readCommitted ? partitionLog.read(request.fetchOffset(), limit, minOneBatch, stableBound)
                : partitionLog.read(request.fetchOffset(), limit, minOneBatch);
        } catch (OffsetOutOfRangeException e) {
            return PartitionRead.failed(request, tp, ErrorCode.OFFSET_OUT_OF_RANGE);
        } catch (LogStorageException e) {
            log.warn("Fetch of {} at offset {} failed", tp, request.fetchOffset(), e);
            return PartitionRead.failed(request, tp, ErrorCode.KAFKA_STORAGE_ERROR);
        }
        long end = partitionLog.logEndOffset();
        long start = partitionLog.logStartOffset();
        if (!readCommitted) {
            return new PartitionRead(request, tp, ErrorCode.NONE, false, end, partitionLog.lastStableOffset(), start,
                slice.isEmpty() ? null : slice);
        }
        List<AbortedTxn> aborted = slice.isEmpty() ? List.of()
            : partitionLog.collectAbortedTransactions(request.fetchOffset(), slice.nextOffset());
        return new PartitionRead(request, tp, ErrorCode.NONE, false, end, stableBound, start, slice.isEmpty() ? null : slice,
            aborted);
    }
}
