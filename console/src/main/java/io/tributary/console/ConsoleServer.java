package io.tributary.console;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.tributary.console.api.ConsoleApi;
import io.tributary.console.http.ApiRequest;
import io.tributary.console.http.ConsoleHandler;
import io.tributary.console.http.EventSink;
import io.tributary.console.http.HttpAnswer;
import io.tributary.console.http.Json;
import io.tributary.console.http.ApiProblem;
import io.tributary.console.http.StaticAssets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's HTTP server: one Netty event loop thread parses HTTP (HttpServerCodec, bodies aggregated up to
 * 1 MiB, larger ones answered 413 by the aggregator) and a few worker threads answer, since answers wait on the
 * cluster. The pipeline, in order: codec, keep-alive, aggregator, {@link ConsoleHandler}.
 *
 * <p>Design note: starting is cheap (one thread, one socket, nothing sent to the cluster) so a broker can start
 * it with no visible cost; the clients connect on the first API call and the traffic sampler runs only while
 * someone has looked at the console in the last 15 minutes (inside a broker it reads counters, which is free).
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final int WORKERS = 4;

    private final EventLoopGroup loop;
    private final ThreadPoolExecutor workers;
    private final ConsoleApi api;
    private final Channel channel;

    private ConsoleServer(ConsoleSettings settings) {
        this.api = new ConsoleApi(settings);
        AtomicInteger ids = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "console-worker-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.allowCoreThreadTimeOut(true); // an idle console holds no worker threads
        this.loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "console-http");
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        StaticAssets assets = new StaticAssets();
        ConsoleHandler handler = new ConsoleHandler(new ConsoleHandler.Router() {
            @Override
            public HttpAnswer answer(ApiRequest request) {
                if (request.path().startsWith("/api/")) {
                    return api.answer(request);
                }
                if (settings.extraRoutes() != null) {
                    HttpAnswer extra = settings.extraRoutes().answer(request.method(), request.path());
                    if (extra != null) {
                        return extra;
                    }
                }
                if (!request.isRead()) {
                    return Json.problem(new ApiProblem(405, "METHOD_NOT_ALLOWED", request.method() + " " + request.path()
                        + " is not allowed; pages are read with GET"));
                }
                HttpAnswer asset = assets.answer(request.path());
                return asset != null ? asset : Json.problem(ApiProblem.notFound("Nothing at " + request.path()
                    + "; the console is at /"));
            }

            @Override
            public boolean isStream(ApiRequest request) {
                return api.isStream(request);
            }

            @Override
            public void stream(ApiRequest request, EventSink sink) {
                api.stream(request, sink);
            }
        }, workers);
        try {
            this.channel = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(MAX_BODY_BYTES), handler);
                    }
                })
                .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the BindException unchecked-ly
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownNow();
            api.close();
            throw new UncheckedIOException("Cannot bind the console to " + settings.host() + ":" + settings.port()
                + " (" + settings.listenerName() + "): " + e.getMessage(),
                e instanceof java.io.IOException io ? io : new java.io.IOException(e));
        }
    }

    /**
     * Binds {@code settings.host():port()} and serves.
     *
     * @throws UncheckedIOException when the address cannot be bound, naming it and the setting it came from
     */
    public static ConsoleServer start(ConsoleSettings settings) {
        long started = System.nanoTime();
        ConsoleServer server = new ConsoleServer(settings);
        log.info("Console on http://{}:{}/{} (started in {} ms)", settings.host(), server.address().getPort(),
            settings.readOnly() ? " (read-only)" : "", (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        api.close();
        workers.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
