package io.tributary.server.api;

import io.tributary.protocol.ApiKey;

import java.util.EnumMap;
import java.util.Map;

/**
 * The handler of each API. An API without a handler is not advertised in ApiVersions, so clients never
 * send it.
 */
public final class ApiDispatcher {
    private final Map<ApiKey, ApiHandler> handlers = new EnumMap<>(ApiKey.class);

    public ApiDispatcher register(ApiKey api, ApiHandler handler) {
        if (handlers.putIfAbsent(api, handler) != null) {
            throw new IllegalStateException("A handler for " + api.title() + " is already registered");
        }
        return this;
    }

    /** The handler, or null when this broker does not serve the API. */
    public ApiHandler handler(ApiKey api) {
        return handlers.get(api);
    }

    public boolean serves(ApiKey api) {
        return handlers.containsKey(api);
    }

    /** Tells every handler (once, even if it serves several APIs) that a connection has closed. */
    public void connectionClosed(String connectionId) {
        handlers.values().stream().distinct().forEach(handler -> handler.connectionClosed(connectionId));
    }
}
