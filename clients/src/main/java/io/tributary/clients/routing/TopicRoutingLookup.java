package io.tributary.clients.routing;

import io.tributary.protocol.Node;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.NetworkException;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.NetworkClient;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.DescribeConfigsRequest;
import io.tributary.protocol.message.admin.DescribeConfigsRequest.DescribeConfigsResource;
import io.tributary.protocol.message.admin.DescribeConfigsResponse;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResourceResult;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a broker how a topic routes keys: one DescribeConfigs request for the topic's {@code routing.mode} and
 * {@code routing.fences}, sent over a client's own {@link NetworkClient} to its least loaded broker.
 *
 * <p>Design note: the admin client can describe configs too, but it brings its own connections and thread; the
 * producer and the consumer's hold need just these two keys, so they send this one request over a connection they
 * have. It caches nothing: the mode never changes (the broker refuses it), but fences grow, and each caller knows
 * when its copy is stale.
 */
public final class TopicRoutingLookup {
    /** DescribeConfigs resource type of a topic. */
    private static final byte TOPIC_RESOURCE = 2;

    private final NetworkClient network;
    private final Metadata metadata;

    public TopicRoutingLookup(NetworkClient network, Metadata metadata) {
        this.network = network;
        this.metadata = metadata;
    }

    /**
     * The topic's routing as a broker sees it now. Completes on the I/O thread; fails with a
     * {@link io.tributary.clients.errors.RetriableApiException} for UNKNOWN_TOPIC_OR_PARTITION (the topic may not be
     * known to that broker yet) and other retriable codes, an {@link ApiException} for the rest, or a
     * {@link NetworkException} when no broker can be reached now.
     */
    public CompletableFuture<TopicRouting> lookup(String topic) {
        Node node = network.leastLoadedNode(metadata.cluster().nodes());
        if (node == null) {
            return CompletableFuture.failedFuture(new NetworkException("No broker can be reached to describe the routing of "
                + topic + " (all are backing off after failures)"));
        }
        Struct request = DescribeConfigsRequest.SCHEMA.newStruct()
            .set(DescribeConfigsRequest.INCLUDE_SYNONYMS, false)
            .set(DescribeConfigsRequest.INCLUDE_DOCUMENTATION, false);
        request.add(DescribeConfigsRequest.RESOURCES)
            .set(DescribeConfigsResource.RESOURCE_TYPE, TOPIC_RESOURCE)
            .set(DescribeConfigsResource.RESOURCE_NAME, topic)
            .set(DescribeConfigsResource.CONFIGURATION_KEYS, List.of(RoutingMode.CONFIG, RoutingFences.CONFIG));
        return network.send(node, ClientRequest.of(ApiKey.DESCRIBE_CONFIGS, request))
            .thenApply(response -> read(topic, response.body()));
    }

    private static TopicRouting read(String topic, Struct body) {
        for (Struct result : body.get(DescribeConfigsResponse.RESULTS)) {
            if (!topic.equals(result.get(DescribeConfigsResult.RESOURCE_NAME))) {
                continue;
            }
            ErrorCode code = ErrorCode.forCode(result.get(DescribeConfigsResult.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                throw ApiException.of(code, "Describing the routing of topic " + topic, result.get(DescribeConfigsResult.ERROR_MESSAGE));
            }
            RoutingMode mode = RoutingMode.HASH;
            RoutingFences fences = RoutingFences.NONE;
            for (Struct config : result.get(DescribeConfigsResult.CONFIGS)) {
                String value = config.get(DescribeConfigsResourceResult.VALUE);
                String name = config.get(DescribeConfigsResourceResult.NAME);
                if (RoutingMode.CONFIG.equals(name) && value != null) {
                    mode = RoutingMode.forConfigName(value);
                } else if (RoutingFences.CONFIG.equals(name) && value != null) {
                    fences = RoutingFences.parse(value);
                }
            }
            return new TopicRouting(topic, mode, mode == RoutingMode.ORDERED ? fences : RoutingFences.NONE);
        }
        throw new ApiException(ErrorCode.UNKNOWN_SERVER_ERROR, "The broker's DescribeConfigs answer did not mention topic " + topic);
    }
}
