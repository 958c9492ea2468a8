package io.tributary.server.metadata;

import io.tributary.protocol.ClientText;
import io.tributary.log.LogManager;
import io.tributary.log.TopicException;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataRequest.MetadataRequestTopic;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseBroker;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponsePartition;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseTopic;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.cluster.ClusterEndpoints;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Metadata: this broker as the only node, leader of every partition (epoch 0), and the requested topics
 * (all of them for a null list, or an empty one before v1) with their ids; {@link InternalTopics} are
 * marked internal. An unknown topic is created
 * when the broker and the request both allow it (num.partitions partitions); creating touches the disk,
 * so such requests are answered from the I/O executor.
 */
public final class MetadataHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(MetadataHandler.class);
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private final LogManager logs;
    private final ClusterIdentity identity;
    private final Supplier<AdvertisedEndpoints> advertised;
    private final boolean autoCreate;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;
    private final ClusterMetadata cluster;
    private final TopicStates states;

    /**
     * @param advertised the endpoints clients are told to use, per listener (a client gets the one it connected
     *                   through); known only once the listeners are bound
     */
    public MetadataHandler(LogManager logs, ClusterIdentity identity, ServerConfig config, Supplier<AdvertisedEndpoints> advertised) {
        this(logs, identity, config, advertised, null);
    }

    /**
     * @param cluster the cluster metadata: brokers, topics and partitions (leader, leader epoch, replicas, ISR,
     *                offline replicas) are answered from its image, and auto-creation goes through its controller;
     *                null: this broker alone leads every local topic
     */
    public MetadataHandler(LogManager logs, ClusterIdentity identity, ServerConfig config, Supplier<AdvertisedEndpoints> advertised,
                           ClusterMetadata cluster) {
        this.cluster = cluster;
        this.defaultReplicationFactor = config.getInt(ServerConfig.DEFAULT_REPLICATION_FACTOR);
        this.logs = logs;
        this.identity = identity;
        this.advertised = advertised;
        this.autoCreate = config.getBoolean(ServerConfig.AUTO_CREATE_TOPICS_ENABLE);
        this.defaultPartitions = config.getInt(ServerConfig.NUM_PARTITIONS);
        this.states = new TopicStates(logs, identity.nodeId(), cluster);
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        short version = context.apiVersion();
        List<Struct> requested = request.get(MetadataRequest.TOPICS);
        boolean all = requested == null || (version == 0 && requested.isEmpty());
        boolean mayCreate = autoCreate && request.get(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION);
        if (!all && mayCreate && requested.stream().anyMatch(this::isUnknownName)) {
            return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(context, requested, false, true)), context.ioExecutor());
        }
        return CompletableFuture.completedFuture(ApiResponse.of(answer(context, requested, all, false)));
    }

    private boolean isUnknownName(Struct topic) {
        String name = topic.get(MetadataRequestTopic.NAME);
        if (name != null && InternalTopics.isInternal(name)) {
            return false; // never auto-created as a plain topic: the broker creates it on the first FindCoordinator
        }
        if (cluster != null) {
            return name != null && cluster.image().topic(name) == null && logs.topic(name) == null;
        }
        return name != null && logs.topic(name) == null;
    }

    private Struct answer(RequestContext context, List<Struct> requested, boolean all, boolean create) {
        if (cluster != null) {
            return answerFromImage(context, requested, all, create);
        }
        Struct response = MetadataResponse.SCHEMA.newStruct();
        ServerConfig.Listener endpoint = advertised.get().forListener(context.listenerName());
        response.add(MetadataResponse.BROKERS)
            .set(MetadataResponseBroker.NODE_ID, identity.nodeId())
            .set(MetadataResponseBroker.HOST, endpoint.host())
            .set(MetadataResponseBroker.PORT, endpoint.port());
        response.set(MetadataResponse.CLUSTER_ID, identity.clusterId());
        response.set(MetadataResponse.CONTROLLER_ID, identity.nodeId());
        TopicStates.View view = states.view();
        if (all) {
            for (String name : view.names()) {
                TopicStates.DescribedTopic topic = view.topic(name);
                if (topic != null) {
                    describe(response.add(MetadataResponse.TOPICS), topic);
                }
            }
            return response;
        }
        for (Struct wanted : requested) {
            Struct out = response.add(MetadataResponse.TOPICS);
            String name = wanted.get(MetadataRequestTopic.NAME);
            UUID id = wanted.get(MetadataRequestTopic.TOPIC_ID);
            TopicMetadata topic = name != null ? logs.topic(name) : id != null && !id.equals(ZERO_UUID) ? logs.topic(id) : null;
            if (topic == null && name != null && create && !InternalTopics.isInternal(name)) {
                topic = createTopic(name, out);
                if (topic == null) {
                    continue;
                }
            }
            if (topic == null) {
                out.set(MetadataResponseTopic.ERROR_CODE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
                out.set(MetadataResponseTopic.NAME, name);
                if (id != null) {
                    out.set(MetadataResponseTopic.TOPIC_ID, id);
                }
                continue;
            }
            describe(out, view.of(topic));
        }
        return response;
    }

    /** Creates an auto-created topic; on refusal, fills {@code out} with the error and returns null. */
    private TopicMetadata createTopic(String name, Struct out) {
        try {
            return logs.createTopic(name, defaultPartitions, Map.of());
        } catch (TopicException e) {
            if (e.reason() == TopicException.Reason.TOPIC_ALREADY_EXISTS) {
                return logs.topic(name); // another request created it first
            }
            out.set(MetadataResponseTopic.ERROR_CODE, (e.reason() == TopicException.Reason.INVALID_TOPIC
                ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).code());
            out.set(MetadataResponseTopic.NAME, name);
            return null;
        } catch (RuntimeException e) {
            log.error("Cannot auto-create topic {}", ClientText.escape(name), e);
            out.set(MetadataResponseTopic.ERROR_CODE, ErrorCode.UNKNOWN_SERVER_ERROR.code());
            out.set(MetadataResponseTopic.NAME, name);
            return null;
        }
    }

    private Struct answerFromImage(RequestContext context, List<Struct> requested, boolean all, boolean create) {
        Struct response = MetadataResponse.SCHEMA.newStruct();
        TopicStates.View view = states.view();
        MetadataImage image = view.image();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced()) {
                continue;
            }
            Endpoint endpoint = ClusterEndpoints.forListener(broker, context.listenerName());
            if (endpoint != null) {
                response.add(MetadataResponse.BROKERS)
                    .set(MetadataResponseBroker.NODE_ID, broker.brokerId())
                    .set(MetadataResponseBroker.HOST, endpoint.host())
                    .set(MetadataResponseBroker.PORT, endpoint.port())
                    .set(MetadataResponseBroker.RACK, broker.rack());
            }
        }
        response.set(MetadataResponse.CLUSTER_ID, identity.clusterId());
        response.set(MetadataResponse.CONTROLLER_ID, cluster.controllerIdForClients()); // a live broker, as Kafka's
        if (all) {
            // the image's topics and those created in the local logs by a caller inside this broker, unknown to the
            // cluster (led here alone)
            for (String name : view.names()) {
                TopicStates.DescribedTopic topic = view.topic(name);
                if (topic != null) {
                    describe(response.add(MetadataResponse.TOPICS), topic);
                }
            }
            return response;
        }
        for (Struct wanted : requested) {
            Struct out = response.add(MetadataResponse.TOPICS);
            String name = wanted.get(MetadataRequestTopic.NAME);
            UUID id = wanted.get(MetadataRequestTopic.TOPIC_ID);
            TopicImage topic = name != null ? image.topic(name) : id != null && !id.equals(ZERO_UUID) ? image.topic(id) : null;
            TopicStates.View seenIn = view;
            if (topic == null && name != null && create && !InternalTopics.isInternal(name) && logs.topic(name) == null) {
                ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.CreateTopic(name, null,
                    defaultPartitions, (short) defaultReplicationFactor, Map.of(), List.of(), false),
                    ClusterMetadata.ADMIN_TIMEOUT).join();
                if (reply.accepted() || reply.error() == ErrorCode.TOPIC_ALREADY_EXISTS) {
                    seenIn = states.view(); // the image that has the topic just created
                    topic = seenIn.image().topic(name);
                } else {
                    out.set(MetadataResponseTopic.ERROR_CODE, (reply.error() == ErrorCode.INVALID_TOPIC_EXCEPTION
                        ? ErrorCode.INVALID_TOPIC_EXCEPTION : reply.error() == ErrorCode.INVALID_REPLICATION_FACTOR
                        ? ErrorCode.INVALID_REPLICATION_FACTOR : ErrorCode.LEADER_NOT_AVAILABLE).code());
                    out.set(MetadataResponseTopic.NAME, name);
                    continue;
                }
            }
            if (topic == null) {
                TopicMetadata local = name != null ? logs.topic(name) : id != null && !id.equals(ZERO_UUID) ? logs.topic(id) : null;
                if (local != null) {
                    describe(out, view.of(local));
                    continue;
                }
                out.set(MetadataResponseTopic.ERROR_CODE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
                out.set(MetadataResponseTopic.NAME, name);
                if (id != null) {
                    out.set(MetadataResponseTopic.TOPIC_ID, id);
                }
                continue;
            }
            describe(out, seenIn.of(topic));
        }
        return response;
    }

    /** One topic; a partition without a leader is LEADER_NOT_AVAILABLE, replicas on fenced brokers offline. */
    private static void describe(Struct out, TopicStates.DescribedTopic topic) {
        out.set(MetadataResponseTopic.ERROR_CODE, ErrorCode.NONE.code());
        out.set(MetadataResponseTopic.NAME, topic.name());
        out.set(MetadataResponseTopic.TOPIC_ID, topic.topicId());
        out.set(MetadataResponseTopic.IS_INTERNAL, topic.isInternal());
        for (int p = 0; p < topic.partitionCount(); p++) {
            TopicStates.DescribedPartition partition = topic.partition(p);
            out.add(MetadataResponseTopic.PARTITIONS)
                .set(MetadataResponsePartition.ERROR_CODE, (partition.hasLeader() ? ErrorCode.NONE
                    : ErrorCode.LEADER_NOT_AVAILABLE).code())
                .set(MetadataResponsePartition.PARTITION_INDEX, p)
                .set(MetadataResponsePartition.LEADER_ID, partition.leader())
                .set(MetadataResponsePartition.LEADER_EPOCH, partition.leaderEpoch())
                .set(MetadataResponsePartition.REPLICA_NODES, partition.replicas())
                .set(MetadataResponsePartition.ISR_NODES, partition.isr())
                .set(MetadataResponsePartition.OFFLINE_REPLICAS, partition.offline());
        }
    }
}
