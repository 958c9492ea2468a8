package io.tributary.groups;

/** A broker endpoint as FindCoordinator reports it: the listener the client reached this broker through. */
public record Node(int nodeId, String host, int port) {
    public Node {
        if (host == null) {
            throw new IllegalArgumentException("Node " + nodeId + " needs a host");
        }
    }
}
