package io.tributary.server.txn;

import io.tributary.groups.CommitOutcome;
import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupError;
import io.tributary.groups.OffsetCommit;
import io.tributary.groups.TxnOffsetCommit;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.log.producer.ProducerEntry;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest.AddPartitionsToTxnTopic;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnResult;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult;
import io.tributary.protocol.message.txn.DescribeProducersRequest;
import io.tributary.protocol.message.txn.DescribeProducersResponse;
import io.tributary.protocol.message.txn.DescribeTransactionsRequest;
import io.tributary.protocol.message.txn.DescribeTransactionsResponse;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.message.txn.ListTransactionsRequest;
import io.tributary.protocol.message.txn.ListTransactionsResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.group.GroupErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction APIs on the wire, over the {@link TransactionCoordinator}, the group coordinator (TxnOffsetCommit)
 * and the {@link TxnMarkerWriter} (WriteTxnMarkers): AddPartitionsToTxn v0-5, AddOffsetsToTxn v0-4, EndTxn v0-5,
 * WriteTxnMarkers v1-2, TxnOffsetCommit v0-5, DescribeTransactions v0, ListTransactions v0-2, DescribeProducers v0.
 *
 * <p>What depends on the version lives here: PRODUCER_FENCED exists from AddPartitionsToTxn, AddOffsetsToTxn and
 * EndTxn v2 and TxnOffsetCommit v3 (KIP-588), older versions get INVALID_PRODUCER_EPOCH; EndTxn v5+ and
 * TxnOffsetCommit v5+ are transaction protocol version 2 (KIP-890: the epoch bumped at every end, the group's
 * offsets partition added by the commit itself), older ones version 1 (the partition must have been added with
 * AddOffsetsToTxn, else INVALID_TXN_STATE). Every answer hops back to the connection's event loop.
 */
public final class TransactionApis {
    private static final Logger log = LoggerFactory.getLogger(TransactionApis.class);

    private final TransactionCoordinator txns;
    private final GroupCoordinator groups;
    private final TxnMarkerWriter markers;
    private final LogManager logs;

    private TransactionApis(TransactionCoordinator txns, GroupCoordinator groups, TxnMarkerWriter markers, LogManager logs) {
        this.txns = txns;
        this.groups = groups;
        this.markers = markers;
        this.logs = logs;
    }

    public static void register(ApiDispatcher dispatcher, TransactionCoordinator txns, GroupCoordinator groups,
                                TxnMarkerWriter markers, LogManager logs) {
        TransactionApis apis = new TransactionApis(txns, groups, markers, logs);
        dispatcher.register(ApiKey.ADD_PARTITIONS_TO_TXN, (c, r) -> answer(c, apis.addPartitions(r, c.apiVersion())));
        dispatcher.register(ApiKey.ADD_OFFSETS_TO_TXN, (c, r) -> answer(c, apis.addOffsets(r, c.apiVersion())));
        dispatcher.register(ApiKey.END_TXN, (c, r) -> answer(c, apis.endTxn(r, c.apiVersion())));
        dispatcher.register(ApiKey.WRITE_TXN_MARKERS, (c, r) -> answer(c, apis.writeMarkers(r)));
        dispatcher.register(ApiKey.TXN_OFFSET_COMMIT, (c, r) -> answer(c, apis.txnOffsetCommit(r, c.apiVersion())));
        dispatcher.register(ApiKey.DESCRIBE_TRANSACTIONS, (c, r) -> answer(c, apis.describeTransactions(r)));
        dispatcher.register(ApiKey.LIST_TRANSACTIONS, (c, r) -> answer(c, apis.listTransactions(r, c.apiVersion())));
        dispatcher.register(ApiKey.DESCRIBE_PRODUCERS, (c, r) -> answer(c, CompletableFuture.completedFuture(apis.describeProducers(r))));
    }

    private static CompletableFuture<ApiResponse> answer(RequestContext context, CompletableFuture<Struct> body) {
        if (body.isDone()) {
            return body.thenApply(ApiResponse::of);
        }
        return body.thenApplyAsync(ApiResponse::of, context.eventLoop());
    }

    /** PRODUCER_FENCED for versions that know it, INVALID_PRODUCER_EPOCH before (KIP-588). */
    static ErrorCode fenced(ErrorCode error, boolean versionKnowsFenced) {
        return error == ErrorCode.PRODUCER_FENCED && !versionKnowsFenced ? ErrorCode.INVALID_PRODUCER_EPOCH : error;
    }

    private boolean partitionExists(String topic, int partition) {
        TopicMetadata meta = topic == null ? null : logs.topic(topic);
        return meta != null && partition >= 0 && partition < meta.partitionCount();
    }

