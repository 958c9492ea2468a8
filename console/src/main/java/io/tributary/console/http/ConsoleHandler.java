package io.tributary.console.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last handler of the console's pipeline: takes one aggregated request, answers it on a worker thread
 * (answers call the cluster and block; the event loop never does), and writes the answer back. While a request
 * is being answered the connection does not read, so answers leave in request order even if a client pipelines.
 * An event-stream request keeps its connection until either side closes it.
 */
@ChannelHandler.Sharable
public final class ConsoleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);

    /** What answers requests: the API, the assets and any extra routes, in that order. */
    public interface Router {
        /** The complete answer, or null when {@code request} is an event stream, handed to {@link #stream}. */
        HttpAnswer answer(ApiRequest request);

        boolean isStream(ApiRequest request);

        /** Streams events for {@code request} into {@code sink} on a thread of its own; returns at once. */
        void stream(ApiRequest request, EventSink sink);
    }

    private final Router router;
    private final ExecutorService workers;

    public ConsoleHandler(Router router, ExecutorService workers) {
        this.router = router;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx.channel(), Json.problem(new ApiProblem(400, "BAD_REQUEST", "Malformed HTTP request")), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Map<String, String> cookies = new java.util.HashMap<>();
        for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                cookies.putIfAbsent(c.name(), c.value());
            }
        }
        ApiRequest apiRequest = new ApiRequest(request.method().name(), uri.path(), uri.parameters(),
            ByteBufUtil.getBytes(request.content()), cookies);
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        try {
            workers.execute(() -> serve(channel, apiRequest, keepAlive));
        } catch (RejectedExecutionException e) {
            write(channel, Json.problem(new ApiProblem(503, "SHUTTING_DOWN", "The console is stopping")), false);
        }
    }

    private void serve(Channel channel, ApiRequest request, boolean keepAlive) {
        if (router.isStream(request)) {
            try {
                router.stream(request, new ChannelEventSink(channel));
            } catch (ApiProblem problem) {
                write(channel, Json.problem(problem), false);
            }
            return;
        }
        HttpAnswer answer;
        try {
            answer = router.answer(request);
        } catch (ApiProblem problem) {
            answer = Json.problem(problem);
        } catch (RuntimeException | Error e) {
            // A bug of ours: logged with its trace here, a plain sentence for the browser.
            log.warn("Console failed to answer {} {}", request.method(), request.path(), e);
            answer = Json.problem(new ApiProblem(500, "INTERNAL_ERROR",
                "The console failed to answer " + request.method() + " " + request.path() + ": " + e));
        }
        write(channel, answer, keepAlive);
    }

    private static void write(Channel channel, HttpAnswer answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        response.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response).addListener(f -> channel.config().setAutoRead(true));
        } else {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Console connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /**
     * An event stream on one connection: the response head goes with the first event, so a request refused
     * before streaming starts (unknown topic) still gets a plain JSON problem; then one chunk per event.
     */
    private static final class ChannelEventSink implements EventSink {
        private final Channel channel;
        private boolean started;

        ChannelEventSink(Channel channel) {
            this.channel = channel;
        }

        private synchronized void start() {
            if (started) {
                return;
            }
            started = true;
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            HttpUtil.setTransferEncodingChunked(response, true);
            channel.writeAndFlush(response);
            channel.config().setAutoRead(true); // so a close by the browser is noticed
        }

        @Override
        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public boolean isWritable() {
            return channel.isWritable();
        }

        @Override
        public void send(String event, String jsonData) {
            chunk("event: " + event + "\ndata: " + jsonData + "\n\n");
        }

        @Override
        public void heartbeat() {
            chunk(": keep-alive\n\n");
        }

        private void chunk(String text) {
            start();
            if (channel.isActive()) {
                channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))));
            }
        }

        @Override
        public synchronized void close() {
            if (!started) {
                channel.close();
            } else if (channel.isActive()) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
