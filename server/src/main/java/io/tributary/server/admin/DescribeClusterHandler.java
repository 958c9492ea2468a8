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
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metadata.AdvertisedEndpoints;
import io.tributary.server.metadata.ClusterIdentity;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * DescribeCluster (key 60, v0-2), by endpoint type (v1+), as Kafka answers it (KafkaApis / ControllerApis
 * handleDescribeCluster):
 * <ul>
 *   <li>brokers (1, the default): the registered brokers that are not fenced (with include_fenced_brokers, v2+, the
 *       fenced ones as well, marked is_fenced) at their endpoints for the listener the client connected through, and
 *       as controller_id a live broker ({@link ClusterMetadata#controllerIdForClients}: Kafka's clients cannot reach a
 *       KRaft controller, so a broker stands for it), -1 when that broker is not among those listed;</li>
 *   <li>controllers (2, KIP-919, what an Admin bootstrapped with {@code bootstrap.controllers} asks): every Tributary
 *       node runs its controller beside its broker and answers controller requests on the broker's listeners, so
 *       this is the quorum's voters at their registered endpoints for the listener, and as controller_id the active
 *       controller (the Ratis leader), -1 when there is none or it is not listed;</li>
 *   <li>any other type: UNSUPPORTED_ENDPOINT_TYPE.</li>
 * </ul>
 * Without a quorum this broker is the whole cluster and its controller, never fenced, at the endpoint Metadata
 * advertises to that listener. There is no authorizer, so when asked for the cluster's authorized operations every
 * cluster operation is allowed.
 */
final class DescribeClusterHandler implements ApiHandler {
    /** Kafka's endpoint type ids (DescribeCluster v1+). */
    private static final byte BROKERS_ENDPOINT = 1;
    private static final byte CONTROLLERS_ENDPOINT = 2;
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
        if (endpointType != BROKERS_ENDPOINT && endpointType != CONTROLLERS_ENDPOINT) {
            response.set(DescribeClusterResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE.code())
                .set(DescribeClusterResponse.ERROR_MESSAGE, "Unsupported endpoint type " + endpointType);
            return CompletableFuture.completedFuture(ApiResponse.of(response));
        }
        response.set(DescribeClusterResponse.ENDPOINT_TYPE, endpointType);
        if (cluster != null) {
            boolean controllers = endpointType == CONTROLLERS_ENDPOINT;
            // include_fenced_brokers (v2+, KIP-1073) is about brokers; a controller is listed whatever its broker's state
            boolean includeFenced = controllers || request.get(DescribeClusterRequest.INCLUDE_FENCED_BROKERS);
            MetadataImage image = cluster.image();
            List<Integer> ids = controllers ? cluster.controllerIds() : List.copyOf(image.brokers().keySet());
            int controllerId = controllers ? cluster.activeControllerId()
                : ClusterMetadata.controllerIdForClients(image, cluster.activeControllerId());
            boolean controllerListed = false;
            for (int id : ids) {
                BrokerRegistration broker = image.broker(id);
                if (broker == null || (broker.fenced() && !includeFenced)) {
                    continue;
                }
                Endpoint at = ClusterEndpoints.forListener(broker, context.listenerName());
                if (at != null) {
                    response.add(DescribeClusterResponse.BROKERS)
                        .set(DescribeClusterBroker.BROKER_ID, broker.brokerId())
                        .set(DescribeClusterBroker.HOST, at.host())
                        .set(DescribeClusterBroker.PORT, at.port())
                        .set(DescribeClusterBroker.RACK, broker.rack())
                        .set(DescribeClusterBroker.IS_FENCED, !controllers && broker.fenced());
                    controllerListed |= broker.brokerId() == controllerId;
                }
            }
            // as Kafka: a controller id the client cannot find among the nodes would only confuse it
            response.set(DescribeClusterResponse.ERROR_CODE, ErrorCode.NONE.code())
                .set(DescribeClusterResponse.CONTROLLER_ID, controllerListed ? controllerId : -1);
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
