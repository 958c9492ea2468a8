package io.tributary.metadata.quorum;

/**
 * One voter of the metadata quorum, as {@code controller.quorum.voters} lists it: {@code id@host:port}, the port being
 * the Ratis (controller) port, not a Kafka listener.
 */
public record QuorumVoter(int nodeId, String host, int port) {
    public QuorumVoter {
        if (nodeId < 0) {
            throw new IllegalArgumentException("negative node id " + nodeId);
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host for node " + nodeId);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of node " + nodeId + " outside [0, 65535]");
        }
    }

    /**
     * Parses {@code id@host:port} ({@code id@[v6]:port} for an IPv6 address).
     *
     * @throws IllegalArgumentException naming the entry when it is not of that form
     */
    public static QuorumVoter parse(String entry) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("'" + entry + "' is not id@host:port");
        }
        String host = entry.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new QuorumVoter(Integer.parseInt(entry.substring(0, at)), host,
                Integer.parseInt(entry.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "' is not id@host:port", e);
        }
    }

    /** host:port, as Ratis addresses a peer. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return nodeId + "@" + address();
    }
}
