package io.tributary.server.api;

import io.tributary.protocol.message.RequestHeader;

import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * Who asked and where to continue: the request header, the client's address, the connection's event loop
 * (delayed answers complete there) and the executor for blocking disk work.
 */
public record RequestContext(RequestHeader header, SocketAddress clientAddress, String connectionId,
                             Executor eventLoop, Executor ioExecutor) {
    public short apiVersion() {
        return header.apiVersion();
    }
}
