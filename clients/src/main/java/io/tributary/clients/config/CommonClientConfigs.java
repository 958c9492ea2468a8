package io.tributary.clients.config;

import java.util.List;

/**
 * The keys every Tributary client understands: where the cluster is, and how the network layer connects,
 * times out and backs off. Names, meanings and defaults are Kafka's, so an existing client configuration
 * carries over. A client builds its definition as {@code CommonClientConfigs.definition().with(its own keys)}.
 */
public final class CommonClientConfigs {
    private CommonClientConfigs() {
    }

    public static final ConfigKey<List<String>> BOOTSTRAP_SERVERS = ConfigKey.ofList("bootstrap.servers", null, true,
        "host:port pairs", CommonClientConfigs::hostAndPort,
        "Brokers to ask for the cluster's metadata first; after that the client talks to the brokers the metadata names.");

    public static final ConfigKey<String> CLIENT_ID = ConfigKey.ofString("client.id", "",
        "Sent with every request, for the broker's logs; empty means one is generated (producer-1, consumer-group-2, ...).");

    public static final ConfigKey<String> SECURITY_PROTOCOL = ConfigKey.ofChoice("security.protocol", "PLAINTEXT",
        "How to talk to brokers. Only PLAINTEXT exists so far (no TLS, no SASL).", "PLAINTEXT");

    public static final ConfigKey<Integer> REQUEST_TIMEOUT_MS = ConfigKey.ofInt("request.timeout.ms", 30_000, 0, Integer.MAX_VALUE,
        "How long to wait for the answer to a request (counted from when it is queued). A request that runs out fails "
            + "with a TimeoutException and its connection is closed, since answers on it can no longer be matched.");

    public static final ConfigKey<Long> RETRY_BACKOFF_MS = ConfigKey.ofLong("retry.backoff.ms", 100, 0, Long.MAX_VALUE,
        "The first wait before retrying a failed request; doubles per attempt up to retry.backoff.max.ms, with 20% jitter.");

    public static final ConfigKey<Long> RETRY_BACKOFF_MAX_MS = ConfigKey.ofLong("retry.backoff.max.ms", 1000, 0, Long.MAX_VALUE,
        "The longest wait between retries of a failed request.");

    public static final ConfigKey<Long> RECONNECT_BACKOFF_MS = ConfigKey.ofLong("reconnect.backoff.ms", 50, 0, Long.MAX_VALUE,
        "The first wait before reconnecting to a broker after a failed or lost connection; doubles per failure up to "
            + "reconnect.backoff.max.ms, with 20% jitter.");

    public static final ConfigKey<Long> RECONNECT_BACKOFF_MAX_MS = ConfigKey.ofLong("reconnect.backoff.max.ms", 1000, 0, Long.MAX_VALUE,
        "The longest wait before reconnecting to a broker that keeps failing.");

    public static final ConfigKey<Long> SOCKET_CONNECTION_SETUP_TIMEOUT_MS = ConfigKey.ofLong("socket.connection.setup.timeout.ms",
        10_000, 0, Long.MAX_VALUE, "How long a TCP connect may take before it is abandoned.");

    public static final ConfigKey<Long> METADATA_MAX_AGE_MS = ConfigKey.ofLong("metadata.max.age.ms", 300_000, 0, Long.MAX_VALUE,
        "Metadata older than this is refreshed even if nothing went wrong, to see new partitions and brokers.");

    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS = ConfigKey.ofLong("connections.max.idle.ms", 540_000, -1, Long.MAX_VALUE,
        "Connections with nothing in flight for this long are closed; -1 keeps them open.");

    public static final ConfigKey<Integer> SEND_BUFFER_BYTES = ConfigKey.ofInt("send.buffer.bytes", 131_072, -1, Integer.MAX_VALUE,
        "SO_SNDBUF of broker connections; -1 leaves the operating system's default.");

    public static final ConfigKey<Integer> RECEIVE_BUFFER_BYTES = ConfigKey.ofInt("receive.buffer.bytes", 65_536, -1, Integer.MAX_VALUE,
        "SO_RCVBUF of broker connections; -1 leaves the operating system's default.");

    public static final ConfigKey<Integer> MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = ConfigKey.ofInt(
        "max.in.flight.requests.per.connection", 5, 1, Integer.MAX_VALUE,
        "Requests sent on one connection and not yet answered; more wait in the client. Answers come back in order.");

    /** The common keys, for clients to extend with {@link ConfigDef#with}. */
    public static ConfigDef definition() {
        return new ConfigDef().with(BOOTSTRAP_SERVERS, CLIENT_ID, SECURITY_PROTOCOL, REQUEST_TIMEOUT_MS,
            RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS, RECONNECT_BACKOFF_MS, RECONNECT_BACKOFF_MAX_MS,
            SOCKET_CONNECTION_SETUP_TIMEOUT_MS, METADATA_MAX_AGE_MS, CONNECTIONS_MAX_IDLE_MS, SEND_BUFFER_BYTES,
            RECEIVE_BUFFER_BYTES, MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    }

    /** Checks one bootstrap entry: host:port, with a port in [1, 65535]; IPv6 hosts in brackets. */
    static String hostAndPort(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("no port in " + entry);
        }
        int port = Integer.parseInt(entry.substring(colon + 1));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range in " + entry);
        }
        return entry;
    }
}
