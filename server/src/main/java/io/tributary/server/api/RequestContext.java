package io.tributary.server.api;

import io.tributary.protocol.message.RequestHeader;

import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * Who asked and where to continue: the request header, the client's address, the connection's event loop
 * (delayed answers complete there) and the executor for blocking disk work; the listener the client connected
 * through (Metadata answers with that listener's endpoints) and the principal it authenticated as
 * ({@code User:ANONYMOUS} on PLAINTEXT and on TLS without a client certificate).
 */
public record RequestContext(RequestHeader header, SocketAddress clientAddress, String connectionId,
                             Executor eventLoop, Executor ioExecutor, String listenerName, String principal) {
    /** The default listener's name, and the name of requests made without a listener (tests, internal calls). */
    public static final String DEFAULT_LISTENER = "PLAINTEXT";
    /** Kafka's principal of a client that did not authenticate. */
    public static final String ANONYMOUS = "User:ANONYMOUS";

    /** A request on the default PLAINTEXT listener from an anonymous client. */
    public RequestContext(RequestHeader header, SocketAddress clientAddress, String connectionId, Executor eventLoop,
                          Executor ioExecutor) {
        this(header, clientAddress, connectionId, eventLoop, ioExecutor, DEFAULT_LISTENER, ANONYMOUS);
    }

    public short apiVersion() {
        return header.apiVersion();
    }
}
