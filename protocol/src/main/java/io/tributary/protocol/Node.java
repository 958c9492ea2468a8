package io.tributary.protocol;

/**
 * A broker as the cluster metadata names it, the same value on both sides of the wire: the broker answers
 * Metadata and FindCoordinator with nodes, the clients connect to them. Bootstrap addresses, known before
 * any metadata, are nodes with negative ids (-1, -2, ...), as in Kafka's clients. Connections are kept per
 * {@link #address()}, so a bootstrap address and the broker it turns out to be share one connection.
 *
 * <p>{@link #NO_NODE} is the one node without an address: what Kafka's responses carry (id -1, host "",
 * port -1) where there is no broker to name, e.g. a coordinator that is not available.
 *
 * @param id   the broker id; negative for a bootstrap address
 * @param host host name or address, as advertised
 * @param port TCP port, 1-65535
 * @param rack the broker's rack, or null
 */
public record Node(int id, String host, int port, String rack) {
    /** Kafka's {@code Node.noNode()}: no broker. */
    public static final Node NO_NODE = new Node(-1, "", -1, null);

    public Node {
        boolean noNode = id == -1 && "".equals(host) && port == -1 && rack == null;
        if (!noNode) {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("Node " + id + " needs a host, got '" + host + "'");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Node " + id + " port " + port + " is outside [1, 65535]");
            }
        }
    }

    public Node(int id, String host, int port) {
        this(id, host, port, null);
    }

    /** "host:port", the key connections are kept under and what error messages name. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    public boolean isBootstrap() {
        return id < 0;
    }

    @Override
    public String toString() {
        return (id < 0 ? "bootstrap " : "node " + id + " ") + address();
    }
}
