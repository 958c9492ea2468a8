package io.tributary.clients.config;

import io.tributary.clients.security.ClientSecurity;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigDefinition;
import java.util.List;

/**
 * The keys every Tributary client understands: where the cluster is, and how the network layer connects,
 * times out and backs off. Names, meanings and defaults are Kafka's, so an existing client configuration
 * carries over (the security keys, security.protocol, ssl.* and sasl.*, are {@link ClientSecurity}'s). A client builds its definition as {@code CommonClientConfigs.definition().with(its own keys)}.
 */
public final class CommonClientConfigs {
    private CommonClientConfigs() {
    }

    public static final ConfigKey<List<String>> BOOTSTRAP_SERVERS = ConfigKey.listKey("bootstrap.servers", ConfigKey.ListSyntax.of("host:port pairs").checkedBy(CommonClientConfigs::hostAndPort).nonEmptyList()).required()
        .documentation("Brokers to ask for the cluster's metadata first; after that the client talks to the brokers the metadata names.").build();

    public static final ConfigKey<String> CLIENT_ID = ConfigKey.stringKey("client.id").defaultValue("")
        .documentation("Sent with every request, for the broker's logs; empty means one is generated (producer-1, consumer-group-2, ...).").build();

    /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; declared with the other security keys in {@link ClientSecurity}. */
    public static final ConfigKey<String> SECURITY_PROTOCOL = ClientSecurity.SECURITY_PROTOCOL;

    public static final ConfigKey<Integer> REQUEST_TIMEOUT_MS = ConfigKey.intKey("request.timeout.ms").defaultValue(30_000).inRange(0, Integer.MAX_VALUE)
        .documentation("How long to wait for the answer to a request (counted from when it is queued). A request that runs out fails "
            + "with a TimeoutException and its connection is closed, since answers on it can no longer be matched.").build();

    public static final ConfigKey<Long> RETRY_BACKOFF_MS = ConfigKey.longKey("retry.backoff.ms").defaultValue(100L).inRange(0, Long.MAX_VALUE)
        .documentation("The first wait before retrying a failed request; doubles per attempt up to retry.backoff.max.ms, with 20% jitter.").build();

    public static final ConfigKey<Long> RETRY_BACKOFF_MAX_MS = ConfigKey.longKey("retry.backoff.max.ms").defaultValue(1000L).inRange(0, Long.MAX_VALUE)
        .documentation("The longest wait between retries of a failed request.").build();

    public static final ConfigKey<Long> RECONNECT_BACKOFF_MS = ConfigKey.longKey("reconnect.backoff.ms").defaultValue(50L).inRange(0, Long.MAX_VALUE)
        .documentation("The first wait before reconnecting to a broker after a failed or lost connection; doubles per failure up to "
            + "reconnect.backoff.max.ms, with 20% jitter.").build();

    public static final ConfigKey<Long> RECONNECT_BACKOFF_MAX_MS = ConfigKey.longKey("reconnect.backoff.max.ms").defaultValue(1000L).inRange(0, Long.MAX_VALUE)
        .documentation("The longest wait before reconnecting to a broker that keeps failing.").build();

    public static final ConfigKey<Long> SOCKET_CONNECTION_SETUP_TIMEOUT_MS = ConfigKey.longKey("socket.connection.setup.timeout.ms").defaultValue(10_000L).inRange(0, Long.MAX_VALUE)
        .documentation("How long a TCP connect may take before it is abandoned.").build();

    public static final ConfigKey<Long> METADATA_MAX_AGE_MS = ConfigKey.longKey("metadata.max.age.ms").defaultValue(300_000L).inRange(0, Long.MAX_VALUE)
        .documentation("Metadata older than this is refreshed even if nothing went wrong, to see new partitions and brokers.").build();

    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS = ConfigKey.longKey("connections.max.idle.ms").defaultValue(540_000L).inRange(-1, Long.MAX_VALUE)
        .documentation("Connections with nothing in flight for this long are closed; -1 keeps them open.").build();

    public static final ConfigKey<Integer> SEND_BUFFER_BYTES = ConfigKey.intKey("send.buffer.bytes").defaultValue(131_072).inRange(-1, Integer.MAX_VALUE)
        .documentation("SO_SNDBUF of broker connections; -1 leaves the operating system's default.").build();

    public static final ConfigKey<Integer> RECEIVE_BUFFER_BYTES = ConfigKey.intKey("receive.buffer.bytes").defaultValue(65_536).inRange(-1, Integer.MAX_VALUE)
        .documentation("SO_RCVBUF of broker connections; -1 leaves the operating system's default.").build();

    public static final ConfigKey<Integer> MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = ConfigKey.intKey("max.in.flight.requests.per.connection").defaultValue(5).inRange(1, Integer.MAX_VALUE)
        .documentation("Requests sent on one connection and not yet answered; more wait in the client. Answers come back in order.").build();

    /** The common keys, for clients to extend with {@link ConfigDefinition#with}. */
    public static ConfigDefinition definition() {
        return ConfigDefinition.of(BOOTSTRAP_SERVERS, CLIENT_ID, REQUEST_TIMEOUT_MS,
            RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS, RECONNECT_BACKOFF_MS, RECONNECT_BACKOFF_MAX_MS,
            SOCKET_CONNECTION_SETUP_TIMEOUT_MS, METADATA_MAX_AGE_MS, CONNECTIONS_MAX_IDLE_MS, SEND_BUFFER_BYTES,
            RECEIVE_BUFFER_BYTES, MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION).with(ClientSecurity.keys());
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
