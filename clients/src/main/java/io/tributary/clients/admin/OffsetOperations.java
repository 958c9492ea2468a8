package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.UnsupportedVersionException;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets for any set of partitions: Metadata finds each partition's leader, then one request per leader
 * asks for all of that leader's partitions. One attempt per call; callers run it under
 * {@link AdminContext#retrying}. A partition whose leader moved (or has none yet) fails the attempt so it is
 * retried with fresh metadata; a topic or partition that does not exist fails only its own key.
 */
final class OffsetOperations {
    /** Replica id of an ordinary client (not a follower) in ListOffsets. */
    private static final int CONSUMER_REPLICA_ID = -1;
    /** read_uncommitted: as Kafka's AdminClient by default; the same offsets as read_committed on Tributary. */
    private static final int READ_UNCOMMITTED = 0;
    /** The first ListOffsets version that knows the max-timestamp sentinel (KIP-734). */
    private static final short MAX_TIMESTAMP_MIN_VERSION = 7;

    private final AdminContext ctx;
    private final TopicOperations topics;

    OffsetOperations(AdminContext ctx, TopicOperations topics) {
        this.ctx = ctx;
        this.topics = topics;
    }

    CompletableFuture<Map<TopicPartition, CompletableFuture<ListedOffset>>> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        Set<String> names = new HashSet<>();
        specs.keySet().forEach(tp -> names.add(tp.topic()));
        return topics.metadata(names).thenCompose(answer -> {
            Map<TopicPartition, CompletableFuture<ListedOffset>> outcomes = new LinkedHashMap<>();
            Map<Node, Map<TopicPartition, OffsetSpec>> byLeader = new LinkedHashMap<>();
            for (Map.Entry<TopicPartition, OffsetSpec> e : specs.entrySet()) {
                TopicPartition tp = e.getKey();
                ErrorCode topicError = answer.topicErrors().get(tp.topic());
                TopicDescription topic = answer.topics().get(tp.topic());
                if (topic == null || topicError != null) {
                    ErrorCode code = topicError == null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : topicError;
                    if (code.isRetriable() && code != ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                        throw AdminErrors.forPartition(code, "Listing offsets of", tp, null);
                    }
                    outcomes.put(tp, CompletableFuture.failedFuture(AdminErrors.forPartition(code, "Listing offsets of", tp, null)));
                    continue;
                }
                if (tp.partition() >= topic.partitions().size()) {
                    outcomes.put(tp, CompletableFuture.failedFuture(AdminErrors.forPartition(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "Listing offsets of", tp, "topic " + tp.topic() + " has " + topic.partitions().size() + " partition(s)")));
                    continue;
                }
                Node leader = topic.partitions().get(tp.partition()).leader();
                if (leader == null) {
                    throw AdminErrors.forPartition(ErrorCode.LEADER_NOT_AVAILABLE, "Listing offsets of", tp, null);
                }
                byLeader.computeIfAbsent(leader, n -> new LinkedHashMap<>()).put(tp, e.getValue());
            }
            List<CompletableFuture<Map<TopicPartition, CompletableFuture<ListedOffset>>>> parts = new ArrayList<>();
            byLeader.forEach((leader, asked) -> parts.add(ask(leader, asked)));
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
                parts.forEach(p -> outcomes.putAll(p.join()));
                return outcomes;
            });
        });
    }

    private CompletableFuture<Map<TopicPartition, CompletableFuture<ListedOffset>>> ask(Node leader, Map<TopicPartition, OffsetSpec> asked) {
        boolean needsMaxTimestamp = asked.values().stream().anyMatch(s -> s.wireTimestamp() == OffsetSpec.MAX_TIMESTAMP);
        ClientRequest request = ClientRequest.of(ApiKey.LIST_OFFSETS, version -> {
            if (needsMaxTimestamp && version < MAX_TIMESTAMP_MIN_VERSION) {
                throw new UnsupportedVersionException("The max-timestamp offset needs ListOffsets v" + MAX_TIMESTAMP_MIN_VERSION
                    + "+, but " + leader + " speaks at most v" + version);
            }
            Struct body = ListOffsetsRequest.SCHEMA.newStruct()
                .set(ListOffsetsRequest.REPLICA_ID, CONSUMER_REPLICA_ID)
                .set(ListOffsetsRequest.ISOLATION_LEVEL, READ_UNCOMMITTED)
                .set(ListOffsetsRequest.TOPICS, new ArrayList<>());
            if (version >= 10) {
                body.set(ListOffsetsRequest.TIMEOUT_MS, (int) Math.min(Integer.MAX_VALUE, ctx.apiTimeoutMs()));
            }
            Map<String, Struct> byTopic = new LinkedHashMap<>();
            asked.forEach((tp, spec) -> byTopic.computeIfAbsent(tp.topic(), name -> body.add(ListOffsetsRequest.TOPICS)
                    .set(ListOffsetsTopic.NAME, name).set(ListOffsetsTopic.PARTITIONS, new ArrayList<>()))
                .add(ListOffsetsTopic.PARTITIONS)
                .set(ListOffsetsPartition.PARTITION_INDEX, tp.partition())
                .set(ListOffsetsPartition.TIMESTAMP, spec.wireTimestamp()));
            return body;
        });
        return ctx.send(leader, request).thenApply(response -> read(response, asked));
    }

    private static Map<TopicPartition, CompletableFuture<ListedOffset>> read(ClientResponse response, Map<TopicPartition, OffsetSpec> asked) {
        Map<TopicPartition, CompletableFuture<ListedOffset>> outcomes = new LinkedHashMap<>();
        for (Struct t : response.body().get(ListOffsetsResponse.TOPICS)) {
            String name = t.get(ListOffsetsTopicResponse.NAME);
            for (Struct p : t.get(ListOffsetsTopicResponse.PARTITIONS)) {
                TopicPartition tp = new TopicPartition(name, p.get(ListOffsetsPartitionResponse.PARTITION_INDEX));
                if (!asked.containsKey(tp)) {
                    continue;
                }
                ErrorCode error = ErrorCode.forCode(p.get(ListOffsetsPartitionResponse.ERROR_CODE));
                if (error == ErrorCode.NONE) {
                    outcomes.put(tp, CompletableFuture.completedFuture(new ListedOffset(p.get(ListOffsetsPartitionResponse.OFFSET),
                        p.get(ListOffsetsPartitionResponse.TIMESTAMP), p.get(ListOffsetsPartitionResponse.LEADER_EPOCH))));
                } else if (error.isRetriable()) {
                    // The leader moved or is not ready, or (UNKNOWN_TOPIC_OR_PARTITION) has not yet applied the metadata
                    // that made it the leader of a just-created topic: the whole attempt goes again with fresh metadata,
                    // which refuses a partition that really is unknown without asking a leader.
                    throw ApiException.of(error, "Listing offsets of partition " + tp + " at " + response.node(), null);
                } else {
                    outcomes.put(tp, CompletableFuture.failedFuture(AdminErrors.forPartition(error, "Listing offsets of", tp, null)));
                }
            }
        }
        return outcomes;
    }
}
