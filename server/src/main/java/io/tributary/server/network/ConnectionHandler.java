package io.tributary.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tributary.log.LogSlice;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ClientText;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.ApiSchemas;
import io.tributary.protocol.message.OutboundMessage;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.metadata.ApiVersionsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: decodes each request frame, hands it to its API's handler, and writes the
 * responses in the order the requests arrived, however the handlers' answers are timed (pipelining).
 *
 * <p>All state is touched only on the connection's event loop; handler futures completing elsewhere hop
 * back onto it. A request frame is released when its handler has answered, so produce records (slices of
 * the frame) stay valid until they are appended. A frame that cannot be decoded, an API we do not serve,
 * or an unsupported version of anything but ApiVersions closes this connection and nothing else.
 *
 * <p>On a TLS listener the TLS handler sits below this one: requests arrive only after the handshake (whose outcome
 * sets the principal, or closes the connection), and log slices go out as {@link SliceChunkedInput}s through the
 * chunked writer and the TLS handler, since encrypted bytes cannot come from sendfile. Plaintext listeners write
 * {@link SliceFileRegion}s as before.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ApiDispatcher dispatcher;
    private final Executor ioExecutor;
    private final RequestObserver observer;
    private final NetworkWarnings warnings;
    private final ListenerSecurity listener;
    /** The authenticated principal: the SASL user, or from the client certificate once the TLS handshake succeeded, else anonymous. */
    private String principal = RequestContext.ANONYMOUS;
    /** On SASL listeners, the authentication in progress or done; null elsewhere (no cost on other listeners). */
    private final SaslAuthenticator sasl;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean closed;
    /** Until when reading is muted for a quota's throttle (System.nanoTime); in the past when not muted. */
    private long mutedUntilNanos = System.nanoTime();
    /** Whether the observer was told of this connection, so it is told of its end exactly once. */
    private boolean counted;

    /** One request awaiting its turn to be answered. */
    private static final class Pending {
        final RequestHeader header;
        final ByteBuf frame;
        final long arrivedNanos = System.nanoTime();
        boolean done;
        ApiResponse response;
        Throwable failure;
        /** Close the connection once this answer is written (a refused authentication). */
        boolean closeAfter;

        Pending(RequestHeader header, ByteBuf frame) {
            this.header = header;
            this.frame = frame;
        }
    }

    ConnectionHandler(ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer, NetworkWarnings warnings) {
        this(dispatcher, ioExecutor, observer, warnings, ListenerSecurity.PLAINTEXT);
    }

    ConnectionHandler(ApiDispatcher dispatcher, Executor ioExecutor, RequestObserver observer, NetworkWarnings warnings,
                      ListenerSecurity listener) {
        this.dispatcher = dispatcher;
        this.ioExecutor = ioExecutor;
        this.observer = observer;
        this.warnings = warnings;
        this.listener = listener;
        this.sasl = listener.sasl() ? new SaslAuthenticator(listener.saslSettings(), listener.credentials()) : null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                try {
                    principal = certificatePrincipal(ctx.pipeline().get(SslHandler.class).engine().getSession());
                } catch (IllegalArgumentException noRuleApplies) {
                    closeWith(CloseReason.AUTHENTICATION, null, ClientText.escape(noRuleApplies.getMessage()));
                }
            } else {
                closeWith(CloseReason.TLS, null, "TLS handshake on listener " + listener.name() + " failed: "
                    + ClientText.escape(String.valueOf(handshake.cause())));
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Kafka's principal of a TLS client: {@code User:} and its certificate's mapped name, or anonymous without one. */
    private String certificatePrincipal(SSLSession session) {
        try {
            return "User:" + listener.principalMapper().map(session.getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException noCertificate) {
            return RequestContext.ANONYMOUS;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        observer.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closed) {
            frame.release();
            return;
        }
        ByteBuffer bytes = frame.nioBuffer();
        RequestHeader header;
        try {
            header = RequestHeader.read(new WireReader(bytes));
        } catch (MalformedMessageException e) {
            frame.release();
            closeWith(CloseReason.MALFORMED_HEADER, null, "malformed request header: " + ClientText.escape(e.getMessage()));
            return;
        }
        ApiKey api = header.apiKey();
        if (!api.isVersionSupported(header.apiVersion()) || !dispatcher.serves(api)) {
            if (api == ApiKey.API_VERSIONS) {
                // Answered at v0 so a client of any age can read it and pick a version we serve.
                Pending pending = new Pending(new RequestHeader(api, (short) 0, header.correlationId(), header.clientId()), frame);
                inFlight.add(pending);
                complete(pending, ApiResponse.of(ApiVersionsHandler.unsupportedVersionAnswer(dispatcher)), null);
            } else {
                frame.release();
                closeWith(CloseReason.UNSUPPORTED_API, header, api.title() + " v" + header.apiVersion() + " is not served (versions "
                    + api.minVersion() + "-" + api.maxVersion() + ")");
            }
            return;
        }
        Struct body;
        try {
            body = ApiSchemas.request(api).read(bytes, header.apiVersion());
        } catch (MalformedMessageException e) {
            frame.release();
            closeWith(CloseReason.MALFORMED_REQUEST, header, "malformed " + api.title() + " v" + header.apiVersion()
                + " request: " + ClientText.escape(e.getMessage()));
            return;
        }
        if (sasl != null) {
            boolean saslRequest = api == ApiKey.SASL_HANDSHAKE || api == ApiKey.SASL_AUTHENTICATE;
            if (!sasl.isAuthenticated() || sasl.isReauthenticating() || (saslRequest && sasl.mayReauthenticate())) {
                if (authenticating(header, frame, body)) {
                    return;
                }
            } else if (sasl.sessionExpired(System.nanoTime())) {
                // KIP-368: the session ran out and the client did not re-authenticate; Kafka closes on the next request
                frame.release();
                closeWith(CloseReason.SESSION_EXPIRED, header, "SASL session of " + principal + " on listener " + listener.name()
                    + " expired without re-authentication");
                return;
            }
        }
        Pending pending = new Pending(header, frame);
        inFlight.add(pending);
        ApiHandler handler = dispatcher.handler(api);
        CompletableFuture<ApiResponse> answer;
        try {
            answer = handler.handle(new RequestContext(header, ctx.channel().remoteAddress(), ctx.channel().id().asShortText(),
                ctx.executor(), ioExecutor, listener.name(), principal), body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            if (ctx.executor().inEventLoop()) {
                complete(pending, response, failure);
            } else {
                ctx.executor().execute(() -> complete(pending, response, failure));
            }
        });
    }

    /**
     * Before a SASL connection has authenticated: answers SaslHandshake and SaslAuthenticate here, lets ApiVersions
     * through (false), and closes the connection for anything else, as Kafka does. A failed authentication is answered
     * after connection.failed.authentication.delay.ms and counted. Returns whether the request was taken care of.
     */
    private boolean authenticating(RequestHeader header, ByteBuf frame, Struct body) {
        ApiKey api = header.apiKey();
        if (api == ApiKey.API_VERSIONS) {
            return false;
        }
        if (api != ApiKey.SASL_HANDSHAKE && api != ApiKey.SASL_AUTHENTICATE) {
            frame.release();
            observer.authentication(false);
            closeWith(CloseReason.AUTHENTICATION, header, api.title() + " before SASL authentication on listener " + listener.name());
            return true;
        }
        SaslAuthenticator.Answer answer = api == ApiKey.SASL_HANDSHAKE ? sasl.handshake(header.apiVersion(), body) : sasl.authenticate(body);
        Pending pending = new Pending(header, frame);
        pending.closeAfter = answer.closeAfter();
        inFlight.add(pending);
        if (sasl.isAuthenticated()) {
            principal = "User:" + sasl.user();
            observer.authentication(true);
        }
        if (answer.failedAuthentication()) {
            observer.authentication(false);
            int delayMs = listener.saslSettings().failedAuthenticationDelayMs();
            ctx.executor().schedule(() -> complete(pending, ApiResponse.of(answer.body()), null), delayMs, TimeUnit.MILLISECONDS);
        } else {
            complete(pending, ApiResponse.of(answer.body()), null);
        }
        return true;
    }

    private void complete(Pending pending, ApiResponse response, Throwable failure) {
        pending.done = true;
        pending.response = response;
        pending.failure = failure;
        pending.frame.release();
        observer.requestCompleted(pending.header.apiKey(), System.nanoTime() - pending.arrivedNanos);
        boolean wrote = false;
        while (!inFlight.isEmpty() && inFlight.peek().done) {
            Pending head = inFlight.poll();
            if (closed) {
                discard(head);
                continue;
            }
            if (head.failure != null) {
                log.error("{} v{} from {} (client id {}) failed; closing the connection", head.header.apiKey().title(),
                    head.header.apiVersion(), ctx.channel().remoteAddress(), ClientText.escape(head.header.clientId()),
                    head.failure);
                discard(head);
                closeWith(CloseReason.REQUEST_FAILED, null, null);
                continue;
            }
            if (head.response != null && head.response.throttleMs() > 0) {
                mute(head.response.throttleMs());
            }
            if (head.response == null || head.response.isNone()) {
                continue;
            }
            wrote |= write(head);
            if (head.closeAfter && !closed) {
                ctx.channel().attr(CloseReason.ATTRIBUTE).setIfAbsent(CloseReason.AUTHENTICATION);
                closed = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                wrote = false;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * Stops reading from the client for {@code ms} (a quota's throttle, KIP-219): responses already due are still sent,
     * requests already read are still answered, and reading resumes when the latest throttle ends.
     */
    private void mute(int ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (until - mutedUntilNanos <= 0) {
            return;
        }
        mutedUntilNanos = until;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(this::unmuteWhenDue, ms, TimeUnit.MILLISECONDS);
    }

    private void unmuteWhenDue() {
        long left = mutedUntilNanos - System.nanoTime();
        if (closed) {
            return;
        }
        if (left > TimeUnit.MILLISECONDS.toNanos(1)) {
            ctx.executor().schedule(this::unmuteWhenDue, left, TimeUnit.NANOSECONDS);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static void discard(Pending pending) {
        if (pending.response != null) {
            pending.response.discard();
        }
    }

    /** Writes one response: buffer slices with the log slices between them as file regions. */
    private boolean write(Pending pending) {
        ApiResponse response = pending.response;
        RequestHeader header = pending.header;
        ByteBuf buffer = null;
        try {
            OutboundMessage out = OutboundMessage.response(header.apiKey(), header.apiVersion(), header.correlationId(), response.body());
            int inline = out.inlineSize();
            buffer = ctx.alloc().directBuffer(inline, inline);
            List<Integer> positions = new ArrayList<>();
            List<LogSlice> regions = new ArrayList<>();
            out.writeFrame(buffer.nioBuffer(0, inline), (position, records) -> {
                positions.add(position);
                regions.add(((LogSliceRecords) records).slice());
            });
            buffer.writerIndex(inline);
            if (regions.isEmpty()) {
                ctx.write(buffer, ctx.voidPromise());
                buffer = null;
                return true;
            }
            checkAllSlicesAccountedFor(response, regions);
            int from = 0;
            for (int i = 0; i < regions.size(); i++) {
                int at = positions.get(i);
                if (at > from) {
                    ctx.write(buffer.retainedSlice(from, at - from), ctx.voidPromise());
                }
                LogSlice slice = regions.get(i);
                if (slice.length() > 0 && listener.tls()) {
                    // A real promise: the chunked writer completes it after the last chunk, which a void one may not allow.
                    ctx.write(new SliceChunkedInput(slice), ctx.newPromise());
                } else if (slice.length() > 0) {
                    ctx.write(new SliceFileRegion(slice), ctx.voidPromise());
                } else {
                    slice.release();
                }
                from = at;
            }
            if (inline > from) {
                ctx.write(buffer.retainedSlice(from, inline - from), ctx.voidPromise());
            }
            return true;
        } catch (RuntimeException e) {
            log.error("Cannot encode the {} v{} response to {} (client id {}); closing the connection", header.apiKey().title(),
                header.apiVersion(), ctx.channel().remoteAddress(), ClientText.escape(header.clientId()), e);
            response.discard();
            closeWith(CloseReason.RESPONSE_FAILED, null, null);
            return false;
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
    }

    /** Every slice the handler handed over must appear in the body, or it would never be released. */
    private static void checkAllSlicesAccountedFor(ApiResponse response, List<LogSlice> written) {
        if (response.slices().size() != written.size()) {
            Map<LogSlice, Boolean> seen = new IdentityHashMap<>();
            written.forEach(s -> seen.put(s, true));
            for (LogSlice slice : response.slices()) {
                if (!seen.containsKey(slice)) {
                    slice.release();
                }
            }
        }
    }

    /**
     * Closes the connection for {@code reason}, which the metrics count. With a {@code detail}, a rate-limited
     * warning says why, naming the client id (escaped) when the request {@code header} was read.
     */
    private void closeWith(CloseReason reason, RequestHeader header, String detail) {
        if (detail != null) {
            warnings.warn(reason, "Closing connection from " + ctx.channel().remoteAddress()
                + (header != null ? " (client id " + ClientText.escape(header.clientId()) + ")" : "") + ": " + detail);
        }
        ctx.channel().attr(CloseReason.ATTRIBUTE).setIfAbsent(reason);
        closed = true;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (counted) {
            counted = false;
            CloseReason reason = ctx.channel().attr(CloseReason.ATTRIBUTE).get();
            observer.connectionClosed(reason == null ? CloseReason.CLIENT : reason);
        }
        dispatcher.connectionClosed(ctx.channel().id().asShortText());
        ctx.fireChannelInactive();
    }

    /** Whether TLS refused what came in (the TLS handler may report it before or after its handshake event). */
    private static boolean isTlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.channel().attr(CloseReason.ATTRIBUTE).setIfAbsent(listener.tls() && isTlsFailure(cause) ? CloseReason.TLS
            : CloseReason.IO_ERROR);
        closed = true;
        ctx.close();
    }
}
