package io.tributary.server.fetch;

import io.tributary.log.LogSlice;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.network.LogSliceRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One decoded fetch request from arrival to answer: its limits, its session context, how to read its
 * partitions and how to build the response from the reads. Reading may happen several times (when the
 * request arrives, and again each time a parked fetch is woken or expires); the answer is built once.
 *
 * <p>The answer puts each read's slice into its records field as {@link LogSliceRecords} and hands the
 * slices over with the response, so the network layer sends them from the segment files with sendfile
 * and releases them; no record byte is copied or decompressed here. Slices of reads the answer leaves out
 * (an incremental session's unchanged partitions have none, but a session-epoch race drops everything)
 * are released here.
 */
final class FetchOperation {
    private static final ByteBuffer NO_RECORDS = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final FetchContext context;
    private final PartitionReader reader;
    private final int maxWaitMs;
    private final int minBytes;
    private final int maxBytes;
    private final boolean readCommitted;
    private final int replicaId;
    private final Set<FetchKey> refused;

    /**
     * @param maxBytes the response-wide limit, already capped by the broker's fetch.max.bytes
     * @param minBytes already capped by {@code maxBytes}, as Kafka does
     * @param refused  partitions the fetcher may not read ({@link FetchAccess}): answered with the authorization error,
     *                 never read
     */
    FetchOperation(FetchContext context, PartitionReader reader, int maxWaitMs, int minBytes, int maxBytes,
                   boolean readCommitted, int replicaId, Set<FetchKey> refused) {
        this.context = context;
        this.reader = reader;
        this.maxWaitMs = maxWaitMs;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.readCommitted = readCommitted;
        this.replicaId = replicaId;
        this.refused = refused;
    }

    int maxWaitMs() {
        return maxWaitMs;
    }

    FetchReads read() {
        if (refused.isEmpty()) {
            return reader.read(context.partitions(), maxBytes, replicaId, readCommitted);
        }
        List<PartitionRequest> readable = new ArrayList<>(context.partitions().size());
        for (PartitionRequest partition : context.partitions()) {
            if (!refused.contains(partition.key())) {
                readable.add(partition);
            }
        }
        FetchReads reads = reader.read(readable, maxBytes, replicaId, readCommitted);
        // The refusals go back in read order, so a session keeps its order; they hold no slice.
        // TOPIC_AUTHORIZATION_FAILED for a replica too (one without CLUSTER_ACTION), as Kafka answers it.
        ErrorCode error = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        List<PartitionRead> all = new ArrayList<>(context.partitions().size());
        java.util.Iterator<PartitionRead> read = reads.partitions().iterator();
        for (PartitionRequest partition : context.partitions()) {
            all.add(refused.contains(partition.key()) ? PartitionRead.unknown(partition, error) : read.next());
        }
        return new FetchReads(all, reads.bytes(), reads.anyReadFailed());
    }

    /**
     * Kafka's rule for answering at once rather than parking: no wait allowed, nothing readable (no
     * partitions, or all unknown), min_bytes already available, or a read failed.
     */
    boolean answerNow(FetchReads reads) {
        return maxWaitMs <= 0 || !reads.anyReadable() || satisfiedBy(reads);
    }

    /** Whether a parked fetch may complete with these reads: enough bytes, or a read that failed. */
    boolean satisfiedBy(FetchReads reads) {
        return reads.bytes() >= minBytes || reads.anyReadFailed();
    }

    /** Whether any readable partition's log moved since {@code reads}: an append the park may have missed. */
    boolean movedSince(FetchReads reads) {
        return reader.movedSince(reads, replicaId >= 0);
    }

    /** Builds the response from {@code reads}, which it takes ownership of. */
    ApiResponse answer(FetchReads reads) {
        try {
            FetchContext.FetchAnswer answer = context.answer(reads.partitions());
            Set<PartitionRead> sent = Collections.newSetFromMap(new IdentityHashMap<>());
            sent.addAll(answer.partitions());
            for (PartitionRead read : reads.partitions()) {
                if (!sent.contains(read)) {
                    read.release();
                }
            }
            return response(answer);
        } catch (RuntimeException e) {
            reads.release();
            throw e;
        }
    }

    private static List<Struct> abortedTransactions(List<AbortedTxn> aborted) {
        if (aborted == null || aborted.isEmpty()) {
            return List.of();
        }
        List<Struct> out = new ArrayList<>(aborted.size());
        for (AbortedTxn txn : aborted) {
            out.add(FetchResponse.AbortedTransaction.SCHEMA.newStruct()
                .set(FetchResponse.AbortedTransaction.PRODUCER_ID, txn.producerId())
                .set(FetchResponse.AbortedTransaction.FIRST_OFFSET, txn.firstOffset()));
        }
        return out;
    }

    private ApiResponse response(FetchContext.FetchAnswer answer) {
        Struct body = FetchResponse.SCHEMA.newStruct()
            .set(FetchResponse.THROTTLE_TIME_MS, 0)
            .set(FetchResponse.ERROR_CODE, answer.error().code())
            .set(FetchResponse.SESSION_ID, answer.sessionId());
        List<LogSlice> slices = new ArrayList<>();
        Struct topic = null;
        FetchKey topicKey = null;
        for (PartitionRead read : answer.partitions()) {
            // Consecutive partitions of one topic share an entry, keeping the read order as Kafka does.
            if (topicKey == null || !topicKey.sameTopic(read.key())) {
                topicKey = read.key();
                topic = body.add(FetchResponse.RESPONSES);
                if (topicKey.isById()) {
                    topic.set(FetchableTopicResponse.TOPIC_ID, topicKey.topicId());
                } else {
                    topic.set(FetchableTopicResponse.TOPIC, topicKey.topic());
                }
            }
            Struct partition = topic.add(FetchableTopicResponse.PARTITIONS)
                .set(PartitionData.PARTITION_INDEX, read.key().partition())
                .set(PartitionData.ERROR_CODE, read.error().code())
                .set(PartitionData.HIGH_WATERMARK, read.highWatermark())
                .set(PartitionData.LAST_STABLE_OFFSET, read.lastStableOffset())
                .set(PartitionData.LOG_START_OFFSET, read.logStartOffset())
                .set(PartitionData.PREFERRED_READ_REPLICA, -1);
            // Kafka answers read_committed with the aborted transactions overlapping the records (an empty list when
            // none do) and read_uncommitted with none at all.
            partition.set(PartitionData.ABORTED_TRANSACTIONS, readCommitted && read.error() == ErrorCode.NONE
                ? abortedTransactions(read.abortedTransactions()) : null);
            if (read.slice() != null) {
                partition.set(PartitionData.RECORDS, new LogSliceRecords(read.slice()));
                slices.add(read.slice());
            } else {
                partition.set(PartitionData.RECORDS, NO_RECORDS);
            }
            if (read.divergingEpoch() != null) {
                partition.set(PartitionData.DIVERGING_EPOCH, FetchResponse.EpochEndOffset.SCHEMA.newStruct()
                    .set(FetchResponse.EpochEndOffset.EPOCH, read.divergingEpoch().epoch())
                    .set(FetchResponse.EpochEndOffset.END_OFFSET, read.divergingEpoch().endOffset()));
            }
        }
        return new ApiResponse(body, List.copyOf(slices));
    }
}
