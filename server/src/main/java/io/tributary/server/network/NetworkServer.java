package io.tributary.server.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The listeners: one Netty server per configured listener on a shared event-loop group, epoll where the
 * native transport loads, NIO elsewhere. The pipeline of every connection, in data-path order:
 * <pre>
 * FrameDecoder (int32 size prefix, capped by socket.request.max.bytes)
 *   -> ConnectionHandler (decode header and body, dispatch, ordered responses with file regions)
 * </pre>
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();

    public NetworkServer(ServerConfig config, ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer)
        throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(config.getInt(ServerConfig.NUM_NETWORK_THREADS), io);
        int maxFrame = config.getInt(ServerConfig.SOCKET_REQUEST_MAX_BYTES);
        NetworkWarnings warnings = new NetworkWarnings(LoggerFactory.getLogger(ConnectionHandler.class),
            NetworkWarnings.DEFAULT_INTERVAL_MS, System::currentTimeMillis);
        try {
            for (ServerConfig.Listener listener : config.listeners()) {
                ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                .addLast("frames", new FrameDecoder(maxFrame, warnings))
                                .addLast("requests", new ConnectionHandler(dispatcher, ioExecutor, observer, warnings));
                        }
                    });
                Channel channel = bind(bootstrap, listener);
                serverChannels.add(channel);
                boundAddresses.add((InetSocketAddress) channel.localAddress());
                log.info("Listening on {} ({} transport)", channel.localAddress(), epoll ? "epoll" : "nio");
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Binds one listener. Netty reports a failed bind as an IOException it throws unchecked, without the
     * address; this names the listener, so the operator sees which port is taken.
     */
    private static Channel bind(ServerBootstrap bootstrap, ServerConfig.Listener listener) throws InterruptedException {
        try {
            return bootstrap.bind(listener.host(), listener.port()).sync().channel();
        } catch (InterruptedException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen on " + listener.host() + ":" + listener.port() + " (listeners): "
                + e.getMessage(), e);
        }
    }

    /** The addresses actually bound, in listener order (port 0 in the config becomes a real port here). */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(boundAddresses);
    }

    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly();
        }
        bossGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        workerGroup.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
