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
}
