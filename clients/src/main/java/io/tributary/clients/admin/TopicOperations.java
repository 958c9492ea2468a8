package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.CreatePartitionsRequest;
import io.tributary.protocol.message.admin.CreatePartitionsRequest.CreatePartitionsTopic;
import io.tributary.protocol.message.admin.CreatePartitionsResponse;
import io.tributary.protocol.message.admin.CreatePartitionsResponse.CreatePartitionsTopicResult;
import io.tributary.protocol.message.admin.CreateTopicsRequest;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableTopic;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableTopicConfig;
import io.tributary.protocol.message.admin.CreateTopicsResponse;
import io.tributary.protocol.message.admin.CreateTopicsResponse.CreatableTopicConfigs;
import io.tributary.protocol.message.admin.CreateTopicsResponse.CreatableTopicResult;
import io.tributary.protocol.message.admin.DeleteTopicsRequest;
import io.tributary.protocol.message.admin.DeleteTopicsRequest.DeleteTopicState;
import io.tributary.protocol.message.admin.DeleteTopicsResponse;
import io.tributary.protocol.message.admin.DeleteTopicsResponse.DeletableTopicResult;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseBroker;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponsePartition;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseTopic;
import io.tributary.protocol.message.schema.Struct;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Topics: Metadata (list, describe), CreateTopics, DeleteTopics, CreatePartitions. Each method is one attempt
 * that callers run under {@link AdminContext#retrying}; per-topic errors come back as failed per-topic futures,
 * whole-request failures as a failed future.
 */
final class TopicOperations {
    static final UUID NO_TOPIC_ID = new UUID(0, 0);
    /** Metadata v4 is the first that can refuse auto-creation, which an admin must never trigger. */
    private static final int METADATA_MIN_VERSION = 4;

    private final AdminContext ctx;

    TopicOperations(AdminContext ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ Metadata

    /** Metadata for {@code topics}; null asks for every topic, an empty list for none (brokers only). */
    CompletableFuture<MetadataAnswer> metadata(Collection<String> topics) {
        Struct body = MetadataRequest.SCHEMA.newStruct().set(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION, false);
        if (topics == null) {
            body.set(MetadataRequest.TOPICS, null);
        } else {
            body.set(MetadataRequest.TOPICS, new ArrayList<>());
            for (String name : topics) {
                body.add(MetadataRequest.TOPICS).set(MetadataRequest.MetadataRequestTopic.NAME, name);
            }
        }
        ClientRequest request = ClientRequest.of(ApiKey.METADATA, body).withVersions(METADATA_MIN_VERSION, ApiKey.METADATA.maxVersion());
        return ctx.send(ctx.anyNode(), request).thenApply(this::readMetadata);
    }

    private MetadataAnswer readMetadata(ClientResponse response) {
        Struct body = response.body();
        ErrorCode top = ErrorCode.forCode(body.get(MetadataResponse.ERROR_CODE));
        if (top != ErrorCode.NONE) {
            throw ApiException.of(top, "Metadata request to " + response.node(), null);
        }
        Map<Integer, Node> brokers = new LinkedHashMap<>();
        for (Struct b : body.get(MetadataResponse.BROKERS)) {
            int id = b.get(MetadataResponseBroker.NODE_ID);
            brokers.put(id, new Node(id, b.get(MetadataResponseBroker.HOST), b.get(MetadataResponseBroker.PORT),
                b.get(MetadataResponseBroker.RACK)));
        }
        ctx.learnNodes(brokers.values());
        Map<String, TopicDescription> topics = new LinkedHashMap<>();
        Map<String, ErrorCode> errors = new HashMap<>();
        for (Struct t : body.get(MetadataResponse.TOPICS)) {
            String name = t.get(MetadataResponseTopic.NAME);
            if (name == null) {
                continue;
            }
            ErrorCode error = ErrorCode.forCode(t.get(MetadataResponseTopic.ERROR_CODE));
            if (error != ErrorCode.NONE) {
                errors.put(name, error);
                continue;
            }
            List<PartitionDescription> partitions = new ArrayList<>();
            for (Struct p : t.get(MetadataResponseTopic.PARTITIONS)) {
                int leaderId = p.get(MetadataResponsePartition.LEADER_ID);
                partitions.add(new PartitionDescription(p.get(MetadataResponsePartition.PARTITION_INDEX),
                    leaderId < 0 ? null : brokers.get(leaderId), p.get(MetadataResponsePartition.LEADER_EPOCH),
                    ids(p.get(MetadataResponsePartition.REPLICA_NODES)), ids(p.get(MetadataResponsePartition.ISR_NODES))));
            }
            partitions.sort(Comparator.comparingInt(PartitionDescription::partition));
            topics.put(name, new TopicDescription(name, topicId(t.get(MetadataResponseTopic.TOPIC_ID)),
                t.get(MetadataResponseTopic.IS_INTERNAL), partitions));
        }
        return new MetadataAnswer(body.get(MetadataResponse.CLUSTER_ID), body.get(MetadataResponse.CONTROLLER_ID),
            brokers, topics, errors);
    }

    private static List<Integer> ids(int[] values) {
        List<Integer> ids = new ArrayList<>(values == null ? 0 : values.length);
        if (values != null) {
            for (int v : values) {
                ids.add(v);
            }
        }
        return ids;
    }

    static UUID topicId(UUID id) {
        return id == null || id.equals(NO_TOPIC_ID) ? null : id;
    }

    CompletableFuture<List<TopicListing>> listTopics(boolean includeInternal) {
        return metadata(null).thenApply(answer -> answer.topics().values().stream()
            .filter(t -> includeInternal || !t.internal())
            .map(t -> new TopicListing(t.name(), t.topicId(), t.internal(), t.partitions().size()))
            .sorted(Comparator.comparing(TopicListing::name))
            .toList());
    }

    /**
     * Describes {@code names}. A topic still being created (a retriable error other than unknown topic) fails
     * the attempt so that it is retried; unknown topics fail their own key at once.
     */
    CompletableFuture<Map<String, CompletableFuture<TopicDescription>>> describeTopics(Collection<String> names) {
        return metadata(names).thenApply(answer -> {
            Map<String, CompletableFuture<TopicDescription>> outcomes = new LinkedHashMap<>();
            for (String name : names) {
                TopicDescription d = answer.topics().get(name);
                ErrorCode error = answer.topicErrors().getOrDefault(name, d == null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE);
                if (error.isRetriable() && error != ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                    throw AdminErrors.forTopic(error, "Describing", name, null);
                }
                outcomes.put(name, error == ErrorCode.NONE ? CompletableFuture.completedFuture(d)
                    : CompletableFuture.failedFuture(AdminErrors.forTopic(error, "Describing", name, null)));
            }
            return outcomes;
        });
    }

    // ------------------------------------------------------------------ CreateTopics

    CompletableFuture<Map<String, CompletableFuture<CreatedTopic>>> createTopics(Collection<NewTopic> topics, boolean validateOnly) {
        Struct body = CreateTopicsRequest.SCHEMA.newStruct()
            .set(CreateTopicsRequest.TIMEOUT_MS, (int) Math.min(Integer.MAX_VALUE, ctx.apiTimeoutMs()))
            .set(CreateTopicsRequest.VALIDATE_ONLY, validateOnly)
            .set(CreateTopicsRequest.TOPICS, new ArrayList<>());
        for (NewTopic topic : topics) {
            Struct t = body.add(CreateTopicsRequest.TOPICS)
                .set(CreatableTopic.NAME, topic.name())
                .set(CreatableTopic.NUM_PARTITIONS, topic.partitions())
                .set(CreatableTopic.REPLICATION_FACTOR, topic.replicationFactor())
                .set(CreatableTopic.CONFIGS, new ArrayList<>());
            topic.configs().forEach((name, value) -> t.add(CreatableTopic.CONFIGS)
                .set(CreatableTopicConfig.NAME, name).set(CreatableTopicConfig.VALUE, value));
        }
        return ctx.send(ctx.anyNode(), ClientRequest.of(ApiKey.CREATE_TOPICS, body)).thenApply(response -> {
            Map<String, CompletableFuture<CreatedTopic>> outcomes = new LinkedHashMap<>();
            for (Struct r : response.body().get(CreateTopicsResponse.TOPICS)) {
                String name = r.get(CreatableTopicResult.NAME);
                ErrorCode error = ErrorCode.forCode(r.get(CreatableTopicResult.ERROR_CODE));
                if (error != ErrorCode.NONE) {
                    outcomes.put(name, CompletableFuture.failedFuture(
                        AdminErrors.forTopic(error, "Creating", name, r.get(CreatableTopicResult.ERROR_MESSAGE))));
                    continue;
                }
                Map<String, String> configs = new LinkedHashMap<>();
                List<Struct> described = r.get(CreatableTopicResult.CONFIGS);
                if (described != null) {
                    for (Struct c : described) {
                        configs.put(c.get(CreatableTopicConfigs.NAME), c.get(CreatableTopicConfigs.VALUE));
                    }
                }
                outcomes.put(name, CompletableFuture.completedFuture(new CreatedTopic(name,
                    topicId(r.get(CreatableTopicResult.TOPIC_ID)), r.get(CreatableTopicResult.NUM_PARTITIONS),
                    r.get(CreatableTopicResult.REPLICATION_FACTOR), configs)));
            }
            return outcomes;
        });
    }

    // ------------------------------------------------------------------ DeleteTopics

    CompletableFuture<Map<String, CompletableFuture<Void>>> deleteTopics(Collection<String> names) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, ctx.apiTimeoutMs());
        ClientRequest request = ClientRequest.of(ApiKey.DELETE_TOPICS, version -> {
            Struct body = DeleteTopicsRequest.SCHEMA.newStruct().set(DeleteTopicsRequest.TIMEOUT_MS, timeoutMs);
            if (version >= 6) {
                body.set(DeleteTopicsRequest.TOPICS, new ArrayList<>());
                names.forEach(name -> body.add(DeleteTopicsRequest.TOPICS).set(DeleteTopicState.NAME, name));
            } else {
                body.set(DeleteTopicsRequest.TOPIC_NAMES, List.copyOf(names));
            }
            return body;
        });
        return ctx.send(ctx.anyNode(), request).thenApply(response -> {
            Map<String, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
            for (Struct r : response.body().get(DeleteTopicsResponse.RESPONSES)) {
                String name = r.get(DeletableTopicResult.NAME);
                ErrorCode error = ErrorCode.forCode(r.get(DeletableTopicResult.ERROR_CODE));
                outcomes.put(name, error == ErrorCode.NONE ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(AdminErrors.forTopic(error, "Deleting", name,
                        r.get(DeletableTopicResult.ERROR_MESSAGE))));
            }
            return outcomes;
        });
    }

    // ------------------------------------------------------------------ CreatePartitions

    CompletableFuture<Map<String, CompletableFuture<Void>>> createPartitions(Map<String, Integer> totals, boolean validateOnly) {
        Struct body = CreatePartitionsRequest.SCHEMA.newStruct()
            .set(CreatePartitionsRequest.TIMEOUT_MS, (int) Math.min(Integer.MAX_VALUE, ctx.apiTimeoutMs()))
            .set(CreatePartitionsRequest.VALIDATE_ONLY, validateOnly)
            .set(CreatePartitionsRequest.TOPICS, new ArrayList<>());
        totals.forEach((name, count) -> body.add(CreatePartitionsRequest.TOPICS)
            .set(CreatePartitionsTopic.NAME, name)
            .set(CreatePartitionsTopic.COUNT, count)
            .set(CreatePartitionsTopic.ASSIGNMENTS, null)); // the broker places the new partitions
        return ctx.send(ctx.anyNode(), ClientRequest.of(ApiKey.CREATE_PARTITIONS, body)).thenApply(response -> {
            Map<String, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
            for (Struct r : response.body().get(CreatePartitionsResponse.RESULTS)) {
                String name = r.get(CreatePartitionsTopicResult.NAME);
                ErrorCode error = ErrorCode.forCode(r.get(CreatePartitionsTopicResult.ERROR_CODE));
                outcomes.put(name, error == ErrorCode.NONE ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(AdminErrors.forTopic(error, "Adding partitions to", name,
                        r.get(CreatePartitionsTopicResult.ERROR_MESSAGE))));
            }
            return outcomes;
        });
    }
}
