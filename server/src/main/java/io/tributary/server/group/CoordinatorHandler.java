package io.tributary.server.group;

import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one group API by one {@link GroupCoordinatorAdapter} method and answers with the body
 * that method returns, continuing on the connection's event loop.
 *
 * <p>The coordinator completes its futures on its partition threads, possibly much later (a JoinGroup waits
 * for the rebalance); the answer hops to the event loop so that coordinator threads never encode responses
 * or touch a connection. An event loop that has stopped (the broker is closing and the coordinator answers
 * what is parked) rejects the hop; {@code CompletableFuture} then completes the answer exceptionally rather
 * than throwing into the coordinator thread, and the network layer, whose connection is gone, drops it.
 *
 * <p>Buffers: byte fields of the request body are slices of the request frame, which the network layer
 * releases only after the returned future completes; the adapter copies what the coordinator keeps, so
 * nothing here copies.
 */
final class CoordinatorHandler implements ApiHandler {
    /** One coordinator method: the request body in, the response body out. */
    @FunctionalInterface
    interface Call {
        CompletableFuture<Struct> apply(RequestContext context, Struct request);
    }

    private final Call call;

    CoordinatorHandler(Call call) {
        this.call = call;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        CompletableFuture<Struct> body = call.apply(context, request);
        if (body.isDone()) {
            // answered at once (FindCoordinator, or an error found before any hop): we are on the event loop
            return body.thenApply(ApiResponse::of);
        }
        return body.thenApplyAsync(ApiResponse::of, context.eventLoop());
    }

    /** The client's address as Kafka shows it in DescribeGroups ({@code InetAddress.toString()}: "/127.0.0.1"). */
    static String clientHost(RequestContext context) {
        SocketAddress address = context.clientAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().toString() : "/" + inet.getHostString();
        }
        return address == null ? "" : address.toString();
    }
}
