package io.tributary.clients.network;

import io.tributary.protocol.Node;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.AuthenticationException;
import io.tributary.clients.errors.NetworkException;
import io.tributary.clients.security.ClientSecurity;
import io.tributary.clients.security.sasl.SaslMechanismClient;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.errors.UnsupportedVersionException;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.OutboundMessage;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.Response;
import io.tributary.protocol.message.metadata.ApiVersionsRequest;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.metadata.ApiVersionsResponse.ApiVersion;
import io.tributary.protocol.message.security.SaslAuthenticateRequest;
import io.tributary.protocol.message.security.SaslAuthenticateResponse;
import io.tributary.protocol.message.security.SaslHandshakeRequest;
import io.tributary.protocol.message.security.SaslHandshakeResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.ExternalRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.security.sasl.SaslException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A non-blocking Kafka-protocol client over java.nio: one selector and one I/O thread per client, one
 * connection per broker address, requests framed with a 4-byte size prefix and matched to answers by
 * correlation id.
 *
 * <h2>What it does for the caller</h2>
 * <ul>
 * <li>Connects on demand ({@code socket.connection.setup.timeout.ms}), backs off after failures
 *     ({@code reconnect.backoff.ms} doubling to {@code reconnect.backoff.max.ms}), closes idle connections
 *     ({@code connections.max.idle.ms}).</li>
 * <li>Negotiates versions: ApiVersions is the first request on every connection; each request then goes at
 *     the highest version both the caller's range and the broker's range contain, or fails with
 *     {@link UnsupportedVersionException} naming both ranges.</li>
 * <li>Keeps up to {@code max.in.flight.requests.per.connection} requests in flight per connection; the rest
 *     wait, in submission order. Answers arrive in order, so requests to one broker are written and
 *     answered in the order they were submitted.</li>
 * <li>Fails a request not answered within {@code request.timeout.ms} (counted from submission) with
 *     {@link TimeoutException}, and closes its connection: later answers on it could no longer be
 *     matched. A connection that fails or closes fails everything queued or in flight on it with
 *     {@link NetworkException} naming the address ("Connection refused"); nothing is retried here, the
 *     caller decides (with {@link Backoff}).</li>
 * <li>Secures connections as {@code security.protocol} says ({@link ClientSecurity}): TLS through the JDK's SSLEngine
 *     ({@link TlsTransport}) before anything else; SASL after ApiVersions, as Kafka's clients do: SaslHandshake v1
 *     names the mechanism and SaslAuthenticate carries its tokens (KIP-152). A refused handshake or credential fails
 *     everything queued on the connection with {@link AuthenticationException} naming the mechanism and the broker's
 *     message. When the broker gives the session a lifetime, the client re-authenticates on the same connection
 *     before it ends (KIP-368), between requests.</li>
 * <li>Sends {@link BufferedRecords} without copying them into the frame (gathering writes); answers are
 *     read into one buffer per frame, and decoded bodies slice it.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Every method may be called from any thread. All socket work, encoding, decoding and {@link RequestBody}
 * calls happen on the I/O thread. <b>Futures are completed on the I/O thread</b>, so continuations attached
 * without an executor run there: they must be short and must never block (in particular never wait for
 * another request's answer, which only this thread can deliver: {@link #inIoThread()} lets code check).
 * Clients that run application code on completion (producer callbacks, admin futures handed to users) must
 * hop to their own executor first. {@link #execute} and {@link #schedule} run tasks on the I/O thread, so a
 * client can keep its own state confined to it without locks.
 */
public final class NetworkClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);
    private static final String SOFTWARE_NAME = "tributary-clients";
    private static final String SOFTWARE_VERSION = "0.1.0";
    /** How often timeouts and idle connections are checked; request deadlines are precise to about this. */
    private static final long SCAN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** A frame size above this is taken as a corrupt stream, not an allocation to make. */
    private static final int MAX_RESPONSE_SIZE = Integer.MAX_VALUE - 8;

    private final String clientId;
    private final int maxInFlight;
    private final long requestTimeoutNanos;
    private final long connectTimeoutNanos;
    private final long idleNanos;
    private final int sendBuffer;
    private final int receiveBuffer;
    private final Backoff reconnectBackoff;
    private final ClientSecurity security;

    private final Selector selector;
    private final Thread ioThread;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** Requests from send(), kept apart from other commands so that closing can fail the ones never handled. */
    private final ConcurrentLinkedQueue<PendingRequest> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicLong timerSequence = new AtomicLong();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
    private int nextCorrelationId;
    private long nextScanNanos;
    private volatile boolean closing;

    /** Reads the common keys of {@code config}; {@code clientId} goes in every request header. */
    public NetworkClient(ClientConfig config, String clientId) {
        this.clientId = clientId;
        this.maxInFlight = config.get(CommonClientConfigs.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.get(CommonClientConfigs.REQUEST_TIMEOUT_MS));
        this.connectTimeoutNanos = saturatedNanos(config.get(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS));
        long idleMs = config.get(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS);
        this.idleNanos = idleMs < 0 ? Long.MAX_VALUE : saturatedNanos(idleMs);
        this.sendBuffer = config.get(CommonClientConfigs.SEND_BUFFER_BYTES);
        this.receiveBuffer = config.get(CommonClientConfigs.RECEIVE_BUFFER_BYTES);
        this.reconnectBackoff = new Backoff(config.get(CommonClientConfigs.RECONNECT_BACKOFF_MS),
            config.get(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS));
        this.security = ClientSecurity.of(config);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new NetworkException("Cannot open a selector for client " + clientId, e);
        }
        this.ioThread = new Thread(this::run, "tributary-io-" + clientId);
        // Like Kafka's network threads: a client the application forgot to close must not keep the JVM alive.
        ioThread.setDaemon(true);
        ioThread.start();
    }

    private static long saturatedNanos(long ms) {
        return ms >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE / 2 : TimeUnit.MILLISECONDS.toNanos(ms);
    }

    public String clientId() {
        return clientId;
    }

    // ------------------------------------------------------------------ API

    /**
     * Sends {@code request} to {@code node}, connecting first if needed. The future completes on the I/O
     * thread with the answer, or exceptionally with {@link NetworkException}, {@link TimeoutException},
     * {@link UnsupportedVersionException} or whatever the body builder threw. Error codes inside the body
     * are the caller's to read.
     */
    public CompletableFuture<ClientResponse> send(Node node, ClientRequest request) {
        CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        PendingRequest pending = new PendingRequest(node, request, future, System.nanoTime() + requestTimeoutNanos);
        submitted.add(pending);
        if (closing) {
            // The I/O thread may already have drained the queue for the last time.
            failSubmitted();
        } else if (!inIoThread()) {
            selector.wakeup();
        }
        return future;
    }

    /** Sends a body built for the negotiated version; the answer carries that version. */
    public CompletableFuture<ClientResponse> send(Node node, ApiKey api, RequestBody body) {
        return send(node, ClientRequest.of(api, body));
    }

    /** Sends a body whose fields are valid in every version; completes with the answer's body. */
    public CompletableFuture<Struct> send(Node node, ApiKey api, Struct body) {
        return send(node, ClientRequest.of(api, body)).thenApply(ClientResponse::body);
    }

    /** Runs {@code task} on the I/O thread soon (after the current loop iteration); never inline. */
    public void execute(Runnable task) {
        if (!submit(task)) {
            throw closedException();
        }
    }

    /** Runs {@code task} on the I/O thread after about {@code delayMs}; dropped if the client closes first. */
    public ScheduledTask schedule(long delayMs, Runnable task) {
        return scheduleAt(System.nanoTime() + saturatedNanos(Math.max(0, delayMs)), task);
    }

    /**
     * Runs {@code task} on the I/O thread once {@link System#nanoTime()} reaches {@code deadlineNanos} (at once
     * if it has); dropped if the client closes first. The selector waits in whole milliseconds, rounded up, so
     * the task runs up to about a millisecond late, never early.
     */
    public ScheduledTask scheduleAt(long deadlineNanos, Runnable task) {
        ScheduledTask timer = new ScheduledTask(deadlineNanos, timerSequence.getAndIncrement(), task);
        if (inIoThread()) {
            timers.add(timer);   // the loop computes its next wait after this task returns
        } else if (!submit(() -> timers.add(timer))) {
            throw closedException();
        }
        return timer;
    }

    public boolean inIoThread() {
        return Thread.currentThread() == ioThread;
    }

    /** Whether a connection to the node's address is open and negotiated. */
    public boolean isReady(Node node) {
        Connection c = connections.get(node.address());
        return c != null && c.state == Connection.State.READY;
    }

    /** Requests in flight to the node's address (written, awaiting an answer). */
    public int inFlightCount(Node node) {
        Connection c = connections.get(node.address());
        return c == null ? 0 : c.inFlightCount;
    }

    /**
     * The node to send a request to when any will do (metadata): a ready one with the fewest requests in
     * flight; else one whose connection is being set up or may be tried now; else null (all are backing
     * off after failures).
     */
    public Node leastLoadedNode(Collection<Node> nodes) {
        Node best = null;
        int bestLoad = Integer.MAX_VALUE;
        Node fallback = null;
        long now = System.nanoTime();
        for (Node node : nodes) {
            Connection c = connections.get(node.address());
            if (c != null && c.state == Connection.State.READY) {
                int load = c.inFlightCount + c.queued.size();
                if (load < bestLoad) {
                    best = node;
                    bestLoad = load;
                }
            } else if (fallback == null && (c == null || c.state != Connection.State.DISCONNECTED
                || now - c.reconnectAtNanos >= 0)) {
                fallback = node;
            }
        }
        return best != null ? best : fallback;
    }

    /**
     * Closes every connection (failing what is pending on them) and stops the I/O thread, waiting up to
     * 5 seconds for it unless called from it.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        selector.wakeup();
        if (!inIoThread()) {
            try {
                ioThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private TributaryException closedException() {
        return new TributaryException("The network client " + clientId + " is closed");
    }

    private boolean submit(Runnable command) {
        if (closing) {
            return false;
        }
        commands.add(command);
        if (!inIoThread()) {
            selector.wakeup();
        }
        return true;
    }

    // ------------------------------------------------------------------ I/O thread

    private void run() {
        try {
            while (!closing) {
                try {
                    loopOnce();
                } catch (ClosedSelectorException e) {
                    break;
                } catch (Throwable t) {
                    // A bug in a task must not silently stop every client built on this thread.
                    log.error("Unexpected error on the I/O thread of client {}", clientId, t);
                }
            }
        } finally {
            shutdown();
        }
    }

    private void loopOnce() throws IOException {
        runCommands();
        long now = System.nanoTime();
        runTimers(now);
        now = System.nanoTime();
        if (now - nextScanNanos >= 0) {
            scan(now);
            nextScanNanos = now + SCAN_INTERVAL_NANOS;
        }
        long waitMs = 1_000;
        ScheduledTask next = timers.peek();
        if (next != null) {
            // Rounded up: a timer must not fire early (linger.ms would be cut short), and waking once on time beats
            // waking early and polling again.
            long remaining = Math.max(0, next.deadlineNanos - now);
            waitMs = Math.min(waitMs, (remaining + 999_999) / 1_000_000);
        }
        if (!connections.isEmpty()) {
            waitMs = Math.min(waitMs, TimeUnit.NANOSECONDS.toMillis(SCAN_INTERVAL_NANOS));
        }
        // select(0) would wait without limit: a timer due now or work queued means not waiting at all.
        int ready = waitMs > 0 && commands.isEmpty() && submitted.isEmpty() ? selector.select(waitMs) : selector.selectNow();
        if (ready > 0) {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                handleKey(key);
            }
        }
    }

    private void runCommands() {
        PendingRequest pending;
        while ((pending = submitted.poll()) != null) {
            enqueue(pending);
        }
        // Bounded by the queue's size at the start, so commands that submit commands cannot starve the selector.
        for (int n = commands.size(); n > 0; n--) {
            Runnable command = commands.poll();
            if (command == null) {
                return;
            }
            try {
                command.run();
            } catch (RuntimeException e) {
                log.error("A task on the I/O thread of client {} failed", clientId, e);
            }
        }
    }

    private void runTimers(long now) {
        ScheduledTask t;
        while ((t = timers.peek()) != null && now - t.deadlineNanos >= 0) {
            timers.poll();
            if (t.isCancelled()) {
                continue;
            }
            try {
                t.task.run();
            } catch (RuntimeException e) {
                log.error("A scheduled task on the I/O thread of client {} failed", clientId, e);
            }
        }
    }

    private void scheduleInternal(long deadlineNanos, Runnable task) {
        timers.add(new ScheduledTask(deadlineNanos, timerSequence.getAndIncrement(), task));
    }

    private void enqueue(PendingRequest pending) {
        String address = pending.node.address();
        Connection c = connections.get(address);
        if (c == null) {
            c = new Connection(address, pending.node);
            connections.put(address, c);
        }
        c.node = pending.node.isBootstrap() && !c.node.isBootstrap() ? c.node : pending.node;
        c.queued.add(pending);
        pump(c);
    }

    /** Moves a connection forward: connect if needed, then write queued requests while there is room in flight. */
    private void pump(Connection c) {
        switch (c.state) {
            case DISCONNECTED -> {
                if (c.queued.isEmpty()) {
                    return;
                }
                long now = System.nanoTime();
                if (now - c.reconnectAtNanos >= 0) {
                    connect(c, now);
                } else if (!c.reconnectScheduled) {
                    c.reconnectScheduled = true;
                    scheduleInternal(c.reconnectAtNanos, () -> {
                        c.reconnectScheduled = false;
                        pump(c);
                    });
                }
            }
            case CONNECTING, HANDSHAKING, NEGOTIATING, AUTHENTICATING -> {
                // Queued requests wait for the connection to be set up.
            }
            case READY -> {
                if (c.reauthenticateAtNanos != 0 && !c.queued.isEmpty() && System.nanoTime() - c.reauthenticateAtNanos >= 0) {
                    // KIP-368: re-authenticate before sending more, once what is in flight is answered (answers come in
                    // order, and the broker must not see SaslHandshake between a request and its answer).
                    if (c.writing == null && c.inFlight.isEmpty() && transportFlushed(c)) {
                        authenticate(c);
                    }
                    return;
                }
                while (c.writing == null && !c.queued.isEmpty() && c.inFlight.size() < maxInFlight
                    && c.state == Connection.State.READY) {
                    PendingRequest next = c.queued.poll();
                    short version = c.negotiate(next.request);
                    if (version < 0) {
                        next.future.completeExceptionally(new UnsupportedVersionException("Broker " + c.address + " supports "
                            + next.request.api().title() + " versions " + c.brokerRange(next.request.api())
                            + "; this client can use " + next.request.minVersion() + "-" + next.request.maxVersion()));
                        continue;
                    }
                    startWrite(c, next, version);
                }
            }
        }
    }

    private void connect(Connection c, long now) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (sendBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
            }
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            c.channel = channel;
            c.state = Connection.State.CONNECTING;
            c.connectDeadlineNanos = now + connectTimeoutNanos;
            c.lastActivityNanos = now;
            boolean connected = channel.connect(new InetSocketAddress(c.node.host(), c.node.port()));
            c.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            if (connected) {
                startTransport(c);
            }
        } catch (UnresolvedAddressException e) {
            closeQuietly(channel);
            fail(c, new NetworkException("Cannot connect to " + describe(c) + ": the host name cannot be resolved"));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            fail(c, new NetworkException("Cannot connect to " + describe(c) + ": " + reason(e), e));
        }
    }

    private static String describe(Connection c) {
        return (c.node.isBootstrap() ? "bootstrap server " : "node " + c.node.id() + " at ") + c.address;
    }

    private static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private void handleKey(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        if (!key.isValid() || c.key != key) {
            return;
        }
        try {
            if (key.isConnectable()) {
                finishConnect(c);
                return;
            }
            if (c.state == Connection.State.HANDSHAKING) {
                continueHandshake(c);
                return;
            }
            if (key.isReadable()) {
                read(c);
            }
            if (key.isValid() && c.key == key && key.isWritable()) {
                flushWrites(c);
                if (c.state == Connection.State.READY) {
                    pump(c);
                }
            }
        } catch (SSLException e) {
            fail(c, tlsFailure(c, e));
        } catch (IOException | RuntimeException e) {
            fail(c, new NetworkException("Connection to " + describe(c) + " failed: " + reason(e), e));
        }
    }

    private static AuthenticationException tlsFailure(Connection c, SSLException e) {
        return new AuthenticationException(ErrorCode.NONE, "TLS", "TLS handshake with " + describe(c) + " failed: "
            + reason(e), e);
    }

    private void finishConnect(Connection c) {
        try {
            c.channel.finishConnect();
        } catch (IOException e) {
            fail(c, new NetworkException("Cannot connect to " + describe(c) + ": " + reason(e), e));
            return;
        }
        c.key.interestOps(SelectionKey.OP_READ);
        startTransport(c);
    }

    /** The TCP connection is up: start TLS when configured, else negotiate versions at once. */
    private void startTransport(Connection c) {
        if (security.tls() == null) {
            c.transport = new Transport.Plain(c.channel);
            negotiate(c, ApiKey.API_VERSIONS.maxVersion());
            return;
        }
        try {
            c.transport = new TlsTransport(c.channel, security.tls().newEngine(c.node.host(), c.node.port()));
            c.state = Connection.State.HANDSHAKING;
            continueHandshake(c);
        } catch (SSLException e) {
            fail(c, tlsFailure(c, e));
        } catch (IOException e) {
            fail(c, new NetworkException("Connection to " + describe(c) + " failed during the TLS handshake: " + reason(e), e));
        }
    }

    private void continueHandshake(Connection c) throws IOException {
        if (c.transport.handshake()) {
            c.key.interestOps(SelectionKey.OP_READ);
            negotiate(c, ApiKey.API_VERSIONS.maxVersion());
        } else {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private boolean transportFlushed(Connection c) {
        try {
            return c.transport.flush();
        } catch (IOException e) {
            fail(c, new NetworkException("Connection to " + describe(c) + " failed: " + reason(e), e));
            return false;
        }
    }

    /** Sends ApiVersions at {@code version} ahead of anything queued. */
    private void negotiate(Connection c, short version) {
        c.state = Connection.State.NEGOTIATING;
        Struct body = ApiVersionsRequest.SCHEMA.newStruct()
            .set(ApiVersionsRequest.CLIENT_SOFTWARE_NAME, SOFTWARE_NAME)
            .set(ApiVersionsRequest.CLIENT_SOFTWARE_VERSION, SOFTWARE_VERSION);
        ClientRequest request = new ClientRequest(ApiKey.API_VERSIONS, version, version, v -> body, true);
        CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        PendingRequest pending = new PendingRequest(c.node, request, future, System.nanoTime() + requestTimeoutNanos);
        future.whenComplete((response, error) -> {
            if (error == null) {
                negotiated(c, response, version);
            }
            // On error the connection has already failed, which failed this request too.
        });
        startWrite(c, pending, version);
    }

    private void negotiated(Connection c, ClientResponse response, short sentVersion) {
        Struct body = response.body();
        ErrorCode error = ErrorCode.forCode(body.get(ApiVersionsResponse.ERROR_CODE));
        short[] min = new short[128];
        short[] max = new short[128];
        java.util.Arrays.fill(max, (short) -1);
        for (Struct api : body.get(ApiVersionsResponse.API_KEYS)) {
            short id = api.get(ApiVersion.API_KEY);
            if (id >= 0 && id < max.length) {
                min[id] = api.get(ApiVersion.MIN_VERSION);
                max[id] = api.get(ApiVersion.MAX_VERSION);
            }
        }
        short apiVersionsId = ApiKey.API_VERSIONS.id();
        if (error == ErrorCode.UNSUPPORTED_VERSION && max[apiVersionsId] >= 0 && max[apiVersionsId] < sentVersion) {
            // The broker is older than us: it told us (in a v0 answer) which ApiVersions versions it has.
            negotiate(c, (short) Math.max(max[apiVersionsId], ApiKey.API_VERSIONS.minVersion()));
            return;
        }
        if (error != ErrorCode.NONE) {
            fail(c, new NetworkException("Broker " + c.address + " refused ApiVersions: " + error));
            return;
        }
        c.brokerMin = min;
        c.brokerMax = max;
        if (security.sasl() != null) {
            authenticate(c);
            return;
        }
        ready(c);
    }

    private void ready(Connection c) {
        c.state = Connection.State.READY;
        c.failures = 0;
        log.debug("Connected to {} for client {}", describe(c), clientId);
        pump(c);
    }

    // ------------------------------------------------------------------ SASL (KIP-152, KIP-368)

    /** Sends SaslHandshake v1 naming the mechanism; the exchange follows in SaslAuthenticate requests. */
    private void authenticate(Connection c) {
        c.state = Connection.State.AUTHENTICATING;
        c.reauthenticateAtNanos = 0;
        String mechanism = security.sasl().mechanism();
        short version = c.negotiate(ClientRequest.of(ApiKey.SASL_HANDSHAKE, v -> null).withVersions(1, 1));
        short authenticateVersion = c.negotiate(ClientRequest.of(ApiKey.SASL_AUTHENTICATE, v -> null));
        if (version < 0 || authenticateVersion < 0) {
            fail(c, new AuthenticationException(ErrorCode.UNSUPPORTED_VERSION, mechanism, "Broker " + describe(c)
                + " does not serve SaslHandshake v1 and SaslAuthenticate (it serves SaslHandshake " + c.brokerRange(ApiKey.SASL_HANDSHAKE)
                + "); is its listener SASL_PLAINTEXT or SASL_SSL?", null));
            return;
        }
        Struct body = SaslHandshakeRequest.SCHEMA.newStruct().set(SaslHandshakeRequest.MECHANISM, mechanism);
        sendInternal(c, ApiKey.SASL_HANDSHAKE, version, body).whenComplete((response, error) -> {
            if (error != null) {
                return; // the connection failed, which failed this request too
            }
            ErrorCode code = ErrorCode.forCode(response.body().get(SaslHandshakeResponse.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                List<String> enabled = response.body().get(SaslHandshakeResponse.MECHANISMS);
                fail(c, new AuthenticationException(code, mechanism, "SASL mechanism " + mechanism + " is not enabled on "
                    + describe(c) + " (" + code + "; it enables " + enabled + ")", null));
                return;
            }
            SaslMechanismClient exchange = security.sasl().newExchange();
            byte[] first;
            try {
                first = exchange.initialResponse();
            } catch (SaslException e) {
                fail(c, saslFailure(c, ErrorCode.SASL_AUTHENTICATION_FAILED, reason(e), e));
                return;
            }
            saslStep(c, exchange, authenticateVersion, first);
        });
    }

    private void saslStep(Connection c, SaslMechanismClient exchange, short version, byte[] token) {
        Struct body = SaslAuthenticateRequest.SCHEMA.newStruct().set(SaslAuthenticateRequest.AUTH_BYTES, ByteBuffer.wrap(token));
        sendInternal(c, ApiKey.SASL_AUTHENTICATE, version, body).whenComplete((response, error) -> {
            if (error != null) {
                return;
            }
            Struct answer = response.body();
            ErrorCode code = ErrorCode.forCode(answer.get(SaslAuthenticateResponse.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                String message = answer.get(SaslAuthenticateResponse.ERROR_MESSAGE);
                fail(c, saslFailure(c, code, message == null ? code.toString() : message, null));
                return;
            }
            ByteBuffer serverBytes = answer.get(SaslAuthenticateResponse.AUTH_BYTES);
            byte[] challenge = new byte[serverBytes == null ? 0 : serverBytes.remaining()];
            if (serverBytes != null) {
                serverBytes.duplicate().get(challenge);
            }
            byte[] next;
            try {
                next = exchange.evaluate(challenge);
            } catch (SaslException e) {
                fail(c, saslFailure(c, ErrorCode.SASL_AUTHENTICATION_FAILED, reason(e), e));
                return;
            }
            if (next != null) {
                saslStep(c, exchange, version, next);
                return;
            }
            long lifetimeMs = version >= 1 ? answer.get(SaslAuthenticateResponse.SESSION_LIFETIME_MS) : 0;
            if (lifetimeMs > 0) {
                // Kafka's window: at 85-95% of the lifetime, spread so that many connections do not re-authenticate at once.
                double fraction = 0.85 + 0.10 * ThreadLocalRandom.current().nextDouble();
                c.reauthenticateAtNanos = System.nanoTime() + Math.max(1, (long) (TimeUnit.MILLISECONDS.toNanos(lifetimeMs) * fraction));
            }
            ready(c);
        });
    }

    private AuthenticationException saslFailure(Connection c, ErrorCode code, String message, Throwable cause) {
        String user = security.sasl().username();
        return new AuthenticationException(code, security.sasl().mechanism(), "SASL " + security.sasl().mechanism()
            + " authentication" + (user != null ? " of " + user : "") + " to " + describe(c) + " failed: " + message, cause);
    }

    /** Writes a connection-setup request ahead of anything queued. */
    private CompletableFuture<ClientResponse> sendInternal(Connection c, ApiKey api, short version, Struct body) {
        ClientRequest request = new ClientRequest(api, version, version, v -> body, true);
        CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        startWrite(c, new PendingRequest(c.node, request, future, System.nanoTime() + requestTimeoutNanos), version);
        return future;
    }

    private void startWrite(Connection c, PendingRequest p, short version) {
        p.version = version;
        ByteBuffer[] buffers;
        try {
            p.correlationId = nextCorrelationId++;
            if (nextCorrelationId < 0) {
                nextCorrelationId = 0;
            }
            Struct body = p.request.body().build(version);
            OutboundMessage message = OutboundMessage.request(
                new RequestHeader(p.request.api(), version, p.correlationId, clientId), body);
            ByteBuffer inline = ByteBuffer.allocate(message.inlineSize());
            List<Object> externals = new ArrayList<>(0);
            message.writeFrame(inline, (position, records) -> {
                externals.add(position);
                externals.add(records);
            });
            inline.flip();
            buffers = gather(inline, externals);
        } catch (RuntimeException e) {
            // The body builder or the encoder refused the body: this request's fault, not the connection's.
            p.future.completeExceptionally(e);
            return;
        }
        if (p.request.expectsResponse()) {
            c.inFlight.add(p);
            c.inFlightCount = c.inFlight.size();
        }
        c.writing = p;
        c.writeBuffers = buffers;
        c.writeIndex = 0;
        try {
            flushWrites(c);
        } catch (IOException e) {
            fail(c, new NetworkException("Connection to " + describe(c) + " failed: " + reason(e), e));
        }
    }

    /** The frame as the socket must see it: inline bytes with each external records value at its position. */
    private static ByteBuffer[] gather(ByteBuffer inline, List<Object> externals) {
        if (externals.isEmpty()) {
            return new ByteBuffer[] {inline};
        }
        ByteBuffer[] parts = new ByteBuffer[externals.size() + 1];
        int from = 0;
        int n = 0;
        for (int i = 0; i < externals.size(); i += 2) {
            int position = (Integer) externals.get(i);
            ExternalRecords records = (ExternalRecords) externals.get(i + 1);
            if (!(records instanceof BufferedRecords buffered)) {
                throw new IllegalArgumentException("The client sends only BufferedRecords as external records, not "
                    + records.getClass().getName());
            }
            parts[n++] = inline.duplicate().position(from).limit(position);
            parts[n++] = buffered.view();
            from = position;
        }
        parts[n] = inline.duplicate().position(from).limit(inline.limit());
        return parts;
    }

    /** Writes as much of the current request as the socket takes; the caller pumps the next one. */
    private void flushWrites(Connection c) throws IOException {
        if (!c.transport.flush()) {
            // TLS records of an earlier write are still waiting for the socket.
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return;
        }
        if (c.writing != null) {
            ByteBuffer[] buffers = c.writeBuffers;
            c.transport.write(buffers, c.writeIndex, buffers.length - c.writeIndex);
            while (c.writeIndex < buffers.length && !buffers[c.writeIndex].hasRemaining()) {
                c.writeIndex++;
            }
            if (c.writeIndex < buffers.length) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            PendingRequest done = c.writing;
            c.writing = null;
            c.writeBuffers = null;
            c.lastActivityNanos = System.nanoTime();
            c.key.interestOps(c.transport.flush() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            if (!done.request.expectsResponse()) {
                done.future.complete(new ClientResponse(done.node, done.request.api(), done.version, null));
            }
        }
    }

    private void read(Connection c) throws IOException {
        while (c.key != null && c.key.isValid()) {
            if (c.frame == null) {
                int n = c.transport.read(c.sizeBuffer);
                if (n < 0) {
                    throw new IOException("connection closed by the broker");
                }
                if (c.sizeBuffer.hasRemaining()) {
                    return;
                }
                int size = c.sizeBuffer.getInt(0);
                c.sizeBuffer.clear();
                if (size < 4 || size > MAX_RESPONSE_SIZE) {
                    throw new IOException("invalid response frame size " + size + " (the stream is corrupt)");
                }
                c.frame = ByteBuffer.allocate(size);
            }
            int n = c.transport.read(c.frame);
            if (n < 0) {
                throw new IOException("connection closed by the broker");
            }
            if (c.frame.hasRemaining()) {
                return;
            }
            ByteBuffer frame = c.frame.flip();
            c.frame = null;
            c.lastActivityNanos = System.nanoTime();
            answer(c, frame);
        }
    }

    private void answer(Connection c, ByteBuffer frame) throws IOException {
        PendingRequest p = c.inFlight.poll();
        c.inFlightCount = c.inFlight.size();
        if (p == null) {
            throw new IOException("the broker sent an answer to no request");
        }
        int correlationId = frame.getInt(0);
        if (correlationId != p.correlationId) {
            c.inFlight.addFirst(p);
            throw new IOException("answer with correlation id " + correlationId + " where " + p.correlationId
                + " (" + p.describe() + ") was expected");
        }
        Response response;
        try {
            response = Response.read(frame.duplicate(), p.request.api(), p.version);
        } catch (RuntimeException e) {
            if (p.request.api() == ApiKey.API_VERSIONS && p.version > 0) {
                // A broker that does not know our ApiVersions version answers in v0 (Kafka's rule).
                p.future.complete(new ClientResponse(p.node, p.request.api(), (short) 0,
                    Response.read(frame, ApiKey.API_VERSIONS, (short) 0).body()));
                return;
            }
            c.inFlight.addFirst(p);
            throw new IOException("malformed answer to " + p.describe() + ": " + reason(e), e);
        }
        p.future.complete(new ClientResponse(p.node, p.request.api(), p.version, response.body()));
        if (c.state == Connection.State.READY) {
            pump(c);
        }
    }

    /** Request deadlines, connect deadlines and idle connections. */
    private void scan(long now) {
        for (Connection c : connections.values()) {
            if ((c.state == Connection.State.CONNECTING || c.state == Connection.State.HANDSHAKING)
                && now - c.connectDeadlineNanos >= 0) {
                fail(c, new NetworkException("Cannot connect to " + describe(c) + ": no connection within "
                    + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms"));
                continue;
            }
            for (Iterator<PendingRequest> it = c.queued.iterator(); it.hasNext(); ) {
                PendingRequest p = it.next();
                if (now - p.deadlineNanos >= 0) {
                    it.remove();
                    p.future.completeExceptionally(timedOut(p));
                }
            }
            PendingRequest expired = null;
            for (PendingRequest p : c.inFlight) {
                if (now - p.deadlineNanos >= 0) {
                    expired = p;
                    break;
                }
            }
            if (expired != null) {
                c.inFlight.remove(expired);
                expired.future.completeExceptionally(timedOut(expired));
                fail(c, new NetworkException("Connection to " + describe(c) + " closed because " + expired.describe()
                    + " was not answered within " + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms"));
                continue;
            }
            if (c.state == Connection.State.READY && !c.hasPending() && now - c.lastActivityNanos >= idleNanos) {
                log.debug("Closing idle connection to {} of client {}", describe(c), clientId);
                close(c);
                c.state = Connection.State.DISCONNECTED;
            }
        }
    }

    private TimeoutException timedOut(PendingRequest p) {
        return new TimeoutException(p.describe() + " was not answered within "
            + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms (request.timeout.ms)");
    }

    /** Closes the connection, fails everything pending on it with {@code cause}, and backs off before reconnecting. */
    private void fail(Connection c, TributaryException cause) {
        log.debug("Client {}: {}", clientId, cause.getMessage());
        close(c);
        c.state = Connection.State.DISCONNECTED;
        c.failures++;
        c.reconnectAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reconnectBackoff.delayMs(c.failures));
        List<PendingRequest> failed = new ArrayList<>(c.inFlight.size() + c.queued.size() + 1);
        if (c.writing != null && !c.writing.request.expectsResponse()) {
            failed.add(c.writing);
        }
        failed.addAll(c.inFlight);
        failed.addAll(c.queued);
        c.writing = null;
        c.writeBuffers = null;
        c.inFlight.clear();
        c.inFlightCount = 0;
        c.queued.clear();
        for (PendingRequest p : failed) {
            p.future.completeExceptionally(cause);
        }
    }

    private void close(Connection c) {
        if (c.key != null) {
            c.key.cancel();
            c.key = null;
        }
        closeQuietly(c.channel);
        c.channel = null;
        c.transport = null;
        c.reauthenticateAtNanos = 0;
        c.frame = null;
        c.sizeBuffer.clear();
        c.brokerMax = null;
        c.brokerMin = null;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more can be done with a channel that fails to close.
            }
        }
    }

    private void shutdown() {
        TributaryException closed = closedException();
        for (Connection c : connections.values()) {
            close(c);
            c.state = Connection.State.DISCONNECTED;
            List<PendingRequest> pending = new ArrayList<>(c.inFlight);
            if (c.writing != null && !c.writing.request.expectsResponse()) {
                pending.add(c.writing);
            }
            pending.addAll(c.queued);
            c.inFlight.clear();
            c.queued.clear();
            c.writing = null;
            pending.forEach(p -> p.future.completeExceptionally(closed));
        }
        connections.clear();
        timers.clear();
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("Closing the selector of client {} failed", clientId, e);
        }
        commands.clear();
        failSubmitted();
    }

    private void failSubmitted() {
        PendingRequest p;
        while ((p = submitted.poll()) != null) {
            p.future.completeExceptionally(closedException());
        }
    }

}
