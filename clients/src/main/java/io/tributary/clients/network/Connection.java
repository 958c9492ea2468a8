package io.tributary.clients.network;

import io.tributary.protocol.Node;
import io.tributary.protocol.ApiKey;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The state of the client's one connection to a broker address, owned by the I/O thread.
 *
 * <p>Life cycle: DISCONNECTED (possibly backing off until {@link #reconnectAtNanos}) -> CONNECTING (TCP
 * connect in progress, bounded by {@link #connectDeadlineNanos}) -> HANDSHAKING (TLS only, bounded by the same
 * deadline) -> NEGOTIATING (ApiVersions in flight) -> AUTHENTICATING (SASL only: SaslHandshake and SaslAuthenticate in
 * flight) -> READY. A READY connection whose SASL session nears its end ({@link #reauthenticateAtNanos}) goes back to
 * AUTHENTICATING once its requests in flight are answered (KIP-368), and on to READY. Any failure closes the channel, fails every request queued or in flight on it, and goes back to
 * DISCONNECTED with a backoff that grows with consecutive failures.
 *
 * <p>Invariant: {@link #inFlight} holds, in send order, the requests whose bytes are written (or being
 * written) and whose answer is awaited; the broker answers in that order, so the next frame read always
 * answers the head. At most {@code max.in.flight.requests.per.connection} are in it outside negotiation.
 */
final class Connection {
    enum State { DISCONNECTED, CONNECTING, HANDSHAKING, NEGOTIATING, AUTHENTICATING, READY }

    final String address;
    /** The node last used to reach this address (a bootstrap node until metadata names it). */
    Node node;
    volatile State state = State.DISCONNECTED;
    SocketChannel channel;
    /** The byte stream over {@link #channel}: plain or TLS. */
    Transport transport;
    /** When to re-authenticate ({@link System#nanoTime()} based); 0 when the broker set no session lifetime. */
    long reauthenticateAtNanos;
    SelectionKey key;
    long connectDeadlineNanos;
    long reconnectAtNanos;
    boolean reconnectScheduled;
    int failures;
    long lastActivityNanos;

    /** Submitted, not yet written (waiting for READY or for room in flight). */
    final ArrayDeque<PendingRequest> queued = new ArrayDeque<>();
    final ArrayDeque<PendingRequest> inFlight = new ArrayDeque<>();
    volatile int inFlightCount;

    /** The request being written and its remaining buffers; null when no write is in progress. */
    PendingRequest writing;
    ByteBuffer[] writeBuffers;
    int writeIndex;

    final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    ByteBuffer frame;

    /** Broker's [min, max] per API id, from ApiVersions; -1 where the broker does not serve the API. */
    short[] brokerMin;
    short[] brokerMax;

    Connection(String address, Node node) {
        this.address = address;
        this.node = node;
    }

    /**
     * The highest version in both the request's and the broker's range, or -1 if there is none.
     */
    short negotiate(ClientRequest request) {
        ApiKey api = request.api();
        int id = api.id();
        if (brokerMax == null || id >= brokerMax.length || brokerMax[id] < 0) {
            return -1;
        }
        int low = Math.max(request.minVersion(), brokerMin[id]);
        int high = Math.min(request.maxVersion(), brokerMax[id]);
        return low > high ? -1 : (short) high;
    }

    String brokerRange(ApiKey api) {
        int id = api.id();
        if (brokerMax == null || id >= brokerMax.length || brokerMax[id] < 0) {
            return "none";
        }
        return brokerMin[id] + "-" + brokerMax[id];
    }

    boolean hasPending() {
        return writing != null || !queued.isEmpty() || !inFlight.isEmpty();
    }
}
