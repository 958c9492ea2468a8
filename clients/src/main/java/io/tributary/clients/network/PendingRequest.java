package io.tributary.clients.network;

import io.tributary.protocol.Node;

import java.util.concurrent.CompletableFuture;

/** A request from the moment it is submitted until it is answered or failed; touched only by the I/O thread. */
final class PendingRequest {
    final Node node;
    final ClientRequest request;
    final CompletableFuture<ClientResponse> future;
    final long deadlineNanos;
    /** Set when the request is encoded. */
    short version = -1;
    int correlationId;

    PendingRequest(Node node, ClientRequest request, CompletableFuture<ClientResponse> future, long deadlineNanos) {
        this.node = node;
        this.request = request;
        this.future = future;
        this.deadlineNanos = deadlineNanos;
    }

    String describe() {
        return request.api().title() + (version >= 0 ? " v" + version : "") + " to " + node;
    }
}
