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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.SecurityProtocol;
import io.tributary.server.security.ServerTlsContext;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.SslPrincipalMapper;
import io.tributary.server.security.SslSettings;
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
 * [ConnectionLimiter]                    (only with max.connections / max.connections.per.ip: closes connections over them)
 * [SslHandler -> ChunkedWriteHandler]   (SSL and SASL_SSL listeners only: TLS, and log slices read in chunks on their way out)
 * FrameDecoder (int32 size prefix, capped by socket.request.max.bytes)
 *   -> ConnectionHandler (decode header and body, dispatch, ordered responses with file regions)
 * </pre>
 * A PLAINTEXT listener's pipeline is exactly the last two handlers: no handler or allocation is added to the
 * plaintext produce and fetch paths. Each TLS listener's context (key and trust stores) is built once, at start.
 *
 * <p>A broker binds its listeners early in its start and accepts connections only once it can serve them
 * ({@link #bindHeld}, then {@link #acceptConnections}), as Kafka's acceptors do: until then a client's connection waits
 * in the listen backlog (its TCP handshake done by the kernel, its first request unread), so a port in use fails the
 * start at once and no request is read before the handlers are all registered.
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    /** Told of every connection and request; set before the first accept (the accepting thread reads it after). */
    private volatile RequestObserver observer;

    /** A server without SCRAM credentials: SASL listeners are refused. */
    public NetworkServer(ServerConfig config, ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer)
        throws InterruptedException {
        this(config, dispatcher, ioExecutor, observer, null);
    }

    /** @param credentials the SCRAM credentials SASL listeners authenticate against */
    public NetworkServer(ServerConfig config, ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer,
                         CredentialStore credentials) throws InterruptedException {
        this(config, dispatcher, ioExecutor, observer, credentials, true);
    }

    /**
     * Binds every listener but accepts no connection until {@link #acceptConnections}: the dispatcher may still be
     * filled in meanwhile, and the observer is given then. Connections made before that wait in the listen backlog.
     */
    public static NetworkServer bindHeld(ServerConfig config, ApiDispatcher dispatcher, Executor ioExecutor,
                                         CredentialStore credentials) throws InterruptedException {
        return new NetworkServer(config, dispatcher, ioExecutor, RequestObserver.NONE, credentials, false);
    }

    private NetworkServer(ServerConfig config, ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer,
                          CredentialStore credentials, boolean accepting) throws InterruptedException {
        this.observer = observer;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(config.getInt(ServerConfig.NUM_NETWORK_THREADS), io);
        int maxFrame = config.getInt(ServerConfig.SOCKET_REQUEST_MAX_BYTES);
        NetworkWarnings warnings = new NetworkWarnings(LoggerFactory.getLogger(ConnectionHandler.class),
            NetworkWarnings.DEFAULT_INTERVAL_MS, System::currentTimeMillis);
        ConnectionLimits limits = config.connectionLimits();
        try {
            for (ServerConfig.Endpoint listener : config.endpoints()) {
                SslContext tls = null;
                SslPrincipalMapper principals = null;
                if (listener.protocol().tls) {
                    SslSettings settings = config.sslSettings(listener.name());
                    tls = ServerTlsContext.build(listener.name(), settings);
                    principals = SslPrincipalMapper.parse(settings.principalMappingRules());
                    log.info("Listener {}: TLS with the {} engine, client certificates {}", listener.name(),
                        ServerTlsContext.provider(settings.engine()), settings.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
                }
                SaslSettings sasl = null;
                if (listener.protocol().sasl) {
                    if (credentials == null) {
                        throw new IllegalStateException("Listener " + listener + " needs SASL, but this server has no credential store");
                    }
                    sasl = config.saslSettings(listener.name());
                    log.info("Listener {}: SASL with {}", listener.name(), sasl);
                }
                ListenerSecurity security = listener.protocol() == SecurityProtocol.PLAINTEXT
                    && listener.name().equals(ListenerSecurity.PLAINTEXT.name()) ? ListenerSecurity.PLAINTEXT
                    : new ListenerSecurity(listener.name(), listener.protocol().tls, principals, sasl, credentials);
                SslContext listenerTls = tls;
                ListenerSecurity listenerSecurity = security;
                ConnectionLimiter limiter = limits.limitsAnything() ? new ConnectionLimiter(limits, warnings, listener.name()) : null;
                ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // a server channel's read is its accept: off, connections wait in the backlog
                    .option(ChannelOption.AUTO_READ, accepting)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (limiter != null) {
                                channel.pipeline().addLast("limits", limiter);
                            }
                            if (listenerTls != null) {
                                channel.pipeline()
                                    .addLast("tls", listenerTls.newHandler(channel.alloc()))
                                    .addLast("chunks", new ChunkedWriteHandler());
                            }
                            channel.pipeline()
                                .addLast("frames", new FrameDecoder(maxFrame, warnings))
                                .addLast("requests", new ConnectionHandler(dispatcher, ioExecutor, NetworkServer.this.observer, warnings,
                                    listenerSecurity));
                        }
                    });
                Channel channel = bind(bootstrap, listener);
                serverChannels.add(channel);
                boundAddresses.add((InetSocketAddress) channel.localAddress());
                log.info("Listening on {} for listener {} ({} transport{})", channel.localAddress(), listener, epoll ? "epoll" : "nio",
                    accepting ? "" : "; connections wait until the broker has started");
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
    private static Channel bind(ServerBootstrap bootstrap, ServerConfig.Endpoint listener) throws InterruptedException {
        try {
            return bootstrap.bind(listener.host(), listener.port()).sync().channel();
        } catch (InterruptedException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen on " + listener.host() + ":" + listener.port() + " (listeners): "
                + e.getMessage() + " [listener " + listener.name() + "]", e);
        }
    }

    /**
     * Starts accepting on every listener, the backlog's connections first; every connection from here on reports to
     * {@code observer}.
     */
    public void acceptConnections(RequestObserver observer) {
        this.observer = observer;
        for (Channel channel : serverChannels) {
            channel.config().setAutoRead(true);
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
