package io.tributary.server.api;

import io.tributary.protocol.ApiKey;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The handler of each API. An API without a handler is not advertised in ApiVersions, so clients never
 * send it. A handler may be wrapped after registration (authorization, quotas), so cross-cutting checks sit in front of
 * the API without the API's handler knowing; connection-closed notices still go to the handlers as registered.
 */
public final class ApiDispatcher {
    private final Map<ApiKey, ApiHandler> handlers = new EnumMap<>(ApiKey.class);
    /** The handlers as registered, in order, told of closed connections (wrappers are not). */
    private final List<ApiHandler> registered = new ArrayList<>();

    public ApiDispatcher register(ApiKey api, ApiHandler handler) {
        if (handlers.putIfAbsent(api, handler) != null) {
            throw new IllegalStateException("A handler for " + api.title() + " is already registered");
        }
        if (!registered.contains(handler)) {
            registered.add(handler);
        }
        return this;
    }

    /** Puts {@code wrapper}'s result in front of the handler of {@code api}; nothing happens when the API is not served. */
    public ApiDispatcher wrap(ApiKey api, UnaryOperator<ApiHandler> wrapper) {
        handlers.computeIfPresent(api, (key, handler) -> wrapper.apply(handler));
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
        registered.forEach(handler -> handler.connectionClosed(connectionId));
    }
}
