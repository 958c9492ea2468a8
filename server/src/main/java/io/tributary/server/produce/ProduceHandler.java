package io.tributary.server.produce;

import io.tributary.log.LeaderAppend;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogStorageException;
import io.tributary.log.MisroutedRecordException;
import io.tributary.log.PartitionLog;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.log.RecordTooLargeException;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.UnflushedAppend;
import io.tributary.log.ValidatedBatches;
import io.tributary.log.producer.BatchMetadata;
import io.tributary.log.producer.ProducerRefusal;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.BatchIndexAndErrorMessage;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.InvalidRecordException.RecordError;
import io.tributary.protocol.record.InvalidTimestampException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.cluster.PartitionLeadership;
import io.tributary.server.metadata.InternalTopics;
import io.tributary.server.replica.BrokerDirectory;
import io.tributary.server.replica.ReplicaView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Produce (API key 0, v3-13; v13 names topics by id): appends each partition's record batch and answers
 * per partition, as Kafka does.
 *
 * <p>Per partition, in order: the topic and partition must exist (UNKNOWN_TOPIC_OR_PARTITION, or
 * UNKNOWN_TOPIC_ID for an unknown v13 topic id) and not be internal (INVALID_TOPIC_EXCEPTION); the log
 * validates the bytes (CORRUPT_MESSAGE, INVALID_RECORD, INVALID_TIMESTAMP, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE),
 * compressed batches decompressed and walked record by record; there
 * must be exactly one batch (Kafka's rule since Produce v3), not a control batch, not zstd before v7
 * (UNSUPPORTED_COMPRESSION_TYPE), not transactional; then the log ({@link PartitionLog#appendAsLeader})
 * applies the idempotent-producer rules, appends and records the batch in one step, and tells its listeners
 * (parked fetches wake from there). A refusal by the producer rules is answered INVALID_PRODUCER_EPOCH,
 * OUT_OF_ORDER_SEQUENCE_NUMBER or, for a producer the partition has no state for, UNKNOWN_PRODUCER_ID from
 * v5 on (whose response carries the log start offset the client needs to handle it) and
 * OUT_OF_ORDER_SEQUENCE_NUMBER before. A failure in one partition leaves the others of the request alone
 * and the connection open.
 *
 * <p>Threads: validation and the append (a write into the page cache) run on the connection's event
 * loop. The fsync a topic's {@code flush.messages} calls for never does: it runs on the I/O executor, and
 * an acks=1/all response is sent only once it has completed, so an acknowledged record is on disk when
 * the flush policy says it must be; a retry of a batch whose fsync is still pending waits for one too.
 * With acks=0 nothing is answered; as in Kafka, a partition error then closes the connection so the
 * client notices (and refreshes its metadata).
 *
 * <p>Replication ({@link ReplicaView}): a partition this broker does not lead is NOT_LEADER_OR_FOLLOWER; an acks=all
 * produce to a partition whose ISR is below the topic's {@code min.insync.replicas} is NOT_ENOUGH_REPLICAS, with
 * nothing written. Batches are stamped with the partition's leader epoch. An acks=all answer waits in the
 * {@link ProducePurgatory} until the high watermark passes the batch (REQUEST_TIMED_OUT after the request's timeout,
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas meanwhile). A partition without an
 * assignment is led here alone: acks=all is done after the local append, as acks=1.
 *
 * <p>Transactional batches are checked with the transaction coordinator before anything is appended
 * ({@link TransactionalProduceCheck}, KIP-890): from v12 (transaction protocol 2) their partitions join the
 * producer's transaction; before, they must have been added with AddPartitionsToTxn, else INVALID_TXN_STATE, as
 * Kafka answers. A transactional batch without a transactional_id in the request, or with no coordinator, is
 * INVALID_TXN_STATE; one of a topic this broker learnt of only after the coordinator was asked is
 * UNKNOWN_TOPIC_OR_PARTITION (retried, and checked then); the coordinator's retriable refusals (a transaction completing, a coordinator loading or moved)
 * become NOT_ENOUGH_REPLICAS, which every client retries, as Kafka does for verification errors. A non-null
 * transactional_id on non-transactional batches is ignored, as Kafka ignores it.
 *
 * <p>Ordered topics ({@code routing.mode=ordered}): the log refuses a keyed record whose key maps to another
 * partition under the topic's current count. That is answered NOT_LEADER_OR_FOLLOWER: Kafka has no code for
 * "wrong partition", and this one is retriable and an invalid-metadata error, so every Kafka client refreshes
 * its metadata on it — Tributary's producer then re-routes the records; Apache Kafka's producer (which never
 * re-partitions a batch) retries the same partition until {@code delivery.timeout.ms}, while records sent after
 * the refresh route correctly (docs/ROUTING.md).
 *
 * <p>Errors carry an {@code error_message} from v8 on, naming the value and the limit or rule broken (Kafka
 * fills it only for record-level validation errors; it is ignorable, so clients of every version accept it).
 * INVALID_RECORD and INVALID_TIMESTAMP about records also list them in {@code record_errors}, each by its index in the
 * batch (in the field Kafka names {@code batch_index}), from the indices the log's exception carries.
 */
public final class ProduceHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final LogManager logs;
    private final ReplicaView replicas;
    private final ProducePurgatory replication;
    private final TransactionalProduceCheck transactions;
    /** The image's leaders for KIP-951 hints, and where brokers listen; both null when no hints are given. */
    private final PartitionLeadership leadership;
    private final BrokerDirectory brokers;

    /** A broker that leads every partition alone (no assignments): acks=all is done after the local append. */
    public ProduceHandler(LogManager logs) {
        this(logs, ReplicaView.SOLE, new ProducePurgatory(ReplicaView.SOLE), null);
    }

    /**
     * @param replicas     which partitions this broker leads, at which epoch, with which ISR
     * @param replication  where acks=all produces of replicated partitions wait for the high watermark
     * @param transactions checks transactional batches against their transaction, or null: they are refused
     */
    public ProduceHandler(LogManager logs, ReplicaView replicas, ProducePurgatory replication,
                          TransactionalProduceCheck transactions) {
        this(logs, replicas, replication, transactions, null, null);
    }

    /**
     * @param leadership who the metadata image says leads each partition, and {@code brokers} where it listens: a
     *                   produce refused NOT_LEADER_OR_FOLLOWER (by {@code replicas}) names that leader in current_leader
     *                   and its endpoint in node_endpoints (v10+, KIP-951) so the client need not refresh metadata;
     *                   null: no hints
     */
    public ProduceHandler(LogManager logs, ReplicaView replicas, ProducePurgatory replication,
                          TransactionalProduceCheck transactions, PartitionLeadership leadership,
                          BrokerDirectory brokers) {
        this.logs = logs;
        this.replicas = replicas;
        this.replication = replication;
        this.transactions = transactions;
        this.leadership = leadership;
        this.brokers = brokers;
    }

    /** KIP-951: on NOT_LEADER_OR_FOLLOWER, the image's leader of {@code partition} and its endpoint on this listener. */
    private void addLeaderHint(RequestContext context, Struct response, Struct out, TopicPartition partition) {
        PartitionLeadership.Verdict verdict = leadership.check(partition, -1);
        if (verdict.error() != ErrorCode.NOT_LEADER_OR_FOLLOWER || verdict.leaderId() < 0) {
            return; // the image has no other leader to point at (yet)
        }
        out.set(PartitionProduceResponse.CURRENT_LEADER, ProduceResponse.LeaderIdAndEpoch.SCHEMA.newStruct()
            .set(ProduceResponse.LeaderIdAndEpoch.LEADER_ID, verdict.leaderId())
            .set(ProduceResponse.LeaderIdAndEpoch.LEADER_EPOCH, verdict.leaderEpoch()));
        brokers.endpoint(verdict.leaderId(), context.listenerName()).ifPresent(node -> {
            boolean listed = response.get(ProduceResponse.NODE_ENDPOINTS).stream()
                .anyMatch(e -> e.get(ProduceResponse.NodeEndpoint.NODE_ID) == node.id());
            if (!listed) {
                response.add(ProduceResponse.NODE_ENDPOINTS)
                    .set(ProduceResponse.NodeEndpoint.NODE_ID, node.id())
                    .set(ProduceResponse.NodeEndpoint.HOST, node.host())
                    .set(ProduceResponse.NodeEndpoint.PORT, node.port())
                    .set(ProduceResponse.NodeEndpoint.RACK, node.rack());
            }
        });
    }

    /**
     * A partition whose answer waits: for {@code log}'s fsync ({@code flushed}, null when none is due) and for the
     * replication of the batch to the ISR ({@code replicated}, acks=all on a replicated partition; null otherwise).
     */
    private record PendingFlush(Struct out, PartitionLog log, CompletableFuture<Void> flushed,
                                CompletableFuture<ErrorCode> replicated) {
        CompletableFuture<?> done() {
            if (flushed == null) {
                return replicated;
            }
            return replicated == null ? flushed : CompletableFuture.allOf(flushed, replicated);
        }
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        String transactionalId = request.get(ProduceRequest.TRANSACTIONAL_ID);
        if (transactions == null || transactionalId == null || transactionalId.isEmpty()) {
            return append(context, request, Verdicts.UNCHECKED);
        }
        // One producer per request is what clients send; each (producer id, epoch) is checked once.
        Map<Long, Map<Short, Set<TopicPartition>>> byProducer = new HashMap<>();
        short version = context.apiVersion();
        for (Struct topicIn : request.get(ProduceRequest.TOPIC_DATA)) {
            TopicMetadata topic = version >= 13 ? logs.topic(topicIn.get(TopicProduceData.TOPIC_ID) == null ? ZERO_UUID
                : topicIn.get(TopicProduceData.TOPIC_ID)) : logs.topic(topicIn.get(TopicProduceData.NAME));
            if (topic == null) {
                continue;
            }
            for (Struct partitionIn : topicIn.get(TopicProduceData.PARTITION_DATA)) {
                ByteBuffer records = partitionIn.get(PartitionProduceData.RECORDS);
                if (records == null || records.remaining() < RecordBatch.HEADER_SIZE) {
                    continue;
                }
                RecordBatch header = RecordBatch.at(records, records.position());
                if (header.isTransactional() && !header.isControlBatch() && header.producerId() >= 0) {
                    byProducer.computeIfAbsent(header.producerId(), p -> new HashMap<>())
                        .computeIfAbsent(header.producerEpoch(), e -> new HashSet<>())
                        .add(new TopicPartition(topic.name(), partitionIn.get(PartitionProduceData.INDEX)));
                }
            }
        }
        if (byProducer.isEmpty()) {
            return append(context, request, new Verdicts(true, Map.of()));
        }
        Map<TopicPartition, ErrorCode> verdicts = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        byProducer.forEach((producerId, epochs) -> epochs.forEach((epoch, partitions) -> checks.add(
            transactions.check(transactionalId, producerId, epoch, partitions, version >= 12)
                .exceptionally(failure -> ErrorCode.UNKNOWN_SERVER_ERROR)
                .thenAccept(error -> partitions.forEach(tp -> verdicts.put(tp, error))))));
        return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0]))
            .thenComposeAsync(ignored -> append(context, request, new Verdicts(true, verdicts)), context.eventLoop());
    }

    /**
     * The transaction coordinator's answers for a request's transactional batches, by partition. {@code asked}: the
     * request names a transactional_id and the coordinator was asked about every transactional batch whose topic this
     * broker knew at that moment; a batch without an answer then belongs to a topic created since (the client learnt
     * of it from metadata a moment before this broker's logs did), not to a producer outside any transaction.
     */
    private record Verdicts(boolean asked, Map<TopicPartition, ErrorCode> byPartition) {
        static final Verdicts UNCHECKED = new Verdicts(false, Map.of());
    }

    /** The produce itself; {@code verdicts}: the coordinator's answer for each transactional batch's partition. */
    private CompletableFuture<ApiResponse> append(RequestContext context, Struct request, Verdicts verdicts) {
        short version = context.apiVersion();
        short acks = request.get(ProduceRequest.ACKS);
        Struct response = ProduceResponse.SCHEMA.newStruct().set(ProduceResponse.THROTTLE_TIME_MS, 0);
        if (acks != 0 && acks != 1 && acks != -1) {
            String message = "acks=" + acks + " is not one of 0, 1 and -1 (all)";
            for (Struct topicIn : request.get(ProduceRequest.TOPIC_DATA)) {
                Struct topicOut = topicOut(response, topicIn, version);
                for (Struct partitionIn : topicIn.get(TopicProduceData.PARTITION_DATA)) {
                    fail(partitionOut(topicOut, partitionIn), version, ErrorCode.INVALID_REQUIRED_ACKS, message, null);
                }
            }
            return CompletableFuture.completedFuture(ApiResponse.of(response));
        }

        List<PendingFlush> flushes = new ArrayList<>();
        String firstError = null;
        for (Struct topicIn : request.get(ProduceRequest.TOPIC_DATA)) {
            Struct topicOut = topicOut(response, topicIn, version);
            TopicMetadata topic;
            ErrorCode unknown;
            String topicLabel;
            if (version >= 13) {
                UUID id = topicIn.get(TopicProduceData.TOPIC_ID);
                topic = id == null || id.equals(ZERO_UUID) ? null : logs.topic(id);
                unknown = ErrorCode.UNKNOWN_TOPIC_ID;
                topicLabel = "topic id " + id;
            } else {
                String name = topicIn.get(TopicProduceData.NAME);
                topic = name == null ? null : logs.topic(name);
                unknown = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                topicLabel = "topic " + name;
            }
            for (Struct partitionIn : topicIn.get(TopicProduceData.PARTITION_DATA)) {
                Struct out = partitionOut(topicOut, partitionIn);
                int index = partitionIn.get(PartitionProduceData.INDEX);
                ByteBuffer records = partitionIn.get(PartitionProduceData.RECORDS);
                PartitionLog partitionLog = null;
                if (topic == null) {
                    fail(out, version, unknown, "Unknown " + topicLabel, null);
                } else if (index < 0 || index >= topic.partitionCount()
                    || (partitionLog = logs.log(new TopicPartition(topic.name(), index))) == null) {
                    fail(out, version, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + topic.name() + " has no partition "
                        + index + " (it has " + topic.partitionCount() + ")", null);
                } else {
                    PendingFlush flush = produce(partitionLog, records, version, out, context.ioExecutor(), acks,
                        request.get(ProduceRequest.TIMEOUT_MS), verdicts);
                    if (flush != null) {
                        flushes.add(flush);
                    }
                    if (leadership != null && version >= 10
                        && out.get(PartitionProduceResponse.ERROR_CODE) == ErrorCode.NOT_LEADER_OR_FOLLOWER.code()) {
                        addLeaderHint(context, response, out, partitionLog.topicPartition());
                    }
                }
                if (firstError == null && out.get(PartitionProduceResponse.ERROR_CODE) != ErrorCode.NONE.code()) {
                    firstError = topicLabel + " partition " + index + ": " + ErrorCode.forCode(out.get(PartitionProduceResponse.ERROR_CODE));
                }
            }
        }

        if (acks == 0) {
            if (firstError != null) {
                return CompletableFuture.failedFuture(new ProduceWithoutAcksFailed(firstError));
            }
            return CompletableFuture.completedFuture(ApiResponse.NONE);
        }
        if (flushes.isEmpty()) {
            return CompletableFuture.completedFuture(ApiResponse.of(response));
        }
        CompletableFuture<?>[] all = flushes.stream().map(PendingFlush::done).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).handle((ignored, failure) -> {
            for (PendingFlush flush : flushes) {
                if (flush.flushed() != null && flush.flushed().isCompletedExceptionally()) {
                    Throwable cause = flush.flushed().handle((v, t) -> t).join();
                    fail(flush.out(), version, ErrorCode.KAFKA_STORAGE_ERROR, "Records of " + flush.log().topicPartition()
                        + " were written but could not be flushed: " + cause, flush.log());
                } else if (flush.replicated() != null && flush.replicated().join() != ErrorCode.NONE) {
                    ErrorCode error = flush.replicated().join();
                    fail(flush.out(), version, error, "Records of " + flush.log().topicPartition() + " were written but not"
                        + " acknowledged by the in-sync replicas: " + error, flush.log());
                }
            }
            return ApiResponse.of(response);
        });
    }

    /**
     * Appends one partition's records and fills its response. Returns the flush the answer must wait for,
     * or null when there is none.
     */
    private PendingFlush produce(PartitionLog partitionLog, ByteBuffer records, short version, Struct out, Executor ioExecutor,
                                 short acks, int timeoutMs, Verdicts verdicts) {
        TopicPartition tp = partitionLog.topicPartition();
        try {
            if (InternalTopics.isInternal(tp.topic())) {
                fail(out, version, ErrorCode.INVALID_TOPIC_EXCEPTION, "Clients may not write to the internal topic " + tp.topic(), partitionLog);
                return null;
            }
            boolean acksAll = acks == -1;
            // min.insync.replicas matters only to a replicated partition; one led alone skips the config lookup
            int minInsync = replicas.isReplicated(tp) ? partitionLog.config().get(LogConfig.MIN_INSYNC_REPLICAS) : 1;
            ErrorCode roleError = replicas.produceCheck(tp, acksAll, minInsync);
            if (roleError != ErrorCode.NONE) {
                fail(out, version, roleError, roleError == ErrorCode.NOT_ENOUGH_REPLICAS
                    ? "The in-sync replicas of " + tp + " are fewer than min.insync.replicas=" + minInsync + "; nothing was written"
                    : "Broker does not lead " + tp, partitionLog);
                return null;
            }
            if (records == null || !records.hasRemaining()) {
                fail(out, version, ErrorCode.INVALID_RECORD, "Produce v" + version + " must carry one record batch for "
                    + tp + ", found none", partitionLog);
                return null;
            }
            ValidatedBatches validated = partitionLog.validate(records);
            Refusal refusal = refusal(validated, version, tp, verdicts);
            if (refusal != null) {
                fail(out, version, refusal.error(), refusal.message(), partitionLog);
                return null;
            }
            int leaderEpoch = replicas.leaderEpoch(tp);
            LeaderAppend outcome = partitionLog.appendAsLeader(validated, leaderEpoch);
            if (outcome.refusal() != null) {
                fail(out, version, errorOf(outcome.refusal().kind(), version), outcome.refusal().message(), partitionLog);
                return null;
            }
            if (outcome.duplicate() != null) {
                BatchMetadata original = outcome.duplicate();
                succeed(out, version, original.firstOffset(), original.logAppendTimeMs(), partitionLog.logStartOffset());
                // The original may still be waiting for its fsync or its replication; its retry must not be acknowledged sooner.
                boolean flushPolicy = partitionLog.config().flushMessages != Long.MAX_VALUE;
                return pending(partitionLog, out, flushPolicy && partitionLog.recoveryPoint() <= original.lastOffset()
                    ? flushBeforeAnswer(partitionLog, ioExecutor) : null, acksAll, leaderEpoch, original.lastOffset(), minInsync,
                    timeoutMs);
            }
            UnflushedAppend appended = outcome.appended();
            succeed(out, version, appended.result().firstOffset(), appended.result().logAppendTimeMs(), appended.result().logStartOffset());
            return pending(partitionLog, out, appended.flushDue() ? flushBeforeAnswer(partitionLog, ioExecutor) : null, acksAll,
                leaderEpoch, appended.result().lastOffset(), minInsync, timeoutMs);

        } catch (MisroutedRecordException e) {
            // Retriable and a metadata error to Kafka's clients: they refresh metadata and retry (see the class comment).
            fail(out, version, ErrorCode.NOT_LEADER_OR_FOLLOWER, e.getMessage(), partitionLog);
        } catch (CorruptRecordException e) {
            fail(out, version, ErrorCode.CORRUPT_MESSAGE, e.getMessage(), partitionLog);
        } catch (InvalidTimestampException e) {
            fail(out, version, ErrorCode.INVALID_TIMESTAMP, e.getMessage(), partitionLog, e.recordErrors());
        } catch (InvalidRecordException e) {
            fail(out, version, ErrorCode.INVALID_RECORD, e.getMessage(), partitionLog, e.recordErrors());
        } catch (RecordTooLargeException e) {
            fail(out, version, ErrorCode.MESSAGE_TOO_LARGE, e.getMessage(), partitionLog);
        } catch (RecordBatchTooLargeException e) {
            fail(out, version, ErrorCode.RECORD_LIST_TOO_LARGE, e.getMessage(), partitionLog);
        } catch (LogStorageException e) {
            log.error("Append to {} failed", tp, e);
            fail(out, version, ErrorCode.KAFKA_STORAGE_ERROR, e.getMessage(), partitionLog);
        } catch (RuntimeException e) {
            log.error("Append to {} failed unexpectedly", tp, e);
            fail(out, version, ErrorCode.UNKNOWN_SERVER_ERROR, e.toString(), partitionLog);
        }
        return null;
    }

    private record Refusal(ErrorCode error, String message) {
    }

    /**
     * What the partition's answer waits for: the fsync (null: none), and for acks=all on a replicated partition the high
     * watermark passing {@code lastOffset} ({@link ProducePurgatory}); null when it waits for nothing.
     */
    private PendingFlush pending(PartitionLog partitionLog, Struct out, CompletableFuture<Void> flushed, boolean acksAll,
                                 int leaderEpoch, long lastOffset, int minInsync, int timeoutMs) {
        TopicPartition tp = partitionLog.topicPartition();
        CompletableFuture<ErrorCode> replicated = acksAll && replicas.isReplicated(tp)
            ? replication.await(tp, leaderEpoch, lastOffset + 1, minInsync, timeoutMs) : null;
        if (replicated != null && replicated.isDone() && replicated.join() == ErrorCode.NONE) {
            replicated = null;
        }
        return flushed == null && replicated == null ? null : new PendingFlush(out, partitionLog, flushed, replicated);
    }

    /** Runs {@code partitionLog}'s fsync on the I/O executor; the partition's answer waits for it. */
    private static CompletableFuture<Void> flushBeforeAnswer(PartitionLog partitionLog, Executor ioExecutor) {
        try {
            return CompletableFuture.runAsync(partitionLog::flush, ioExecutor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new LogStorageException("the broker is stopping", e));
        }
    }

    /** Why a validated append is refused before the producer rules, or null: Kafka's per-request batch rules. */
    private static Refusal refusal(ValidatedBatches validated, short version, TopicPartition tp, Verdicts verdicts) {
        if (validated.batchCount() != 1) {
            return new Refusal(ErrorCode.INVALID_RECORD, "Produce v" + version + " must carry exactly one record batch per partition; "
                + tp + " got " + validated.batchCount());
        }
        // The rules are about what the producer sent, not the form the topic's compression.type stores it in.
        RecordBatch batch = RecordBatch.at(validated.received(), validated.received().position());
        if (batch.isControlBatch()) {
            return new Refusal(ErrorCode.INVALID_RECORD, "Clients may not write control batches (attributes " + batch.attributes() + ") to " + tp);
        }
        if (version < 7 && batch.compressionType() == CompressionType.ZSTD) {
            return new Refusal(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, "zstd needs Produce v7 or later; this request is v" + version);
        }
        if (batch.isTransactional()) {
            ErrorCode verdict = verdicts.byPartition().get(tp);
            if (verdict == null && verdicts.asked()) {
                // retriable: the client sends it again and the next request's check covers the partition
                return new Refusal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Transactional batch of producer " + batch.producerId()
                    + " for " + tp + " not checked with the transaction coordinator: " + tp.topic() + " was not known here yet");
            }
            if (verdict == null) {
                return new Refusal(ErrorCode.INVALID_TXN_STATE, "Transactional batch of producer " + batch.producerId() + " for " + tp
                    + " refused: the request names no transactional_id, so it belongs to no transaction");
            }
            if (verdict != ErrorCode.NONE) {
                ErrorCode answer = switch (verdict) {
                    case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> ErrorCode.INVALID_PRODUCER_EPOCH;
                    case CONCURRENT_TRANSACTIONS, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE ->
                        ErrorCode.NOT_ENOUGH_REPLICAS;
                    case INVALID_PRODUCER_ID_MAPPING, INVALID_TXN_STATE -> ErrorCode.INVALID_TXN_STATE;
                    default -> verdict;
                };
                return new Refusal(answer, "Transactional batch of producer " + batch.producerId() + " epoch " + batch.producerEpoch()
                    + " for " + tp + " refused by the transaction coordinator: " + verdict
                    + (verdict == ErrorCode.INVALID_TXN_STATE ? " (the partition was not added to the transaction)" : ""));
            }
        }
        if (batch.producerId() >= 0 && (batch.producerEpoch() < 0 || batch.baseSequence() < 0)) {
            return new Refusal(ErrorCode.INVALID_RECORD, "Batch of producer " + batch.producerId() + " for " + tp + " has epoch "
                + batch.producerEpoch() + " and base sequence " + batch.baseSequence() + "; an idempotent batch needs both non-negative");
        }
        return null;
    }

    /** The wire code of a producer-rule refusal; UNKNOWN_PRODUCER_ID exists from Produce v5 on. */
    static ErrorCode errorOf(ProducerRefusal.Kind kind, short version) {
        return switch (kind) {
            case FENCED_EPOCH -> ErrorCode.INVALID_PRODUCER_EPOCH;
            case OUT_OF_ORDER_SEQUENCE -> ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case UNKNOWN_PRODUCER -> version >= 5 ? ErrorCode.UNKNOWN_PRODUCER_ID : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case FENCED_COORDINATOR -> ErrorCode.TRANSACTION_COORDINATOR_FENCED; // markers only; produce never sees it
        };
    }

    private static Struct topicOut(Struct response, Struct topicIn, short version) {
        Struct topicOut = response.add(ProduceResponse.RESPONSES);
        if (version >= 13) {
            topicOut.set(TopicProduceResponse.TOPIC_ID, topicIn.get(TopicProduceData.TOPIC_ID));
        } else {
            topicOut.set(TopicProduceResponse.NAME, topicIn.get(TopicProduceData.NAME));
        }
        return topicOut;
    }

    private static Struct partitionOut(Struct topicOut, Struct partitionIn) {
        return topicOut.add(TopicProduceResponse.PARTITION_RESPONSES)
            .set(PartitionProduceResponse.INDEX, partitionIn.get(PartitionProduceData.INDEX));
    }

    private static void succeed(Struct out, short version, long baseOffset, long logAppendTimeMs, long logStartOffset) {
        out.set(PartitionProduceResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(PartitionProduceResponse.BASE_OFFSET, baseOffset)
            .set(PartitionProduceResponse.LOG_APPEND_TIME_MS, logAppendTimeMs);
        if (version >= 5) {
            out.set(PartitionProduceResponse.LOG_START_OFFSET, logStartOffset);
        }
    }

    /** Fills a partition's error; the log start offset is given when the partition exists (clients need it for UNKNOWN_PRODUCER_ID). */
    private static void fail(Struct out, short version, ErrorCode error, String message, PartitionLog partitionLog) {
        fail(out, version, error, message, partitionLog, List.of());
    }

    /**
     * As above, listing {@code recordErrors} (from v8) by the failing record's index within the batch, which Kafka
     * sends in the field it names {@code batch_index}.
     */
    private static void fail(Struct out, short version, ErrorCode error, String message, PartitionLog partitionLog,
                             List<RecordError> recordErrors) {
        out.set(PartitionProduceResponse.ERROR_CODE, error.code())
            .set(PartitionProduceResponse.BASE_OFFSET, -1L)
            .set(PartitionProduceResponse.LOG_APPEND_TIME_MS, -1L);
        if (version >= 5) {
            out.set(PartitionProduceResponse.LOG_START_OFFSET, partitionLog == null ? -1L : partitionLog.logStartOffset());
        }
        if (version >= 8) {
            out.set(PartitionProduceResponse.ERROR_MESSAGE, message);
            for (RecordError recordError : recordErrors) {
                out.add(PartitionProduceResponse.RECORD_ERRORS)
                    .set(BatchIndexAndErrorMessage.BATCH_INDEX, recordError.recordIndex())
                    .set(BatchIndexAndErrorMessage.BATCH_INDEX_ERROR_MESSAGE, recordError.message());
            }
        }
    }

    /**
     * An acks=0 produce had a partition error: there is no response to carry it, so the connection is
     * closed instead, as Kafka does, for the client to notice.
     */
    static final class ProduceWithoutAcksFailed extends RuntimeException {
        ProduceWithoutAcksFailed(String firstError) {
            super("acks=0 produce failed (" + firstError + "); closing the connection as the only way to tell the client",
                null, false, false);
        }
    }
}