    // =====================================================================================================
    // AddPartitionsToTxn

    private CompletableFuture<Struct> addPartitions(Struct request, short version) {
        Struct response = AddPartitionsToTxnResponse.SCHEMA.newStruct().set(AddPartitionsToTxnResponse.THROTTLE_TIME_MS, 0);
        if (version < 4) {
            String id = request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID);
            return addOne(id, request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_ID),
                request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_EPOCH),
                request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS), TransactionCoordinator.AddMode.CLIENT, version >= 2)
                .thenApply(results -> {
                    results.forEach((topic, parts) -> writeTopicResult(response.add(AddPartitionsToTxnResponse.RESULTS_BY_TOPIC_V3_AND_BELOW),
                        topic, parts));
                    return response;
                });
        }
        response.set(AddPartitionsToTxnResponse.ERROR_CODE, ErrorCode.NONE.code());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Struct txn : request.get(AddPartitionsToTxnRequest.TRANSACTIONS)) {
            Struct out = response.add(AddPartitionsToTxnResponse.RESULTS_BY_TRANSACTION)
                .set(AddPartitionsToTxnResult.TRANSACTIONAL_ID, txn.get(AddPartitionsToTxnTransaction.TRANSACTIONAL_ID));
            TransactionCoordinator.AddMode mode = txn.get(AddPartitionsToTxnTransaction.VERIFY_ONLY)
                ? TransactionCoordinator.AddMode.VERIFY : TransactionCoordinator.AddMode.IMPLICIT;
            all.add(addOne(txn.get(AddPartitionsToTxnTransaction.TRANSACTIONAL_ID), txn.get(AddPartitionsToTxnTransaction.PRODUCER_ID),
                txn.get(AddPartitionsToTxnTransaction.PRODUCER_EPOCH), txn.get(AddPartitionsToTxnTransaction.TOPICS), mode, true)
                .thenAccept(results -> results.forEach((topic, parts) ->
                    writeTopicResult(out.add(AddPartitionsToTxnResult.TOPIC_RESULTS), topic, parts))));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> response);
    }

    /**
     * One transaction's partitions: an unknown partition is UNKNOWN_TOPIC_OR_PARTITION and the others then
     * OPERATION_NOT_ATTEMPTED, as Kafka answers; otherwise the coordinator's one answer for all.
     */
    private CompletableFuture<Map<String, Map<Integer, ErrorCode>>> addOne(String id, long producerId, short epoch, List<Struct> topics,
                                                                         TransactionCoordinator.AddMode mode, boolean knowsFenced) {
        Map<String, Map<Integer, ErrorCode>> results = new TreeMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        boolean unknown = false;
        for (Struct topic : topics) {
            String name = topic.get(AddPartitionsToTxnTopic.NAME);
            for (int p : topic.get(AddPartitionsToTxnTopic.PARTITIONS)) {
                boolean exists = partitionExists(name, p);
                unknown |= !exists;
                results.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(p, exists ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
                partitions.add(new TopicPartition(name, p));
            }
        }
        if (unknown) {
            results.values().forEach(m -> m.replaceAll((p, e) -> e == ErrorCode.NONE ? ErrorCode.OPERATION_NOT_ATTEMPTED : e));
            return CompletableFuture.completedFuture(results);
        }
        if (id == null || id.isEmpty()) {
            results.values().forEach(m -> m.replaceAll((p, e) -> ErrorCode.INVALID_REQUEST));
            return CompletableFuture.completedFuture(results);
        }
        return txns.addPartitions(id, producerId, epoch, partitions, mode).thenApply(error -> {
            ErrorCode code = fenced(error, knowsFenced);
            results.values().forEach(m -> m.replaceAll((p, e) -> code));
            return results;
        });
    }

    private static void writeTopicResult(Struct out, String topic, Map<Integer, ErrorCode> partitions) {
        out.set(AddPartitionsToTxnTopicResult.NAME, topic);
        partitions.forEach((p, e) -> out.add(AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION)
            .set(AddPartitionsToTxnPartitionResult.PARTITION_INDEX, p)
            .set(AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE, e.code()));
    }

    // =====================================================================================================
    // AddOffsetsToTxn, EndTxn

    private CompletableFuture<Struct> addOffsets(Struct request, short version) {
        String groupId = request.get(AddOffsetsToTxnRequest.GROUP_ID);
        TopicPartition offsets = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(groupId));
        return txns.addPartitions(request.get(AddOffsetsToTxnRequest.TRANSACTIONAL_ID), request.get(AddOffsetsToTxnRequest.PRODUCER_ID),
                request.get(AddOffsetsToTxnRequest.PRODUCER_EPOCH), List.of(offsets), TransactionCoordinator.AddMode.CLIENT)
            .thenApply(error -> AddOffsetsToTxnResponse.SCHEMA.newStruct().set(AddOffsetsToTxnResponse.THROTTLE_TIME_MS, 0)
                .set(AddOffsetsToTxnResponse.ERROR_CODE, fenced(error, version >= 2).code()));
    }

    private CompletableFuture<Struct> endTxn(Struct request, short version) {
        return txns.endTransaction(request.get(EndTxnRequest.TRANSACTIONAL_ID), request.get(EndTxnRequest.PRODUCER_ID),
                request.get(EndTxnRequest.PRODUCER_EPOCH), request.get(EndTxnRequest.COMMITTED), version >= 5)
            .thenApply(result -> {
                Struct response = EndTxnResponse.SCHEMA.newStruct().set(EndTxnResponse.THROTTLE_TIME_MS, 0)
                    .set(EndTxnResponse.ERROR_CODE, fenced(result.error(), version >= 2).code());
                if (version >= 5) {
                    response.set(EndTxnResponse.PRODUCER_ID, result.producerId()).set(EndTxnResponse.PRODUCER_EPOCH, result.producerEpoch());
                }
                return response;
            });
    }

    // =====================================================================================================
    // WriteTxnMarkers

    private CompletableFuture<Struct> writeMarkers(Struct request) {
        Struct response = WriteTxnMarkersResponse.SCHEMA.newStruct();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Struct marker : request.get(WriteTxnMarkersRequest.MARKERS)) {
            long producerId = marker.get(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_ID);
            Struct out = response.add(WriteTxnMarkersResponse.MARKERS).set(WriteTxnMarkersResponse.WritableTxnMarkerResult.PRODUCER_ID, producerId);
            Set<TopicPartition> partitions = new HashSet<>();
            Map<String, List<Integer>> order = new LinkedHashMap<>();
            for (Struct topic : marker.get(WriteTxnMarkersRequest.WritableTxnMarker.TOPICS)) {
                String name = topic.get(WriteTxnMarkersRequest.WritableTxnMarkerTopic.NAME);
                for (int p : topic.get(WriteTxnMarkersRequest.WritableTxnMarkerTopic.PARTITION_INDEXES)) {
                    partitions.add(new TopicPartition(name, p));
                    order.computeIfAbsent(name, n -> new ArrayList<>()).add(p);
                }
            }
            all.add(markers.write(producerId, marker.get(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_EPOCH),
                    marker.get(WriteTxnMarkersRequest.WritableTxnMarker.TRANSACTION_RESULT),
                    marker.get(WriteTxnMarkersRequest.WritableTxnMarker.COORDINATOR_EPOCH), partitions)
                .thenAccept(outcome -> order.forEach((topic, ps) -> {
                    Struct t = out.add(WriteTxnMarkersResponse.WritableTxnMarkerResult.TOPICS)
                        .set(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.NAME, topic);
                    for (int p : ps) {
                        t.add(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.PARTITIONS)
                            .set(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.PARTITION_INDEX, p)
                            .set(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.ERROR_CODE,
                                outcome.getOrDefault(new TopicPartition(topic, p), ErrorCode.UNKNOWN_SERVER_ERROR).code());
                    }
                })));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> response);
    }

    // =====================================================================================================
    // TxnOffsetCommit

    private CompletableFuture<Struct> txnOffsetCommit(Struct request, short version) {
        String id = request.get(TxnOffsetCommitRequest.TRANSACTIONAL_ID);
        String groupId = request.get(TxnOffsetCommitRequest.GROUP_ID);
        long producerId = request.get(TxnOffsetCommitRequest.PRODUCER_ID);
        short epoch = request.get(TxnOffsetCommitRequest.PRODUCER_EPOCH);
        List<OffsetCommit.Topic> topics = new ArrayList<>();
        for (Struct t : request.get(TxnOffsetCommitRequest.TOPICS)) {
            List<OffsetCommit.Partition> partitions = new ArrayList<>();
            for (Struct p : t.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.PARTITIONS)) {
                partitions.add(new OffsetCommit.Partition(p.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.PARTITION_INDEX),
                    p.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.COMMITTED_OFFSET),
                    p.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH),
                    p.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.COMMITTED_METADATA)));
            }
            topics.add(new OffsetCommit.Topic(t.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.NAME), null, partitions));
        }
        OffsetCommit commit = new OffsetCommit(groupId, version >= 3 ? request.get(TxnOffsetCommitRequest.GENERATION_ID) : -1,
            version >= 3 ? request.get(TxnOffsetCommitRequest.MEMBER_ID) : "",
            version >= 3 ? request.get(TxnOffsetCommitRequest.GROUP_INSTANCE_ID) : null, -1, topics);
        TopicPartition offsetsPartition = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(groupId));
        // v5+ (protocol 2) adds the group's partition to the transaction itself; before, AddOffsetsToTxn must have.
        TransactionCoordinator.AddMode mode = version >= 5 ? TransactionCoordinator.AddMode.IMPLICIT : TransactionCoordinator.AddMode.VERIFY;
        CompletableFuture<ErrorCode> joined = id == null || id.isEmpty() ? CompletableFuture.completedFuture(ErrorCode.INVALID_REQUEST)
            : txns.addPartitions(id, producerId, epoch, List.of(offsetsPartition), mode);
        return joined.thenCompose(error -> {
            if (error != ErrorCode.NONE) {
                ErrorCode code = fenced(error == ErrorCode.INVALID_PRODUCER_EPOCH && version >= 3 ? ErrorCode.PRODUCER_FENCED : error,
                    version >= 3);
                log.info("Refusing TxnOffsetCommit v{} of '{}' for group {}: {}", version, id, groupId, code);
                return CompletableFuture.completedFuture(txnOffsetCommitResponse(commit, code, null));
            }
            return groups.txnOffsetCommit(new TxnOffsetCommit(commit, producerId, epoch))
                .thenApply(outcome -> txnOffsetCommitResponse(commit, null, outcome));
        });
    }

    private static Struct txnOffsetCommitResponse(OffsetCommit commit, ErrorCode all, CommitOutcome outcome) {
        Struct response = TxnOffsetCommitResponse.SCHEMA.newStruct().set(TxnOffsetCommitResponse.THROTTLE_TIME_MS, 0);
        for (int t = 0; t < commit.topics().size(); t++) {
            OffsetCommit.Topic topic = commit.topics().get(t);
            Struct out = response.add(TxnOffsetCommitResponse.TOPICS).set(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.NAME, topic.name());
            for (int p = 0; p < topic.partitions().size(); p++) {
                GroupError groupError = outcome == null ? null : outcome.partitionErrors().get(t).get(p);
                ErrorCode code = all != null ? all : groupError == GroupError.NONE ? ErrorCode.NONE : GroupErrors.code(groupError);
                out.add(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.PARTITIONS)
                    .set(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.PARTITION_INDEX, topic.partitions().get(p).partition())
                    .set(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.ERROR_CODE, code.code());
            }
        }
        return response;
    }

    // =====================================================================================================
    // DescribeTransactions, ListTransactions, DescribeProducers

    private CompletableFuture<Struct> describeTransactions(Struct request) {
        Struct response = DescribeTransactionsResponse.SCHEMA.newStruct().set(DescribeTransactionsResponse.THROTTLE_TIME_MS, 0);
        List<CompletableFuture<TransactionCoordinator.Description>> all = new ArrayList<>();
        for (String id : request.get(DescribeTransactionsRequest.TRANSACTIONAL_IDS)) {
            all.add(txns.describe(id));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            for (CompletableFuture<TransactionCoordinator.Description> f : all) {
                TransactionCoordinator.Description d = f.join();
                Struct out = response.add(DescribeTransactionsResponse.TRANSACTION_STATES)
                    .set(DescribeTransactionsResponse.TransactionState.ERROR_CODE, d.error().code())
                    .set(DescribeTransactionsResponse.TransactionState.TRANSACTIONAL_ID, d.transactionalId())
                    .set(DescribeTransactionsResponse.TransactionState.TRANSACTION_STATE, d.error() == ErrorCode.NONE ? d.state().displayName() : "")
                    .set(DescribeTransactionsResponse.TransactionState.TRANSACTION_TIMEOUT_MS, d.timeoutMs())
                    .set(DescribeTransactionsResponse.TransactionState.TRANSACTION_START_TIME_MS, d.startMs())
                    .set(DescribeTransactionsResponse.TransactionState.PRODUCER_ID, d.producerId())
                    .set(DescribeTransactionsResponse.TransactionState.PRODUCER_EPOCH, d.producerEpoch());
                Map<String, List<Integer>> byTopic = new TreeMap<>();
                d.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
                byTopic.forEach((topic, ps) -> out.add(DescribeTransactionsResponse.TransactionState.TOPICS)
                    .set(DescribeTransactionsResponse.TopicData.TOPIC, topic)
                    .set(DescribeTransactionsResponse.TopicData.PARTITIONS, ps.stream().sorted().mapToInt(Integer::intValue).toArray()));
            }
            return response;
        });
    }

    private CompletableFuture<Struct> listTransactions(Struct request, short version) {
        Struct response = ListTransactionsResponse.SCHEMA.newStruct().set(ListTransactionsResponse.THROTTLE_TIME_MS, 0);
        Set<TransactionState> states = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : request.get(ListTransactionsRequest.STATE_FILTERS)) {
            TransactionState state = TransactionState.forDisplayName(name);
            if (state == null) {
                unknown.add(name);
            } else {
                states.add(state);
            }
        }
        Set<Long> producerIds = new HashSet<>();
        for (long id : request.get(ListTransactionsRequest.PRODUCER_ID_FILTERS)) {
            producerIds.add(id);
        }
        long duration = version >= 1 ? request.get(ListTransactionsRequest.DURATION_FILTER) : -1;
        String pattern = version >= 2 ? request.get(ListTransactionsRequest.TRANSACTIONAL_ID_PATTERN) : null;
        response.set(ListTransactionsResponse.UNKNOWN_STATE_FILTERS, unknown);
        if (!unknown.isEmpty() && states.isEmpty()) {
            // only unknown states asked for: nothing can match (Kafka lists nothing, naming them)
            return CompletableFuture.completedFuture(response.set(ListTransactionsResponse.ERROR_CODE, ErrorCode.NONE.code()));
        }
        return txns.list(states, producerIds, duration, pattern).handle((listed, failure) -> {
            if (failure != null) {
                return response.set(ListTransactionsResponse.ERROR_CODE, ErrorCode.INVALID_REQUEST.code());
            }
            response.set(ListTransactionsResponse.ERROR_CODE, ErrorCode.NONE.code());
            for (TransactionCoordinator.Listed l : listed) {
                response.add(ListTransactionsResponse.TRANSACTION_STATES)
                    .set(ListTransactionsResponse.TransactionState.TRANSACTIONAL_ID, l.transactionalId())
                    .set(ListTransactionsResponse.TransactionState.PRODUCER_ID, l.producerId())
                    .set(ListTransactionsResponse.TransactionState.TRANSACTION_STATE, l.state().displayName());
            }
            return response;
        });
    }

    /** The live producers of each partition asked for, from the partition's producer state (Kafka's DescribeProducers). */
    private Struct describeProducers(Struct request) {
        Struct response = DescribeProducersResponse.SCHEMA.newStruct().set(DescribeProducersResponse.THROTTLE_TIME_MS, 0);
        for (Struct topic : request.get(DescribeProducersRequest.TOPICS)) {
            String name = topic.get(DescribeProducersRequest.TopicRequest.NAME);
            Struct out = response.add(DescribeProducersResponse.TOPICS).set(DescribeProducersResponse.TopicResponse.NAME, name);
            for (int p : topic.get(DescribeProducersRequest.TopicRequest.PARTITION_INDEXES)) {
                Struct partition = out.add(DescribeProducersResponse.TopicResponse.PARTITIONS)
                    .set(DescribeProducersResponse.PartitionResponse.PARTITION_INDEX, p);
                PartitionLog partitionLog = partitionExists(name, p) ? logs.log(new TopicPartition(name, p)) : null;
                if (partitionLog == null) {
                    partition.set(DescribeProducersResponse.PartitionResponse.ERROR_CODE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .set(DescribeProducersResponse.PartitionResponse.ERROR_MESSAGE, "Unknown partition " + name + "-" + p);
                    continue;
                }
                partition.set(DescribeProducersResponse.PartitionResponse.ERROR_CODE, ErrorCode.NONE.code());
                for (ProducerEntry entry : partitionLog.producers()) {
                    partition.add(DescribeProducersResponse.PartitionResponse.ACTIVE_PRODUCERS)
                        .set(DescribeProducersResponse.ProducerState.PRODUCER_ID, entry.producerId())
                        .set(DescribeProducersResponse.ProducerState.PRODUCER_EPOCH, (int) entry.epoch())
                        .set(DescribeProducersResponse.ProducerState.LAST_SEQUENCE, entry.lastSeq())
                        .set(DescribeProducersResponse.ProducerState.LAST_TIMESTAMP, entry.lastUpdateMs())
                        .set(DescribeProducersResponse.ProducerState.COORDINATOR_EPOCH, entry.coordinatorEpoch())
                        .set(DescribeProducersResponse.ProducerState.CURRENT_TXN_START_OFFSET, entry.currentTxnFirstOffset());
                }
            }
        }
        return response;
    }
}
