package io.tributary.ops.cluster;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.network.NetworkClient;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.Node;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.schema.Struct;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks one node at a time, with a Metadata request for no topics, which brokers it knows and which controller: a
 * node is ready when it answers naming every node of the cluster and a controller. One network client for all the
 * nodes; every request is bounded by {@link #REQUEST_TIMEOUT_MS}.
 */
final class ClusterProbe implements AutoCloseable {
    static final int REQUEST_TIMEOUT_MS = 5_000;

    /** One node's view: the broker ids it lists and its controller id (-1: none). */
    record View(List<Integer> brokers, int controllerId) {
    }

    private final NetworkClient network;

    ClusterProbe(String bootstrap) {
        this.network = new NetworkClient(ClientConfig.parse(CommonClientConfigs.definition(), Map.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS.name(), bootstrap,
            CommonClientConfigs.REQUEST_TIMEOUT_MS.name(), REQUEST_TIMEOUT_MS)), "tributary-cluster-up");
    }

    /** The node's view, or null when it does not answer (yet). */
    View ask(ClusterLayout.NodeSpec node) {
        Struct request = MetadataRequest.SCHEMA.newStruct().set(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION, false);
        request.set(MetadataRequest.TOPICS, new java.util.ArrayList<>()); // no topics: brokers and controller only
        try {
            Struct response = network.send(new Node(-node.id(), ClusterLayout.HOST, node.kafkaPort()), ApiKey.METADATA, request)
                .get(REQUEST_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
            List<Integer> brokers = response.get(MetadataResponse.BROKERS).stream()
                .map(b -> b.get(MetadataResponse.MetadataResponseBroker.NODE_ID)).sorted().toList();
            return new View(brokers, response.get(MetadataResponse.CONTROLLER_ID));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        network.close();
    }
}
