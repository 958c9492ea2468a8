package io.tributary.server.api;

import io.tributary.protocol.message.schema.Struct;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one Kafka API. Called on the connection's event loop with a decoded request; answers now (a
 * completed future) or later (a delayed fetch, a produce waiting on an fsync). Known failures are
 * answered with Kafka error codes in the response; an exceptional future closes the connection.
 */
@FunctionalInterface
public interface ApiHandler {
    CompletableFuture<ApiResponse> handle(RequestContext context, Struct request);

    /**
     * Told on the connection's event loop when a connection closes, so requests of that connection that
     * are waiting (parked fetches) can end now instead of at their deadline. Must not throw.
     */
    default void connectionClosed(String connectionId) {
    }
}
