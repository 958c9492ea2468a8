/**
 * The clients' connection layer: {@link io.tributary.clients.network.NetworkClient}, a non-blocking
 * java.nio client with one I/O thread, one connection per broker address, ApiVersions negotiation on
 * connect, bounded in-flight requests answered in order, request and connect timeouts, reconnect backoff
 * and idle-connection closing. No Netty: the clients jar stays small.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * NetworkClient network = new NetworkClient(config, "consumer-1");
 *
 * // a body valid in every version: the answer's body
 * CompletableFuture<Struct> f = network.send(node, ApiKey.FIND_COORDINATOR, body);
 *
 * // a body that depends on the negotiated version; the answer says which version it was decoded with
 * network.send(node, ApiKey.FETCH, version -> fetchBody(version))
 *        .thenAccept(response -> handle(response.version(), response.body()));
 *
 * // restrict versions, or expect no answer (Produce with acks=0)
 * network.send(node, ClientRequest.of(ApiKey.PRODUCE, body).withVersions(3, 13).withoutResponse());
 * }</pre>
 * Record batches to send go in records fields as {@link io.tributary.clients.network.BufferedRecords}, which
 * are written to the socket without being copied into the frame.
 *
 * <h2>Threading</h2>
 * Futures complete on the I/O thread: continuations must be short and non-blocking; hop to an executor
 * before running application code. {@code execute} and {@code schedule} run tasks on the I/O thread, so a
 * client may confine its state there (the metadata cache and the producer's sender do).
 *
 * <h2>Failures</h2>
 * Nothing is retried here. A connection failure fails everything queued or in flight on it with
 * {@link io.tributary.clients.errors.NetworkException} naming host:port and the reason ("Connection
 * refused"); a late answer fails with {@link io.tributary.clients.errors.TimeoutException}; callers back off
 * with {@link io.tributary.clients.network.Backoff} and retry within their own deadlines.
 */
package io.tributary.clients.network;
