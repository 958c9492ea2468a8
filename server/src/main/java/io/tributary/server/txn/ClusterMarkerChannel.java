package io.tributary.server.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.server.replica.BrokerDirectory;
import io.tributary.server.replica.LeaderConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The coordinator's markers in a cluster (Kafka's TransactionMarkerChannelManager): each partition's marker goes to the
 * partition's leader as the metadata image names it: this broker's own partitions through the {@link TxnMarkerWriter}
 * directly, every other leader's in one WriteTxnMarkers request (v1) over the inter-broker listener. A partition
 * without a live leader, a connection that fails, or a leader that moved (NOT_LEADER_OR_FOLLOWER) comes back as a
 * retriable code, and the coordinator sends the marker again, to whichever broker leads then.
 *
 * <p>Threads: one sender thread and one blocking connection ({@link LeaderConnection}, the follower fetchers' code) per
 * destination broker, so requests to one broker go in order and a slow broker delays only its own markers. A connection
 * that failed is dropped and opened again on the next request.
 */
public final class ClusterMarkerChannel implements TransactionMarkerChannel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterMarkerChannel.class);
    private static final short VERSION = 1;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 60_000; // above the leader's wait for its followers (TxnMarkerWriter)

    private final int brokerId;
    private final ToIntFunction<TopicPartition> leaderOf;
    private final BrokerDirectory brokers;
    private final TxnMarkerWriter local;
    private final Map<Integer, Sender> senders = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param leaderOf the leader of a partition in this broker's image, -1 when it has none, or this broker's id for a
     *                 partition the image does not know (a topic of this broker alone)
     */
    public ClusterMarkerChannel(int brokerId, ToIntFunction<TopicPartition> leaderOf, BrokerDirectory brokers, TxnMarkerWriter local) {
        this.brokerId = brokerId;
        this.leaderOf = leaderOf;
        this.brokers = brokers;
        this.local = local;
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
        Optional<Node> endpoint = brokers.interBrokerEndpoint(leader);
        if (endpoint.isEmpty() || closed) {
            return CompletableFuture.completedFuture(all(partitions, ErrorCode.NOT_LEADER_OR_FOLLOWER)); // fenced: retried
        }
        Struct request = request(producerId, producerEpoch, commit, coordinatorEpoch, partitions);
        Sender sender = senders.computeIfAbsent(leader, Sender::new);
        CompletableFuture<Map<TopicPartition, ErrorCode>> answer = new CompletableFuture<>();
        try {
            sender.thread.execute(() -> answer.complete(sender.send(endpoint.get(), request, producerId, partitions)));
        } catch (RejectedExecutionException e) {
            answer.complete(all(partitions, ErrorCode.NOT_LEADER_OR_FOLLOWER));
        }
        return answer;
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

    /** One destination broker: its thread and its connection (touched only on that thread). */
    private final class Sender {
        final ExecutorService thread;
        LeaderConnection connection;

        Sender(int leader) {
            this.thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, "txn-markers-to-" + leader);
                t.setDaemon(true);
                return t;
            });
        }

        Map<TopicPartition, ErrorCode> send(Node leader, Struct request, long producerId, Set<TopicPartition> partitions) {
            try {
                if (connection == null || connection.leader().port() != leader.port() || !connection.leader().host().equals(leader.host())) {
                    closeConnection();
                    connection = LeaderConnection.open(leader, "txn-coordinator-" + brokerId, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
                }
                Struct response = connection.call(ApiKey.WRITE_TXN_MARKERS, VERSION, request);
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
            } catch (IOException | RuntimeException e) {
                log.info("WriteTxnMarkers to broker {} failed ({}); the markers are sent again", leader, e.toString());
                closeConnection();
                return all(partitions, ErrorCode.NOT_LEADER_OR_FOLLOWER);
            }
        }

        void closeConnection() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Sender sender : senders.values()) {
            sender.thread.shutdownNow();
            try {
                sender.thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sender.closeConnection();
        }
    }
}
