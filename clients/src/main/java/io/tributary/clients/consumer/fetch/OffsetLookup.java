package io.tributary.clients.consumer.fetch;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.RetriableApiException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.NetworkClient;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsPartition;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsTopic;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsPartitionResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tributary.protocol.message.schema.Struct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks partition leaders for offsets by timestamp (ListOffsets): -2 the log start, -1 the log end, otherwise
 * the first record at or after the timestamp. Used to reset positions, for {@code beginningOffsets},
 * {@code endOffsets} and {@code offsetsForTimes}.
 *
 * <p>One request per leader, all answered before the future completes. A partition without a known leader,
 * or a leader that answers with a stale-metadata error, fails the whole lookup with a
 * {@link RetriableApiException} after asking the metadata to refresh; callers retry until their deadline.
 */
public final class OffsetLookup {
    private static final int MIN_VERSION = 2;
    private static final int MAX_VERSION = 11;

    /** An answer: the offset (-1 if no record is that new), its record's timestamp (-1 if unknown), leader epoch. */
    public record ListedOffset(long offset, long timestamp, int leaderEpoch) {
    }

    private final NetworkClient network;
    private final Metadata metadata;
    private final byte isolationLevel;

    public OffsetLookup(NetworkClient network, Metadata metadata, byte isolationLevel) {
        this.network = network;
        this.metadata = metadata;
        this.isolationLevel = isolationLevel;
    }

    public CompletableFuture<Map<TopicPartition, ListedOffset>> list(Map<TopicPartition, Long> timestamps) {
        Cluster cluster = metadata.cluster();
        Map<Node, Map<TopicPartition, Long>> byLeader = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> e : timestamps.entrySet()) {
            Node leader = cluster.leader(e.getKey());
            if (leader == null) {
                metadata.addTopics(List.of(e.getKey().topic()));
                metadata.requestUpdate();
                return CompletableFuture.failedFuture(new RetriableApiException(ErrorCode.LEADER_NOT_AVAILABLE,
                    "No known leader for " + e.getKey() + " yet"));
            }
            byLeader.computeIfAbsent(leader, n -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        List<CompletableFuture<Map<TopicPartition, ListedOffset>>> answers = new ArrayList<>();
        byLeader.forEach((leader, partitions) -> answers.add(send(leader, partitions)));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<TopicPartition, ListedOffset> all = new HashMap<>();
            answers.forEach(a -> all.putAll(a.join()));
            return all;
        });
    }

    private CompletableFuture<Map<TopicPartition, ListedOffset>> send(Node leader, Map<TopicPartition, Long> partitions) {
        Struct request = ListOffsetsRequest.SCHEMA.newStruct()
            .set(ListOffsetsRequest.REPLICA_ID, -1)
            .set(ListOffsetsRequest.ISOLATION_LEVEL, isolationLevel);
        Map<String, Struct> topics = new LinkedHashMap<>();
        partitions.forEach((tp, timestamp) -> topics
            .computeIfAbsent(tp.topic(), name -> request.add(ListOffsetsRequest.TOPICS).set(ListOffsetsTopic.NAME, name))
            .add(ListOffsetsTopic.PARTITIONS)
            .set(ListOffsetsPartition.PARTITION_INDEX, tp.partition())
            .set(ListOffsetsPartition.TIMESTAMP, timestamp));
        return network.send(leader, ClientRequest.of(ApiKey.LIST_OFFSETS, request).withVersions(MIN_VERSION, MAX_VERSION))
            .thenApply(response -> {
                Map<TopicPartition, ListedOffset> result = new HashMap<>();
                for (Struct topic : response.body().get(ListOffsetsResponse.TOPICS)) {
                    String name = topic.get(ListOffsetsTopicResponse.NAME);
                    for (Struct p : topic.get(ListOffsetsTopicResponse.PARTITIONS)) {
                        TopicPartition tp = new TopicPartition(name, p.get(ListOffsetsPartitionResponse.PARTITION_INDEX));
                        ErrorCode error = ErrorCode.forCode(p.get(ListOffsetsPartitionResponse.ERROR_CODE));
                        if (error != ErrorCode.NONE) {
                            String message = "ListOffsets for " + tp + " failed: " + error;
                            if (error.isRetriable()) {
                                metadata.onPartitionError(tp, error);
                                throw new RetriableApiException(error, message);
                            }
                            throw new ApiException(error, message);
                        }
                        result.put(tp, new ListedOffset(p.get(ListOffsetsPartitionResponse.OFFSET),
                            p.get(ListOffsetsPartitionResponse.TIMESTAMP), p.get(ListOffsetsPartitionResponse.LEADER_EPOCH)));
                    }
                }
                return result;
            });
    }
}
