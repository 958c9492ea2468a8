package io.tributary.server.admin;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.CreatePartitionsRequest;
import io.tributary.protocol.message.admin.CreatePartitionsRequest.CreatePartitionsAssignment;
import io.tributary.protocol.message.admin.CreatePartitionsRequest.CreatePartitionsTopic;
import io.tributary.protocol.message.admin.CreatePartitionsResponse;
import io.tributary.protocol.message.admin.CreatePartitionsResponse.CreatePartitionsTopicResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions (key 37, v0-3): grows topics to a larger partition count; existing partitions and
 * their data are untouched. A count not larger than the current one is INVALID_PARTITIONS; a manual
 * assignment must give exactly one replica list per new partition, each being this broker; a topic named
 * twice is refused in both entries; more than {@link ReplicaPlacement#MAX_PARTITIONS_PER_REQUEST} new
 * partitions in all refuse the whole request. validate_only checks and changes nothing. New partitions
 * mean new directories and fsyncs, so the request runs on the I/O executor.
 */
final class CreatePartitionsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(CreatePartitionsHandler.class);

    private final LogManager logs;
    private final ReplicaPlacement placement;

    private final ClusterMetadata cluster;

    CreatePartitionsHandler(LogManager logs, ReplicaPlacement placement, ClusterMetadata cluster) {
        this.cluster = cluster;
        this.logs = logs;
        this.placement = placement;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        boolean validateOnly = request.get(CreatePartitionsRequest.VALIDATE_ONLY);
        List<Struct> topics = request.get(CreatePartitionsRequest.TOPICS);
        Map<String, Integer> occurrences = new HashMap<>();
        long added = 0;
        for (Struct topic : topics) {
            String name = topic.get(CreatePartitionsTopic.NAME);
            occurrences.merge(name, 1, Integer::sum);
            TopicMetadata current = logs.topic(name);
            int count = topic.get(CreatePartitionsTopic.COUNT);
            if (current != null && count > current.partitionCount()) {
                added += count - current.partitionCount();
            }
        }
        ApiError wholeRequest = ApiError.NONE;
        try {
            ReplicaPlacement.checkRequestTotal(added);
        } catch (AdminException e) {
            wholeRequest = ApiError.from(e, "CreatePartitions");
        }
        Struct response = CreatePartitionsResponse.SCHEMA.newStruct();
        for (Struct topic : topics) {
            String name = topic.get(CreatePartitionsTopic.NAME);
            ApiError error = wholeRequest;
            if (!error.isFailure()) {
                try {
                    if (occurrences.get(name) > 1) {
                        throw new AdminException(ErrorCode.INVALID_REQUEST, "Duplicate topic name: " + name + " appears "
                            + occurrences.get(name) + " times in the request");
                    }
                    grow(name, topic.get(CreatePartitionsTopic.COUNT), topic.get(CreatePartitionsTopic.ASSIGNMENTS), validateOnly);
                } catch (RuntimeException e) {
                    error = ApiError.from(e, "Adding partitions to topic " + name);
                }
            }
            response.add(CreatePartitionsResponse.RESULTS)
                .set(CreatePartitionsTopicResult.NAME, name)
                .set(CreatePartitionsTopicResult.ERROR_CODE, error.error().code())
                .set(CreatePartitionsTopicResult.ERROR_MESSAGE, error.message());
        }
        return response;
    }

    private void grow(String name, int count, List<Struct> assignments, boolean validateOnly) {
        TopicMetadata current = logs.topic(name);
        if (current == null) {
            throw TopicConfigEditor.unknownTopic(name);
        }
        int existing = current.partitionCount();
        if (count == existing) {
            throw new AdminException(ErrorCode.INVALID_PARTITIONS, "Topic " + name + " already has " + existing + " partition(s)");
        }
        if (count < existing) {
            throw new AdminException(ErrorCode.INVALID_PARTITIONS, "The topic " + name + " currently has " + existing
                + " partition(s); " + count + " would not be an increase");
        }
        int additional = count - existing;
        if (assignments != null) {
            if (assignments.size() != additional) {
                throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + additional
                    + " additional partition(s) to topic " + name + ", but " + assignments.size() + " assignment(s) were specified");
            }
            for (int i = 0; i < additional; i++) {
                placement.checkReplicas(name, existing + i, assignments.get(i).get(CreatePartitionsAssignment.BROKER_IDS));
            }
        }
        if (!validateOnly) {
            if (cluster != null && cluster.image().topic(name) != null) {
                // through the controller, which places the new replicas; every broker grows its logs on applying it
                ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.GrowTopic(name, count),
                    ClusterMetadata.ADMIN_TIMEOUT).join();
                if (!reply.accepted()) {
                    throw new AdminException(reply.error(), reply.message() == null
                        ? "Growing topic " + name + " to " + count + " partitions refused: " + reply.error() : reply.message());
                }
            } else {
                logs.createPartitions(name, count);
            }
            log.info("Topic {} grew from {} to {} partitions", name, existing, count);
        }
    }
}
