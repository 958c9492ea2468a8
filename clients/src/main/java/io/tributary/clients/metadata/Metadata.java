package io.tributary.clients.metadata;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.AuthenticationException;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.network.Backoff;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.network.ScheduledTask;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseBroker;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponsePartition;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseTopic;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's cluster metadata cache: the current {@link Cluster} snapshot, kept fresh by Metadata requests
 * for the topics the client cares about.
 *
 * <h2>When it refreshes</h2>
 * <ul>
 * <li>on demand ({@link #requestUpdate}), e.g. when a topic of interest is added and not yet known;</li>
 * <li>when a request hit an error that means the metadata is stale ({@link #onPartitionError}:
 *     NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, ...);</li>
 * <li>when the snapshot is older than {@code metadata.max.age.ms}.</li>
 * </ul>
 * One request at a time, to the least loaded broker (the bootstrap addresses before the first answer, or
 * when no known broker can be reached); at least {@code retry.backoff.ms} apart, and after failures backing
 * off exponentially to {@code retry.backoff.max.ms}.
 *
 * <h2>Threading</h2>
 * Requests and snapshot building run on the network client's I/O thread; the snapshot is published through
 * a volatile field, so {@link #cluster()} is cheap from any thread. {@link #awaitTopic} blocks and must not
 * be called on the I/O thread. Listeners run on the I/O thread.
 */
public final class Metadata implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Metadata.class);
    /** Metadata v4 is the first with allow_auto_topic_creation; Kafka 4 brokers serve v0+ anyway. */
    private static final short MIN_VERSION = 4;

    private final NetworkClient network;
    private final boolean allowAutoTopicCreation;
    private final long maxAgeMs;
    private final long refreshBackoffMs;
    private final Backoff failureBackoff;
    private final List<Node> bootstrap;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Cluster>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean allTopics;
    private volatile Cluster cluster;
    private volatile CompletableFuture<Cluster> nextUpdate = new CompletableFuture<>();
    private volatile TributaryException lastError;
    /** How often a waiting caller looks for an authentication failure. */
    private static final long AUTHENTICATION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private volatile boolean closed;

    // I/O thread only
    private boolean inFlight;
    private boolean again;
    private long lastAttemptNanos;
    private int failures;
    private ScheduledTask retryTask;
    private ScheduledTask ageTask;
    private int bootstrapIndex;

    /**
     * @param allowAutoTopicCreation sent in every request: whether asking for a missing topic may create it
     *                               (the broker's auto.create.topics.enable decides in the end)
     */
    public Metadata(NetworkClient network, ClientConfig config, boolean allowAutoTopicCreation) {
        this.network = network;
        this.allowAutoTopicCreation = allowAutoTopicCreation;
        this.maxAgeMs = config.get(CommonClientConfigs.METADATA_MAX_AGE_MS);
        this.refreshBackoffMs = config.get(CommonClientConfigs.RETRY_BACKOFF_MS);
        this.failureBackoff = new Backoff(refreshBackoffMs, config.get(CommonClientConfigs.RETRY_BACKOFF_MAX_MS));
        List<Node> nodes = new ArrayList<>();
        int id = -1;
        for (String entry : config.get(CommonClientConfigs.BOOTSTRAP_SERVERS)) {
            int colon = entry.lastIndexOf(':');
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            nodes.add(new Node(id--, host, Integer.parseInt(entry.substring(colon + 1))));
        }
        this.bootstrap = List.copyOf(nodes);
        this.cluster = Cluster.bootstrap(bootstrap);
    }

    /** The current snapshot; never null. */
    public Cluster cluster() {
        return cluster;
    }

    /** The last failure of a metadata request since the last success, or null. */
    public TributaryException lastError() {
        return lastError;
    }

    /** Adds topics to those asked for; asks for an update if one of them is not in the snapshot. */
    public void addTopics(Collection<String> names) {
        boolean unknown = false;
        for (String name : names) {
            if (topics.add(name) || cluster.topic(name) == null) {
                unknown = true;
            }
        }
        if (unknown) {
            requestUpdate();
        }
    }

    /** Replaces the topics asked for; asks for an update if one of them is not in the snapshot. */
    public void setTopics(Collection<String> names) {
        topics.retainAll(new HashSet<>(names));
        addTopics(names);
    }

    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    /** Ask for every topic of the cluster (a consumer subscribed by pattern, an admin listing topics). */
    public void setAllTopics(boolean all) {
        boolean changed = allTopics != all;
        allTopics = all;
        if (changed && all) {
            requestUpdate();
        }
    }

    /** Called on the I/O thread with every new snapshot. */
    public void addListener(Consumer<Cluster> listener) {
        listeners.add(listener);
    }

    /**
     * Asks for a refresh as soon as the backoff allows and returns the future of the next snapshot (which
     * completes on the I/O thread; it never fails, but may never complete if the cluster stays unreachable,
     * so wait on it with a deadline).
     */
    public CompletableFuture<Cluster> requestUpdate() {
        CompletableFuture<Cluster> future = nextUpdate;
        if (!closed) {
            network.execute(this::maybeRefresh);
        }
        return future;
    }

    /**
     * Whether an error for a partition means the client's metadata is stale (its leader moved, it was
     * created or deleted), so that a refresh may fix it.
     */
    public static boolean isStaleMetadataError(ErrorCode code) {
        return switch (code) {
            case NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, FENCED_LEADER_EPOCH,
                 UNKNOWN_LEADER_EPOCH, KAFKA_STORAGE_ERROR, NOT_ENOUGH_REPLICAS, REPLICA_NOT_AVAILABLE,
                 UNKNOWN_TOPIC_ID, INCONSISTENT_TOPIC_ID, NOT_CONTROLLER, BROKER_NOT_AVAILABLE -> true;
            default -> false;
        };
    }

    /** Reports an error a request got for {@code partition}; refreshes if it means the metadata is stale. */
    public void onPartitionError(TopicPartition partition, ErrorCode code) {
        if (isStaleMetadataError(code)) {
            log.debug("Refreshing metadata after {} for {}", code, partition);
            requestUpdate();
        }
    }

    /**
     * Blocks until the snapshot has {@code topic} available (no error, at least one partition), adding it to
     * the topics asked for.
     *
     * @return the snapshot in which it is available
     * @throws TimeoutException     after {@code timeout}, naming the topic, the broker's answer for it and the
     *                              last request failure (a refused bootstrap connection names host:port)
     * @throws ApiException         when the broker answers a non-retriable error for it (INVALID_TOPIC_EXCEPTION, ...)
     * @throws InterruptException   if interrupted
     * @throws IllegalStateException on the I/O thread, where waiting would deadlock
     */
    public Cluster awaitTopic(String topic, Duration timeout) {
        return awaitTopic(topic, System.nanoTime() + timeout.toNanos(), timeout.toMillis());
    }

    /**
     * {@link #awaitTopic(String, Duration)} with an absolute deadline ({@link System#nanoTime()} based), for a
     * caller whose time budget started earlier; {@code budgetMs} is the budget the timeout message reports.
     */
    public Cluster awaitTopic(String topic, long deadline, long budgetMs) {
        if (network.inIoThread()) {
            throw new IllegalStateException("awaitTopic(" + topic + ") would block the I/O thread that answers it");
        }
        addTopics(List.of(topic));
        while (true) {
            Cluster current = cluster;
            TopicMetadata t = current.topic(topic);
            if (t != null && t.isAvailable()) {
                return current;
            }
            if (t != null && t.error() != ErrorCode.NONE && !t.error().isRetriable()) {
                throw ApiException.of(t.error(), "Metadata for topic " + topic, null);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                TributaryException last = lastError;
                throw new TimeoutException("Topic " + topic + " not present in metadata after " + budgetMs + " ms"
                    + (t != null && t.error() != ErrorCode.NONE ? " (the broker answers " + t.error() + " for it)" : "")
                    + (last != null ? "; last error: " + last.getMessage() : ""), last);
            }
            throwIfAuthenticationFailed();
            CompletableFuture<Cluster> update = requestUpdate();
            try {
                update.get(Math.min(remaining, AUTHENTICATION_CHECK_NANOS), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                // loop: the deadline check above reports it
            } catch (InterruptedException e) {
                throw new InterruptException("Interrupted while waiting for metadata of topic " + topic, e);
            }
        }
    }

    /**
     * Blocks until the first metadata answer (or any newer one), e.g. for an admin client that needs the brokers.
     *
     * @throws TimeoutException naming the last failure (such as a refused bootstrap address)
     */
    public Cluster awaitUpdate(Duration timeout) {
        if (network.inIoThread()) {
            throw new IllegalStateException("awaitUpdate would block the I/O thread that answers it");
        }
        CompletableFuture<Cluster> update = requestUpdate();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    return update.get(Math.max(0, Math.min(deadline - System.nanoTime(), AUTHENTICATION_CHECK_NANOS)), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throwIfAuthenticationFailed();
                    if (deadline - System.nanoTime() <= 0) {
                        throw e;
                    }
                }
            }
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            TributaryException last = lastError;
            throw new TimeoutException("No metadata from the cluster within " + timeout.toMillis() + " ms"
                + (last != null ? "; last error: " + last.getMessage() : ""), last);
        } catch (InterruptedException e) {
            throw new InterruptException("Interrupted while waiting for metadata", e);
        }
    }

    /**
     * A refused TLS handshake or SASL login is not retried until a timeout hides it (Kafka's clients fail at once too):
     * waiting callers get the {@link AuthenticationException} with the mechanism and the broker's words.
     */
    private void throwIfAuthenticationFailed() {
        if (lastError instanceof AuthenticationException refused) {
            throw refused;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            network.execute(() -> {
                cancel(retryTask);
                cancel(ageTask);
            });
        } catch (TributaryException alreadyClosed) {
            // the network client stopped first; its timers are gone with it
        }
    }

    private static void cancel(ScheduledTask task) {
        if (task != null) {
            task.cancel();
        }
    }

    // ------------------------------------------------------------------ I/O thread

    private void maybeRefresh() {
        if (closed) {
            return;
        }
        if (inFlight) {
            again = true;
            return;
        }
        long now = System.nanoTime();
        long waitMs = failures > 0 ? failureBackoff.delayMs(failures) : refreshBackoffMs;
        long earliest = lastAttemptNanos == 0 ? now : lastAttemptNanos + TimeUnit.MILLISECONDS.toNanos(waitMs);
        if (now - earliest < 0) {
            if (retryTask == null || retryTask.isCancelled()) {
                retryTask = network.schedule(TimeUnit.NANOSECONDS.toMillis(earliest - now) + 1, () -> {
                    retryTask = null;
                    maybeRefresh();
                });
            }
            return;
        }
        Node node = pickNode();
        lastAttemptNanos = now;
        inFlight = true;
        Set<String> asked = allTopics ? null : Set.copyOf(topics);
        ClientRequest request = new ClientRequest(ApiKey.METADATA, MIN_VERSION, ApiKey.METADATA.maxVersion(),
            version -> requestBody(asked), true);
        network.send(node, request).whenComplete((response, error) -> {
            inFlight = false;
            if (error != null) {
                failed(node, error);
            } else {
                answered(response, asked);
            }
            if (again || error != null) {
                again = false;
                maybeRefresh();
            }
        });
    }

    private Node pickNode() {
        Cluster current = cluster;
        if (!current.isBootstrap()) {
            Node node = network.leastLoadedNode(current.nodes());
            if (node != null) {
                return node;
            }
        }
        Node node = network.leastLoadedNode(bootstrap);
        if (node != null) {
            return node;
        }
        // Everything is backing off: take bootstrap addresses in turn; the request waits for the backoff.
        return bootstrap.get(Math.floorMod(bootstrapIndex++, bootstrap.size()));
    }

    private Struct requestBody(Set<String> asked) {
        Struct body = MetadataRequest.SCHEMA.newStruct();
        body.set(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION, allowAutoTopicCreation);
        if (asked == null) {
            body.set(MetadataRequest.TOPICS, null);
        } else {
            body.set(MetadataRequest.TOPICS, new ArrayList<>());
            for (String name : asked) {
                body.add(MetadataRequest.TOPICS).set(MetadataRequest.MetadataRequestTopic.NAME, name);
            }
        }
        return body;
    }

    private void failed(Node node, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        failures++;
        lastError = cause instanceof TributaryException t ? t
            : new TributaryException("Metadata request to " + node + " failed: " + cause, cause);
        log.debug("Metadata request to {} failed: {}", node, cause.getMessage());
    }

    private void answered(ClientResponse response, Set<String> asked) {
        Struct body = response.body();
        ErrorCode top = ErrorCode.forCode(body.get(MetadataResponse.ERROR_CODE));
        if (top != ErrorCode.NONE) {
            failed(response.node(), ApiException.of(top, "Metadata request to " + response.node(), null));
            again = true;
            return;
        }
        Map<Integer, Node> nodes = new LinkedHashMap<>();
        for (Struct b : body.get(MetadataResponse.BROKERS)) {
            int id = b.get(MetadataResponseBroker.NODE_ID);
            nodes.put(id, new Node(id, b.get(MetadataResponseBroker.HOST), b.get(MetadataResponseBroker.PORT),
                b.get(MetadataResponseBroker.RACK)));
        }
        Map<String, TopicMetadata> topicMap = new HashMap<>();
        Cluster previous = cluster;
        if (asked != null) {
            // Topics added while this request was in flight keep what the last snapshot knew of them.
            for (String name : topics) {
                if (!asked.contains(name) && previous.topic(name) != null) {
                    topicMap.put(name, previous.topic(name));
                }
            }
        }
        Map<UUID, String> names = new HashMap<>();
        for (Struct t : body.get(MetadataResponse.TOPICS)) {
            String name = t.get(MetadataResponseTopic.NAME);
            if (name == null) {
                continue;
            }
            UUID id = t.get(MetadataResponseTopic.TOPIC_ID);
            List<PartitionMetadata> partitions = new ArrayList<>();
            for (Struct p : t.get(MetadataResponseTopic.PARTITIONS)) {
                int index = p.get(MetadataResponsePartition.PARTITION_INDEX);
                if (index < 0) {
                    continue;
                }
                partitions.add(new PartitionMetadata(new TopicPartition(name, index), p.get(MetadataResponsePartition.LEADER_ID),
                    p.get(MetadataResponsePartition.LEADER_EPOCH), ErrorCode.forCode(p.get(MetadataResponsePartition.ERROR_CODE))));
            }
            partitions.sort((a, b) -> Integer.compare(a.partition().partition(), b.partition().partition()));
            if (!contiguous(partitions)) {
                log.warn("Metadata for topic {} lists partitions {} with gaps; ignoring the topic until it is complete", name, partitions);
                partitions = List.of();
            }
            topicMap.put(name, new TopicMetadata(name, id, ErrorCode.forCode(t.get(MetadataResponseTopic.ERROR_CODE)),
                t.get(MetadataResponseTopic.IS_INTERNAL), partitions));
        }
        for (TopicMetadata t : topicMap.values()) {
            if (!t.topicId().equals(new UUID(0, 0))) {
                names.put(t.topicId(), t.name());
            }
        }
        Cluster next = new Cluster(body.get(MetadataResponse.CLUSTER_ID), bootstrap, nodes, topicMap, names,
            System.currentTimeMillis());
        cluster = next;
        failures = 0;
        lastError = null;
        CompletableFuture<Cluster> done = nextUpdate;
        nextUpdate = new CompletableFuture<>();
        cancel(ageTask);
        ageTask = network.schedule(maxAgeMs, this::maybeRefresh);
        done.complete(next);
        for (Consumer<Cluster> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                log.error("A metadata listener failed", e);
            }
        }
    }

    private static boolean contiguous(List<PartitionMetadata> partitions) {
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).partition().partition() != i) {
                return false;
            }
        }
        return true;
    }
}
