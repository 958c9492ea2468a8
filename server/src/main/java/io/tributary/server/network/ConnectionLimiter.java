package io.tributary.server.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One listener's connection counts, enforcing {@link ConnectionLimits}: the first handler of every connection of a
 * listener with limits. A connection over max.connections or over its address's limit is let through channelActive (so
 * the connection handler counts it) and closed at once with {@link CloseReason#CONNECTION_LIMIT}; it holds no count.
 * Counts change under this object's lock (connections of one listener live on several event loops).
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final io.netty.util.AttributeKey<String> COUNTED = io.netty.util.AttributeKey.valueOf("tributary.countedAddress");

    private final ConnectionLimits limits;
    private final NetworkWarnings warnings;
    private final String listener;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(ConnectionLimits limits, NetworkWarnings warnings, String listener) {
        this.limits = limits;
        this.warnings = warnings;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
            ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        String refusal = tryAcquire(address);
        if (refusal == null) {
            ctx.channel().attr(COUNTED).set(address);
            ctx.fireChannelActive();
            return;
        }
        warnings.warn(CloseReason.CONNECTION_LIMIT, "Closing connection from " + ctx.channel().remoteAddress() + " on listener "
            + listener + ": " + refusal);
        ctx.channel().attr(CloseReason.ATTRIBUTE).setIfAbsent(CloseReason.CONNECTION_LIMIT);
        ctx.fireChannelActive();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            release(address);
        }
        ctx.fireChannelInactive();
    }

    /** Null when the connection may stay, else why not. */
    private synchronized String tryAcquire(String address) {
        if (total >= limits.maxConnections()) {
            return "max.connections (" + limits.maxConnections() + ") reached";
        }
        int fromAddress = perAddress.getOrDefault(address, 0);
        int limit = limits.limitFor(address);
        if (fromAddress >= limit) {
            return "too many connections from " + address + " (limit " + limit + ")";
        }
        total++;
        perAddress.put(address, fromAddress + 1);
        return null;
    }

    private synchronized void release(String address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections counted now, for tests. */
    synchronized int connections() {
        return total;
    }
}
