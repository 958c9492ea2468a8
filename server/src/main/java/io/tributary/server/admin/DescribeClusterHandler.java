package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.DescribeClusterRequest;
import io.tributary.protocol.message.metadata.DescribeClusterResponse;
import io.tributary.protocol.message.metadata.DescribeClusterResponse.DescribeClusterBroker;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.cluster.ClusterEndpoints;
import io.tributary.server.cluster.ClusterMetadata;
import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.AdvertisedEndpoints;
import io.tributary.server.metadata.ClusterIdentity;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * DescribeCluster (key 60, v0-2): in a cluster, the registered brokers that are not fenced (with
 * include_fenced_brokers, v2+, the fenced ones as well, marked is_fenced), as Kafka's brokers answer, at their
 * endpoints for the listener the client connected through, and the quorum's controller. Without a quorum this
 * broker is the whole cluster and its controller, never fenced, at the endpoint Metadata advertises to that listener. Only the brokers endpoint type (1) is served: as Kafka's brokers do,
 * a request for controllers (2), or any other type, is answered UNSUPPORTED_ENDPOINT_TYPE. There is no
 * authorizer, so when asked for the cluster's authorized operations every cluster operation is allowed.
 */
final class DescribeClusterHandler implements ApiHandler {
    /** Kafka's endpoint type ids (DescribeCluster v1+). */
    private static final byte BROKERS_ENDPOINT = 1;
    /**
     * Bit set of the AclOperation codes Kafka allows on the CLUSTER resource: ALTER (7), DESCRIBE (8),
     * CLUSTER_ACTION (9), DESCRIBE_CONFIGS (10), ALTER_CONFIGS (11), IDEMPOTENT_WRITE (12), CREATE (5).
     */
    static final int ALL_CLUSTER_OPERATIONS = 1 << 5 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12;

    private final ClusterIdentity identity;
    private final Supplier<AdvertisedEndpoints> advertised;

    private final ClusterMetadata cluster;

    DescribeClusterHandler(ClusterIdentity identity, Supplier<AdvertisedEndpoints> advertised, ClusterMetadata cluster) {
        this.cluster = cluster;
        this.identity = identity;
        this.advertised = advertised;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        Struct response = DescribeClusterResponse.SCHEMA.newStruct()
            .set(DescribeClusterResponse.CLUSTER_ID, identity.clusterId());
        byte endpointType = request.get(DescribeClusterRequest.ENDPOINT_TYPE);
        if (endpointType != BROKERS_ENDPOINT) {
            response.set(DescribeClusterResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE.code())
                .set(DescribeClusterResponse.ERROR_MESSAGE, "Endpoint type " + endpointType + " is not served: this broker "
                    + "answers only for the brokers endpoint type (1); it has no separate controller endpoint");
            return CompletableFuture.completedFuture(ApiResponse.of(response));
        }
        if (cluster != null) {
            // Kafka's answer (KIP-1073): the unfenced brokers, and the fenced ones too (marked) only when a v2+ request
            // sets include_fenced_brokers; the controller the quorum elected
            boolean includeFenced = request.get(DescribeClusterRequest.INCLUDE_FENCED_BROKERS);
            response.set(DescribeClusterResponse.ERROR_CODE, ErrorCode.NONE.code())
                .set(DescribeClusterResponse.CONTROLLER_ID, cluster.controllerId());
            for (BrokerRegistration broker : cluster.image().brokers().values()) {
                if (broker.fenced() && !includeFenced) {
                    continue;
                }
                Endpoint at = ClusterEndpoints.forListener(broker, context.listenerName());
                if (at != null) {
                    response.add(DescribeClusterResponse.BROKERS)
                        .set(DescribeClusterBroker.BROKER_ID, broker.brokerId())
                        .set(DescribeClusterBroker.HOST, at.host())
                        .set(DescribeClusterBroker.PORT, at.port())
                        .set(DescribeClusterBroker.RACK, broker.rack())
                        .set(DescribeClusterBroker.IS_FENCED, broker.fenced());
                }
            }
        } else {
        ServerConfig.Listener endpoint = advertised.get().forListener(context.listenerName());
        response.set(DescribeClusterResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(DescribeClusterResponse.CONTROLLER_ID, identity.nodeId());
        response.add(DescribeClusterResponse.BROKERS)
            .set(DescribeClusterBroker.BROKER_ID, identity.nodeId())
            .set(DescribeClusterBroker.HOST, endpoint.host())
            .set(DescribeClusterBroker.PORT, endpoint.port())
            .set(DescribeClusterBroker.IS_FENCED, false);
        }
        if (request.get(DescribeClusterRequest.INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS)) {
            response.set(DescribeClusterResponse.CLUSTER_AUTHORIZED_OPERATIONS, ALL_CLUSTER_OPERATIONS);
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }
}
