package io.tributary.server.admin;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsRequest;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsRequest.ReassignablePartition;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsRequest.ReassignableTopic;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsResponse;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsResponse.ReassignablePartitionResponse;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsResponse.ReassignableTopicResponse;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsRequest;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsResponse;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsResponse.OngoingPartitionReassignment;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsResponse.OngoingTopicReassignment;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.cluster.ClusterMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * AlterPartitionReassignments (key 45, v0-1) and ListPartitionReassignments (key 46, v0), KIP-455. Altering sends one
 * controller request per partition ({@code Reassignment.alter} decides) and answers once each is applied on this
 * broker: the reassignment has started (or completed, when the target replicas were all in sync already) or was
 * cancelled; moving the data happens afterwards, as the new replicas catch up. Listing reads this broker's image:
 * every partition whose state carries adding or removing replicas, with its whole replica set; unknown topics and
 * partitions not being reassigned are left out, as Kafka does.
 */
final class PartitionReassignmentHandlers {
    private PartitionReassignmentHandlers() {
    }

    static ApiHandler alter(ClusterMetadata cluster) {
        return (context, request) -> alter(cluster, context, request);
    }

    static ApiHandler list(ClusterMetadata cluster) {
        return (context, request) -> CompletableFuture.completedFuture(ApiResponse.of(list(cluster.image(), request)));
    }

    private record Target(String topic, int partition) {
    }

    private static CompletableFuture<ApiResponse> alter(ClusterMetadata cluster, RequestContext context, Struct request) {
        boolean allowRfChange = context.apiVersion() < 1 || request.get(AlterPartitionReassignmentsRequest.ALLOW_REPLICATION_FACTOR_CHANGE);
        Duration timeout = AdminTimeouts.bounded(request.get(AlterPartitionReassignmentsRequest.TIMEOUT_MS));
        MetadataImage image = cluster.image();
        Map<String, List<Map.Entry<Integer, CompletableFuture<ControllerReply>>>> replies = new java.util.LinkedHashMap<>();
        for (Struct topic : request.get(AlterPartitionReassignmentsRequest.TOPICS)) {
            String name = topic.get(ReassignableTopic.NAME);
            TopicImage known = image.topic(name);
            for (Struct partition : topic.get(ReassignableTopic.PARTITIONS)) {
                int index = partition.get(ReassignablePartition.PARTITION_INDEX);
                int[] replicas = partition.get(ReassignablePartition.REPLICAS);
                CompletableFuture<ControllerReply> reply;
                if (known == null || index < 0 || index >= known.partitions().size()) {
                    reply = CompletableFuture.completedFuture(ControllerReply.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "Unable to find partition " + name + "-" + index));
                } else {
                    List<Integer> target = replicas == null ? null : Arrays.stream(replicas).boxed().toList();
                    reply = cluster.sendAndAwait(new ControllerRequest.Reassign(name, index, target, allowRfChange), timeout);
                }
                replies.computeIfAbsent(name, n -> new ArrayList<>()).add(Map.entry(index, reply));
            }
        }
        CompletableFuture<?>[] all = replies.values().stream().flatMap(List::stream).map(Map.Entry::getValue)
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).handle((ignored, failure) -> {
            Struct response = AlterPartitionReassignmentsResponse.SCHEMA.newStruct()
                .set(AlterPartitionReassignmentsResponse.ERROR_CODE, ErrorCode.NONE.code())
                .set(AlterPartitionReassignmentsResponse.ALLOW_REPLICATION_FACTOR_CHANGE, allowRfChange)
                .set(AlterPartitionReassignmentsResponse.RESPONSES, new ArrayList<>());
            replies.forEach((name, partitions) -> {
                Struct topic = response.add(AlterPartitionReassignmentsResponse.RESPONSES)
                    .set(ReassignableTopicResponse.NAME, name)
                    .set(ReassignableTopicResponse.PARTITIONS, new ArrayList<>());
                for (Map.Entry<Integer, CompletableFuture<ControllerReply>> entry : partitions) {
                    ControllerReply reply = entry.getValue().isCompletedExceptionally()
                        ? ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, "No answer from the controller")
                        : entry.getValue().join();
                    topic.add(ReassignableTopicResponse.PARTITIONS)
                        .set(ReassignablePartitionResponse.PARTITION_INDEX, entry.getKey())
                        .set(ReassignablePartitionResponse.ERROR_CODE, reply.error().code())
                        .set(ReassignablePartitionResponse.ERROR_MESSAGE, reply.accepted() ? null
                            : reply.message() != null ? reply.message() : reply.error().toString());
                }
            });
            return ApiResponse.of(response);
        });
    }

    private static Struct list(MetadataImage image, Struct request) {
        List<Struct> named = request.get(ListPartitionReassignmentsRequest.TOPICS);
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (named == null) {
            for (TopicImage topic : image.topics()) {
                List<Integer> all = new ArrayList<>();
                for (int p = 0; p < topic.partitions().size(); p++) {
                    all.add(p);
                }
                wanted.put(topic.name(), all);
            }
        } else {
            for (Struct topic : named) {
                List<Integer> partitions = wanted.computeIfAbsent(topic.get(ListPartitionReassignmentsTopics.NAME),
                    n -> new ArrayList<>());
                for (int p : topic.get(ListPartitionReassignmentsTopics.PARTITION_INDEXES)) {
                    if (!partitions.contains(p)) {
                        partitions.add(p);
                    }
                }
            }
        }
        Struct response = ListPartitionReassignmentsResponse.SCHEMA.newStruct()
            .set(ListPartitionReassignmentsResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(ListPartitionReassignmentsResponse.TOPICS, new ArrayList<>());
        wanted.forEach((name, partitions) -> {
            TopicImage topic = image.topic(name);
            if (topic == null) {
                return;
            }
            Struct answer = null;
            for (int p : partitions) {
                PartitionState state = topic.partition(p);
                if (state == null || !state.isReassigning()) {
                    continue;
                }
                if (answer == null) {
                    answer = response.add(ListPartitionReassignmentsResponse.TOPICS)
                        .set(OngoingTopicReassignment.NAME, name)
                        .set(OngoingTopicReassignment.PARTITIONS, new ArrayList<>());
                }
                answer.add(OngoingTopicReassignment.PARTITIONS)
                    .set(OngoingPartitionReassignment.PARTITION_INDEX, p)
                    .set(OngoingPartitionReassignment.REPLICAS, ints(state.replicas()))
                    .set(OngoingPartitionReassignment.ADDING_REPLICAS, ints(state.addingReplicas()))
                    .set(OngoingPartitionReassignment.REMOVING_REPLICAS, ints(state.removingReplicas()));
            }
        });
        return response;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
