package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.network.Backoff;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.clients.network.NetworkClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What every admin operation needs: the network client, which broker to ask when any will do, the deadline
 * and retry rule operations run under ({@link RetryingCall}), and the thread their results are delivered on.
 *
 * <p>Operations are built from internal futures that complete on the I/O thread (their continuations only
 * parse answers and send further requests, never block); {@link #deliver} hands the outcome to the callback
 * executor before any application code sees it.
 */
final class AdminContext {
    private final NetworkClient network;
    private final Executor callbacks;
    private final long apiTimeoutMs;
    private final Backoff retryBackoff;
    private final List<Node> bootstrap;
    private final Set<RetryingCall<?>> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong retries = new AtomicLong();
    private volatile List<Node> knownNodes = List.of();
    private volatile boolean closed;
    private int nextBootstrap;

    AdminContext(NetworkClient network, Executor callbacks, ClientConfig config) {
        this.network = network;
        this.callbacks = callbacks;
        this.apiTimeoutMs = config.get(AdminConfig.DEFAULT_API_TIMEOUT_MS);
        this.retryBackoff = new Backoff(config.get(CommonClientConfigs.RETRY_BACKOFF_MS),
            config.get(CommonClientConfigs.RETRY_BACKOFF_MAX_MS));
        this.bootstrap = bootstrapNodes(config.get(CommonClientConfigs.BOOTSTRAP_SERVERS));
    }

    /** Bootstrap addresses as nodes with ids -1, -2, ... (bootstrap.servers entries are checked host:port). */
    private static List<Node> bootstrapNodes(List<String> entries) {
        List<Node> nodes = new ArrayList<>();
        int id = -1;
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            nodes.add(new Node(id--, host, Integer.parseInt(entry.substring(colon + 1))));
        }
        return List.copyOf(nodes);
    }

    NetworkClient network() {
        return network;
    }

    long apiTimeoutMs() {
        return apiTimeoutMs;
    }

    CompletableFuture<ClientResponse> send(Node node, ClientRequest request) {
        return network.send(node, request);
    }

    /** Remembers the brokers a metadata answer listed, so later requests spread over them. */
    void learnNodes(Collection<Node> nodes) {
        if (!nodes.isEmpty()) {
            knownNodes = List.copyOf(nodes);
        }
    }

    /** The brokers last seen in metadata, or the bootstrap addresses before any answer. */
    List<Node> nodes() {
        List<Node> known = knownNodes;
        return known.isEmpty() ? bootstrap : known;
    }

    /**
     * A broker for a request any broker can answer (metadata, topic and config admin): the least loaded known
     * broker; else a bootstrap address; else, when all are backing off, the bootstrap addresses in turn.
     */
    synchronized Node anyNode() {
        Node node = network.leastLoadedNode(knownNodes);
        if (node == null) {
            node = network.leastLoadedNode(bootstrap);
        }
        return node != null ? node : bootstrap.get(Math.floorMod(nextBootstrap++, bootstrap.size()));
    }

    /** Runs {@code attempt} until it succeeds, fails for good, or the operation's deadline passes. */
    <T> CompletableFuture<T> retrying(String what, Supplier<CompletableFuture<T>> attempt) {
        RetryingCall<T> call = new RetryingCall<>(network, what, apiTimeoutMs, retryBackoff, attempt, retries);
        running.add(call);
        call.result().whenComplete((v, e) -> running.remove(call));
        if (closed) {
            call.abandon();
            return call.result();
        }
        return call.start();
    }

    /** Retries scheduled so far by all operations (tests wait on it to know a failure was seen and retried). */
    long retries() {
        return retries.get();
    }

    /** Fails every call still running; called after the network client has closed. */
    void close() {
        closed = true;
        for (RetryingCall<?> call : running) {
            call.abandon();
        }
    }

    /** A future that completes like {@code internal}, on the callback thread, with the cause unwrapped. */
    <T> CompletableFuture<T> deliver(CompletableFuture<T> internal) {
        CompletableFuture<T> delivered = new CompletableFuture<>();
        internal.whenComplete((value, error) -> onCallbackThread(() -> {
            if (error == null) {
                delivered.complete(value);
            } else {
                delivered.completeExceptionally(unwrap(error));
            }
        }));
        return delivered;
    }

    /**
     * Per-key futures for {@code keys}, completed on the callback thread from {@code internal}, whose map holds
     * each key's already completed outcome. A failure of {@code internal} fails every key; a key it does not
     * mention fails with an IllegalStateException naming it.
     */
    <K, V> KeyedResults<K, V> deliver(Collection<K> keys, String what, CompletableFuture<Map<K, CompletableFuture<V>>> internal) {
        Map<K, CompletableFuture<V>> futures = new LinkedHashMap<>();
        for (K key : keys) {
            futures.put(key, new CompletableFuture<>());
        }
        internal.whenComplete((outcomes, error) -> onCallbackThread(() -> {
            futures.forEach((key, future) -> {
                if (error != null) {
                    future.completeExceptionally(unwrap(error));
                    return;
                }
                CompletableFuture<V> outcome = outcomes.get(key);
                if (outcome == null) {
                    future.completeExceptionally(new IllegalStateException(what + ": the broker's answer says nothing about " + key));
                } else {
                    // A key's outcome may still be running (one retried call per group), and would then complete
                    // on the I/O thread: hop again.
                    outcome.whenComplete((v, e) -> onCallbackThread(() -> {
                        if (e == null) {
                            future.complete(v);
                        } else {
                            future.completeExceptionally(unwrap(e));
                        }
                    }));
                }
            });
        }));
        return new KeyedResults<>(futures);
    }

    private void onCallbackThread(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            // The admin is closed: nobody's continuation can outlive it, so completing here is safe.
            task.run();
        }
    }

    /** The exception an internal future failed with, without CompletionException/ExecutionException wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The exception as a TributaryException, for code that must throw one. */
    static TributaryException asTributary(Throwable error, String what) {
        Throwable t = unwrap(error);
        if (t instanceof TributaryException te) {
            return te;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        return new TributaryException(what + " failed: " + t, t);
    }
}
