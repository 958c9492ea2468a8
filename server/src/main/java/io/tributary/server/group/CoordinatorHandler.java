package io.tributary.server.group;

import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves one group API by one {@link io.tributary.groups.GroupCoordinator} method and answers with the body
 * that method returns, continuing on the connection's event loop.
 *
 * <p>The coordinator completes its futures on its partition threads, possibly much later (a JoinGroup waits
 * for the rebalance). The answer hops to the event loop so that coordinator threads never encode responses
 * or touch a connection. The hop is made with {@code execute} inside {@code whenComplete}, not with
 * {@code thenApplyAsync(.., eventLoop)}: an event loop that has stopped (the broker is closing, and the
 * coordinator answers its parked requests) rejects the task, and that rejection must not be thrown into the
 * coordinator thread that completed the future. The answer is then completed where it is; the connection is
 * gone and nothing is sent.
 *
 * <p>Buffers: byte fields of the request body are slices of the request frame, which the network layer
 * releases only after the returned future completes; the coordinator copies what it keeps before it
 * completes its own, so nothing here copies.
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
        CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
        Executor eventLoop = context.eventLoop();
        body.whenComplete((response, failure) -> {
            Runnable deliver = () -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(ApiResponse.of(response));
                }
            };
            try {
                eventLoop.execute(deliver);
            } catch (RejectedExecutionException stopped) {
                deliver.run();
            }
        });
        return answer;
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
