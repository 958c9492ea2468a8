package io.tributary.server.metadata;

import io.tributary.server.config.ServerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The endpoint each listener advertises, as Kafka answers: a client is told the host and port of the listener it
 * connected through, so clients inside and outside a network boundary (or on TLS and plaintext ports) each get
 * addresses they can reach. advertised.listeners names an endpoint per listener; a listener it does not name
 * advertises its bound address (a configured port 0 as the port actually chosen). Immutable once the listeners are
 * bound.
 */
public final class AdvertisedEndpoints {
    private final Map<String, ServerConfig.Listener> byListener;
    private final ServerConfig.Listener first;

    public AdvertisedEndpoints(Map<String, ServerConfig.Listener> byListener) {
        if (byListener.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        this.byListener = new LinkedHashMap<>(byListener);
        this.first = byListener.values().iterator().next();
    }

    /** One endpoint for every listener (a broker with one listener, tests). */
    public static AdvertisedEndpoints single(ServerConfig.Listener endpoint) {
        return new AdvertisedEndpoints(Map.of("PLAINTEXT", endpoint));
    }

    /** The endpoint advertised to clients of {@code listenerName}; the first listener's for a name not bound here. */
    public ServerConfig.Listener forListener(String listenerName) {
        ServerConfig.Listener endpoint = byListener.get(listenerName);
        return endpoint != null ? endpoint : first;
    }

    @Override
    public String toString() {
        return byListener.toString();
    }
}
