package io.tributary.clients.admin;

import io.tributary.protocol.Node;

import java.util.List;

/**
 * The cluster as DescribeCluster answers: its id, the brokers and the controller.
 *
 * @param controller the broker acting as controller, or null if the answer named none
 */
public record ClusterDescription(String clusterId, List<Node> nodes, Node controller) {
    public ClusterDescription {
        nodes = List.copyOf(nodes);
    }
}
