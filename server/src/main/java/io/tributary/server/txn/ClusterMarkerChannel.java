package io.tributary.server.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.server.replica.BrokerDirectory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The coordinator's markers in a cluster (Kafka's TransactionMarkerChannelManager): each partition's marker goes to the
 * partition's leader as the metadata image names it: this broker's own partitions through the {@link TxnMarkerWriter}
 * directly, every other leader's in one WriteTxnMarkers request (v1) over the inter-broker listener. A partition
 * without a live leader, a connection that fails, or a leader that moved (NOT_LEADER_OR_FOLLOWER) comes back as a
 * retriable code, and the coordinator sends the marker again, to whichever broker leads then.
 *
 * <p>Threads: requests go through an {@link InterBrokerSender} (a thread and a connection per destination broker).
 */
public final class ClusterMarkerChannel implements TransactionMarkerChannel, AutoCloseable {
    private static final short VERSION = 1;

    private final int brokerId;
    private final ToIntFunction<TopicPartition> leaderOf;
    private final TxnMarkerWriter local;
    private final InterBrokerSender sender;

    /**
     * @param leaderOf the leader of a partition in this broker's image, -1 when it has none, or this broker's id for a
     *                 partition the image does not know (a topic of this broker alone)
     */
    public ClusterMarkerChannel(int brokerId, ToIntFunction<TopicPartition> leaderOf, BrokerDirectory brokers, TxnMarkerWriter local) {
        this.brokerId = brokerId;
        this.leaderOf = leaderOf;
        this.local = local;
        this.sender = new InterBrokerSender("txn-markers-" + brokerId, brokers);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ErrorCode>> writeMarkers(long producerId, short producerEpoch, boolean commit,
                                                                          int coordinatorEpoch, Set<TopicPartition> partitions) {
        Map<Integer, Set<TopicPartition>> byLeader = new TreeMap<>();
        Map<TopicPartition, ErrorCode> outcome = new ConcurrentHashMap<>();
        for (TopicPartition tp : partitions) {
            int leader = leaderOf.applyAsInt(tp);
            if (leader < 0) {
                outcome.put(tp, ErrorCode.LEADER_NOT_AVAILABLE);
            } else {
                byLeader.computeIfAbsent(leader, l -> new java.util.HashSet<>()).add(tp);
            }
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (Map.Entry<Integer, Set<TopicPartition>> entry : byLeader.entrySet()) {
            Set<TopicPartition> toLeader = entry.getValue();
            CompletableFuture<Map<TopicPartition, ErrorCode>> written = entry.getKey() == brokerId
                ? local.write(producerId, producerEpoch, commit, coordinatorEpoch, toLeader)
                : remote(entry.getKey(), producerId, producerEpoch, commit, coordinatorEpoch, toLeader);
            sends.add(written.handle((result, failure) -> {
                for (TopicPartition tp : toLeader) {
                    ErrorCode error = failure != null || result == null ? ErrorCode.UNKNOWN_SERVER_ERROR
                        : result.getOrDefault(tp, ErrorCode.UNKNOWN_SERVER_ERROR);
                    outcome.put(tp, error);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> Map.copyOf(outcome));
    }

    private CompletableFuture<Map<TopicPartition, ErrorCode>> remote(int leader, long producerId, short producerEpoch, boolean commit,
                                                                     int coordinatorEpoch, Set<TopicPartition> partitions) {
        Struct request = request(producerId, producerEpoch, commit, coordinatorEpoch, partitions);
        // unreachable (fenced, crashed, moved): NOT_LEADER_OR_FOLLOWER, so the coordinator retries with the next leader
        return sender.send(leader, ApiKey.WRITE_TXN_MARKERS, VERSION, request).handle((response, failure) ->
            failure != null ? all(partitions, ErrorCode.NOT_LEADER_OR_FOLLOWER) : outcome(response, producerId));
    }

    private static Map<TopicPartition, ErrorCode> outcome(Struct response, long producerId) {
        Map<TopicPartition, ErrorCode> outcome = new HashMap<>();
        for (Struct result : response.get(WriteTxnMarkersResponse.MARKERS)) {
            if (result.get(WriteTxnMarkersResponse.WritableTxnMarkerResult.PRODUCER_ID) != producerId) {
                continue;
            }
            for (Struct topic : result.get(WriteTxnMarkersResponse.WritableTxnMarkerResult.TOPICS)) {
                String name = topic.get(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.NAME);
                for (Struct p : topic.get(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.PARTITIONS)) {
                    outcome.put(new TopicPartition(name, p.get(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.PARTITION_INDEX)),
                        ErrorCode.forCode(p.get(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.ERROR_CODE)));
                }
            }
        }
        return outcome;
    }

    static Struct request(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch, Set<TopicPartition> partitions) {
        Struct request = WriteTxnMarkersRequest.SCHEMA.newStruct();
        Struct marker = request.add(WriteTxnMarkersRequest.MARKERS)
            .set(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_ID, producerId)
            .set(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_EPOCH, producerEpoch)
            .set(WriteTxnMarkersRequest.WritableTxnMarker.TRANSACTION_RESULT, commit)
            .set(WriteTxnMarkersRequest.WritableTxnMarker.COORDINATOR_EPOCH, coordinatorEpoch);
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.forEach((topic, indexes) -> marker.add(WriteTxnMarkersRequest.WritableTxnMarker.TOPICS)
            .set(WriteTxnMarkersRequest.WritableTxnMarkerTopic.NAME, topic)
            .set(WriteTxnMarkersRequest.WritableTxnMarkerTopic.PARTITION_INDEXES,
                indexes.stream().mapToInt(Integer::intValue).toArray()));
        return request;
    }

    private static Map<TopicPartition, ErrorCode> all(Set<TopicPartition> partitions, ErrorCode error) {
        Map<TopicPartition, ErrorCode> outcome = new HashMap<>();
        partitions.forEach(tp -> outcome.put(tp, error));
        return outcome;
    }

    @Override
    public void close() {
        sender.close();
    }
}
