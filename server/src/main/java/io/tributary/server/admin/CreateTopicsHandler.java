package io.tributary.server.admin;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.CreateTopicsRequest;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableReplicaAssignment;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableTopic;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableTopicConfig;
import io.tributary.protocol.message.admin.CreateTopicsResponse;
import io.tributary.protocol.message.admin.CreateTopicsResponse.CreatableTopicConfigs;
import io.tributary.protocol.message.admin.CreateTopicsResponse.CreatableTopicResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics (key 19, v2-7). Each topic is checked in Kafka's order (a name given twice, the name, its
 * existence, the manual assignment or the replication factor and partition count, the configs) and then
 * created, so one bad topic never stops the others. With validate_only everything is checked and nothing
 * created. A request that would create more than {@link ReplicaPlacement#MAX_PARTITIONS_PER_REQUEST}
 * partitions in all is refused as a whole, as Kafka's controller does.
 *
 * <p>v5+ answers carry the created topic's partition count, replication factor (always 1) and effective
 * configs; v7+ its id (the zero id under validate_only, since no topic exists). Creating writes and fsyncs
 * the topic metadata and partition directories, so the request runs on the I/O executor.
 */
final class CreateTopicsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(CreateTopicsHandler.class);
    private static final UUID NO_TOPIC_ID = new UUID(0, 0);

    private final LogManager logs;
    private final ReplicaPlacement placement;
    private final ConfigDescriber describer;
    private final int defaultPartitions;

    private final ClusterMetadata cluster;
    private final int defaultReplicationFactor;

    CreateTopicsHandler(LogManager logs, ReplicaPlacement placement, ConfigDescriber describer, int defaultPartitions,
                        ClusterMetadata cluster, int defaultReplicationFactor) {
        this.cluster = cluster;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.logs = logs;
        this.placement = placement;
        this.describer = describer;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(request)), context.ioExecutor());
    }

    private Struct answer(Struct request) {
        boolean validateOnly = request.get(CreateTopicsRequest.VALIDATE_ONLY);
        List<Struct> topics = request.get(CreateTopicsRequest.TOPICS);
        Struct response = CreateTopicsResponse.SCHEMA.newStruct();
        ApiError wholeRequest = ApiError.NONE;
        try {
            ReplicaPlacement.checkRequestTotal(requestedPartitions(topics));
        } catch (AdminException e) {
            wholeRequest = ApiError.from(e, "CreateTopics");
        }
        Map<String, Integer> occurrences = new HashMap<>();
        topics.forEach(t -> occurrences.merge(t.get(CreatableTopic.NAME), 1, Integer::sum));
        for (Struct topic : topics) {
            String name = topic.get(CreatableTopic.NAME);
            Struct result = response.add(CreateTopicsResponse.TOPICS).set(CreatableTopicResult.NAME, name);
            if (wholeRequest.isFailure()) {
                fail(result, wholeRequest);
                continue;
            }
            try {
                int times = occurrences.get(name);
                if (times > 1) {
                    throw new AdminException(ErrorCode.INVALID_REQUEST, "Duplicate topic name: " + name + " appears "
                        + times + " times in the request");
                }
                create(topic, name, validateOnly, result);
            } catch (RuntimeException e) {
                fail(result, ApiError.from(e, "Creating topic " + name));
            }
        }
        return response;
    }

    private void create(Struct topic, String name, boolean validateOnly, Struct result) {
        LogManager.validateTopicName(name);
        if (io.tributary.server.metadata.InternalTopics.isInternal(name)) {
            // Kafka's ControllerApis refuses these too: the broker creates them, with their own configuration (compacted,
            // offsets.topic.num.partitions ...), on the first FindCoordinator; a client-made one would have the defaults
            throw new AdminException(ErrorCode.INVALID_REQUEST, "Creation of internal topic " + name + " is prohibited.");
        }
        if (cluster != null) {
            createThroughController(topic, name, validateOnly, result);
            return;
        }
        if (logs.topic(name) != null) {
            throw new AdminException(ErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        int partitions = partitionCount(topic, name);
        List<ConfigChanges.Entry> entries = new ArrayList<>();
        for (Struct config : topic.get(CreatableTopic.CONFIGS)) {
            entries.add(new ConfigChanges.Entry(config.get(CreatableTopicConfig.NAME), config.get(CreatableTopicConfig.VALUE)));
        }
        Map<String, String> overrides = ConfigChanges.creation(entries);
        LogConfig effective = logs.defaults().withOverrides(overrides);
        UUID topicId = NO_TOPIC_ID;
        if (!validateOnly) {
            TopicMetadata created = logs.createTopic(name, partitions, overrides);
            topicId = created.topicId();
            log.info("Created topic {} (id {}) with {} partition(s) and overrides {}", name, topicId, partitions, overrides);
        }
        result.set(CreatableTopicResult.TOPIC_ID, topicId)
            .set(CreatableTopicResult.ERROR_CODE, ErrorCode.NONE.code())
            .set(CreatableTopicResult.NUM_PARTITIONS, partitions)
            .set(CreatableTopicResult.REPLICATION_FACTOR, 1);
        for (DescribedConfig config : describer.topic(effective)) {
            result.add(CreatableTopicResult.CONFIGS)
                .set(CreatableTopicConfigs.NAME, config.name())
                .set(CreatableTopicConfigs.VALUE, config.value())
                .set(CreatableTopicConfigs.READ_ONLY, config.readOnly())
                .set(CreatableTopicConfigs.CONFIG_SOURCE, config.source().id)
                .set(CreatableTopicConfigs.IS_SENSITIVE, false);
        }
    }

    /**
     * The cluster's way: the request's checks that need no cluster view run here (partition count, configs), the
     * rest on the controller (name taken, replication factor against the live brokers, manual assignment), which
     * places the replicas; validate_only is checked there too and writes nothing.
     */
    private void createThroughController(Struct topic, String name, boolean validateOnly, Struct result) {
        short replicationFactor = topic.get(CreatableTopic.REPLICATION_FACTOR);
        int partitions = partitionCount(topic, name); // the request's own checks, manual assignments included
        List<List<Integer>> assignment = new ArrayList<>();
        List<Struct> assignments = new ArrayList<>(topic.get(CreatableTopic.ASSIGNMENTS));
        assignments.sort(java.util.Comparator.comparingInt(a -> a.get(CreatableReplicaAssignment.PARTITION_INDEX)));
        for (Struct a : assignments) {
            List<Integer> replicas = new ArrayList<>();
            for (int broker : a.get(CreatableReplicaAssignment.BROKER_IDS)) {
                replicas.add(broker);
            }
            assignment.add(replicas);
        }
        short replicas = replicationFactor == -1 ? (short) defaultReplicationFactor : replicationFactor;
        List<ConfigChanges.Entry> entries = new ArrayList<>();
        for (Struct config : topic.get(CreatableTopic.CONFIGS)) {
            entries.add(new ConfigChanges.Entry(config.get(CreatableTopicConfig.NAME), config.get(CreatableTopicConfig.VALUE)));
        }
        Map<String, String> overrides = ConfigChanges.creation(entries);
        LogConfig effective = logs.defaults().withOverrides(overrides);
        ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.CreateTopic(name, null, partitions, replicas,
            overrides, assignment, validateOnly), ClusterMetadata.ADMIN_TIMEOUT).join();
        if (!reply.accepted()) {
            throw new AdminException(reply.error(), reply.message() == null ? "Creating topic " + name + " refused: "
                + reply.error() : reply.message());
        }
        if (!validateOnly) {
            log.info("Created topic {} (id {}) with {} partition(s), replication factor {} and overrides {}", name,
                reply.topicId(), partitions, assignment.isEmpty() ? replicas : assignment.get(0).size(), overrides);
        }
        result.set(CreatableTopicResult.TOPIC_ID, validateOnly ? NO_TOPIC_ID : reply.topicId())
            .set(CreatableTopicResult.ERROR_CODE, ErrorCode.NONE.code())
            .set(CreatableTopicResult.NUM_PARTITIONS, partitions)
            .set(CreatableTopicResult.REPLICATION_FACTOR, assignment.isEmpty() ? replicas : (short) assignment.get(0).size());
        for (DescribedConfig config : describer.topic(effective)) {
            result.add(CreatableTopicResult.CONFIGS)
                .set(CreatableTopicConfigs.NAME, config.name())
                .set(CreatableTopicConfigs.VALUE, config.value())
                .set(CreatableTopicConfigs.READ_ONLY, config.readOnly())
                .set(CreatableTopicConfigs.CONFIG_SOURCE, config.source().id)
                .set(CreatableTopicConfigs.IS_SENSITIVE, false);
        }
    }

    /** The partitions the topic gets: its manual assignment's size, its count, or num.partitions for -1. */
    private int partitionCount(Struct topic, String name) {
        short replicationFactor = topic.get(CreatableTopic.REPLICATION_FACTOR);
        int numPartitions = topic.get(CreatableTopic.NUM_PARTITIONS);
        List<Struct> assignments = topic.get(CreatableTopic.ASSIGNMENTS);
        if (!assignments.isEmpty()) {
            if (replicationFactor != -1) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "A manual partition assignment was specified for topic "
                    + name + ", but replication factor was set to " + replicationFactor + " rather than -1");
            }
            if (numPartitions != -1) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "A manual partition assignment was specified for topic "
                    + name + ", but numPartitions was set to " + numPartitions + " rather than -1");
            }
            boolean[] assigned = new boolean[assignments.size()];
            for (Struct assignment : assignments) {
                int partition = assignment.get(CreatableReplicaAssignment.PARTITION_INDEX);
                if (partition < 0 || partition >= assigned.length) {
                    throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment of topic "
                        + name + " names partition " + partition + "; with " + assigned.length
                        + " assignment(s) the partitions must be 0 to " + (assigned.length - 1));
                }
                if (assigned[partition]) {
                    throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                        "Found multiple manual partition assignments for partition " + partition + " of topic " + name);
                }
                assigned[partition] = true;
                placement.checkReplicas(name, partition, assignment.get(CreatableReplicaAssignment.BROKER_IDS));
            }
            return assignments.size();
        }
        placement.checkReplicationFactor(replicationFactor);
        if (numPartitions == -1) {
            return defaultPartitions;
        }
        if (numPartitions <= 0) {
            throw new AdminException(ErrorCode.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value "
                + numPartitions + " for topic " + name + "; use at least 1, or -1 for the broker default (" + defaultPartitions + ")");
        }
        return numPartitions;
    }

    /** Partitions the whole request asks for, counted as Kafka does before any other check. */
    private long requestedPartitions(List<Struct> topics) {
        long total = 0;
        for (Struct topic : topics) {
            List<Struct> assignments = topic.get(CreatableTopic.ASSIGNMENTS);
            int numPartitions = topic.get(CreatableTopic.NUM_PARTITIONS);
            if (!assignments.isEmpty()) {
                total += assignments.size();
            } else if (numPartitions == -1) {
                total += defaultPartitions;
            } else if (numPartitions > 0) {
                total += numPartitions;
            }
        }
        return total;
    }

    private static void fail(Struct result, ApiError error) {
        result.set(CreatableTopicResult.ERROR_CODE, error.error().code())
            .set(CreatableTopicResult.ERROR_MESSAGE, error.message());
    }
}
