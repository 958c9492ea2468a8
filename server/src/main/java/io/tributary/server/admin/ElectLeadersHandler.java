package io.tributary.server.admin;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.ElectLeadersRequest;
import io.tributary.protocol.message.admin.ElectLeadersRequest.TopicPartitions;
import io.tributary.protocol.message.admin.ElectLeadersResponse;
import io.tributary.protocol.message.admin.ElectLeadersResponse.PartitionResult;
import io.tributary.protocol.message.admin.ElectLeadersResponse.ReplicaElectionResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.cluster.ClusterMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ElectLeaders (key 43, v0-2): preferred (v0's only kind) or unclean leader election for the named partitions, or for
 * every partition when {@code topic_partitions} is null, each decided by the controller
 * ({@code LeaderElection.electPreferred} / {@code electUnclean}). Every named partition gets its own result: NONE
 * once the election is applied on this broker, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
 * ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION; an all-partitions request leaves out the partitions whose
 * election was not needed, as Kafka's controller does. A partition named twice is answered once.
 */
final class ElectLeadersHandler implements ApiHandler {
    private final ClusterMetadata cluster;

    ElectLeadersHandler(ClusterMetadata cluster) {
        this.cluster = cluster;
    }

    private record Target(String topic, int partition) {
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        byte electionType = context.apiVersion() >= 1 ? request.get(ElectLeadersRequest.ELECTION_TYPE) : ElectLeadersRequest.PREFERRED;
        boolean unclean = electionType == ElectLeadersRequest.UNCLEAN;
        List<Struct> named = request.get(ElectLeadersRequest.TOPIC_PARTITIONS);
        Duration timeout = AdminTimeouts.bounded(request.get(ElectLeadersRequest.TIMEOUT_MS));
        MetadataImage image = cluster.image();
        List<Target> targets = new ArrayList<>();
        if (named == null) {
            for (TopicImage topic : image.topics()) {
                for (int p = 0; p < topic.partitions().size(); p++) {
                    targets.add(new Target(topic.name(), p));
                }
            }
        } else {
            for (Struct topic : named) {
                for (int p : topic.get(TopicPartitions.PARTITIONS)) {
                    Target target = new Target(topic.get(TopicPartitions.TOPIC), p);
                    if (!targets.contains(target)) {
                        targets.add(target);
                    }
                }
            }
        }
        Map<Target, CompletableFuture<ControllerReply>> replies = new LinkedHashMap<>();
        for (Target target : targets) {
            if (electionType != ElectLeadersRequest.PREFERRED && electionType != ElectLeadersRequest.UNCLEAN) {
                replies.put(target, CompletableFuture.completedFuture(ControllerReply.refused(ErrorCode.INVALID_REQUEST,
                    "Unknown election type " + electionType)));
                continue;
            }
            TopicImage topic = image.topic(target.topic());
            if (topic == null || target.partition() < 0 || target.partition() >= topic.partitions().size()) {
                replies.put(target, CompletableFuture.completedFuture(ControllerReply.refused(
                    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.")));
                continue;
            }
            ControllerRequest election = unclean ? new ControllerRequest.ElectUnclean(target.topic(), target.partition())
                : new ControllerRequest.ElectPreferred(target.topic(), target.partition());
            replies.put(target, cluster.sendAndAwait(election, timeout));
        }
        return CompletableFuture.allOf(replies.values().toArray(CompletableFuture[]::new))
            .handle((ignored, failure) -> ApiResponse.of(answer(replies, named == null)));
    }

    private static Struct answer(Map<Target, CompletableFuture<ControllerReply>> replies, boolean allPartitions) {
        Struct response = ElectLeadersResponse.SCHEMA.newStruct()
            .set(ElectLeadersResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(ElectLeadersResponse.REPLICA_ELECTION_RESULTS, new ArrayList<>());
        Map<String, Struct> byTopic = new LinkedHashMap<>();
        replies.forEach((target, future) -> {
            ControllerReply reply = future.isCompletedExceptionally() ? ControllerReply.refused(
                ErrorCode.REQUEST_TIMED_OUT, "No answer from the controller") : future.join();
            if (allPartitions && reply.error() == ErrorCode.ELECTION_NOT_NEEDED) {
                return;
            }
            Struct topic = byTopic.computeIfAbsent(target.topic(), name -> response
                .add(ElectLeadersResponse.REPLICA_ELECTION_RESULTS)
                .set(ReplicaElectionResult.TOPIC, name)
                .set(ReplicaElectionResult.PARTITION_RESULT, new ArrayList<>()));
            topic.add(ReplicaElectionResult.PARTITION_RESULT)
                .set(PartitionResult.PARTITION_ID, target.partition())
                .set(PartitionResult.ERROR_CODE, reply.error().code())
                .set(PartitionResult.ERROR_MESSAGE, reply.accepted() ? null : message(reply, target));
        });
        return response;
    }

    private static String message(ControllerReply reply, Target target) {
        if (reply.message() != null) {
            return reply.message();
        }
        String partition = target.topic() + "-" + target.partition();
        return switch (reply.error()) {
            case ELECTION_NOT_NEEDED -> "Leader election not needed for topic partition " + partition;
            case PREFERRED_LEADER_NOT_AVAILABLE -> "Failed to elect leader for partition " + partition
                + " under strategy PreferredReplicaPartitionLeaderElectionStrategy";
            case ELIGIBLE_LEADERS_NOT_AVAILABLE -> "Failed to elect leader for partition " + partition
                + " under strategy UncleanLeaderElectionStrategy";
            default -> reply.error().toString();
        };
    }
}
