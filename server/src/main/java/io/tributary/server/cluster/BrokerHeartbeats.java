package io.tributary.server.cluster;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This broker's life on the quorum (Kafka's BrokerLifecycleManager): it registers (a new broker epoch, fenced),
 * heartbeats every {@code broker.heartbeat.interval.ms} asking to be unfenced once its image shows its own
 * registration, registers again when the controller no longer knows its epoch, and at shutdown asks to be fenced
 * with its leadership moved away first (controlled shutdown). The first time it is unfenced after a fresh quorum, it
 * registers the topics its logs held before the cluster existed, under their own ids and with itself as the only
 * replica, so an upgrade loses nothing; then the image becomes the truth for deletions
 * ({@link MetadataPublisher#reconcileDeletions()}).
 */
public final class BrokerHeartbeats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerHeartbeats.class);

    private final ClusterMetadata cluster;
    private final MetadataPublisher publisher;
    private final LogManager logs;
    private final List<Endpoint> endpoints;
    private final String rack;
    private final long intervalMs;
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean fenced = true;
    private volatile boolean stopping;

    public BrokerHeartbeats(ClusterMetadata cluster, MetadataPublisher publisher, LogManager logs,
                            List<Endpoint> endpoints, String rack, long intervalMs) {
        this.cluster = cluster;
        this.publisher = publisher;
        this.logs = logs;
        this.endpoints = List.copyOf(endpoints);
        this.rack = rack == null || rack.isEmpty() ? null : rack;
        this.intervalMs = intervalMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "broker-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts registering and heartbeating; {@link #ready()} completes once this broker is unfenced. */
    public void start() {
        thread.execute(this::beat);
    }

    /** Completes when this broker was first unfenced and its pre-cluster topics are registered. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean fenced() {
        return fenced;
    }

    private void beat() {
        if (stopping) {
            return;
        }
        long next = intervalMs;
        try {
            Duration timeout = Duration.ofMillis(Math.max(intervalMs, 1_000));
            if (cluster.brokerEpoch() < 0) {
                ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.Register(cluster.nodeId(),
                    endpoints, rack), timeout).join();
                if (reply.accepted()) {
                    cluster.brokerEpoch(reply.value());
                    publisher.registered(reply.value());
                    log.info("Broker {} registered with broker epoch {}", cluster.nodeId(), reply.value());
                    next = 0;
                } else {
                    log.debug("Registration of broker {} not accepted yet: {} {}", cluster.nodeId(), reply.error(),
                        reply.message());
                    next = Math.min(intervalMs, 200);
                }
            } else {
                BrokerRegistration mine = cluster.image().broker(cluster.nodeId());
                boolean caughtUp = mine != null && mine.brokerEpoch() == cluster.brokerEpoch();
                ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.Heartbeat(cluster.nodeId(),
                    cluster.brokerEpoch(), !caughtUp, false), timeout).join();
                if (reply.error() == ErrorCode.STALE_BROKER_EPOCH
                    || reply.error() == ErrorCode.BROKER_ID_NOT_REGISTERED) {
                    log.warn("Broker {} epoch {} is no longer registered ({}); registering again", cluster.nodeId(),
                        cluster.brokerEpoch(), reply.error());
                    cluster.brokerEpoch(-1);
                    next = 0;
                } else if (reply.accepted()) {
                    boolean nowFenced = (reply.value() & 1) != 0;
                    if (fenced && !nowFenced) {
                        log.info("Broker {} is unfenced", cluster.nodeId());
                    }
                    fenced = nowFenced;
                    if (!fenced && !ready.isDone()) {
                        registerPreClusterTopics();
                        publisher.reconcileDeletions();
                        publisher.awaitPublished(30_000);
                        ready.complete(null);
                    }
                } else {
                    next = Math.min(intervalMs, 200);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat of broker {} failed: {}", cluster.nodeId(), e.toString());
            next = Math.min(intervalMs, 500);
        }
        if (!stopping) {
            try {
                thread.schedule(this::beat, next, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closed
            }
        }
    }

    /**
     * On the first start with a quorum, and at every start of a quorum of one: every local topic the image does not
     * know is registered under its own id, all its partitions on this broker. (A single node's local topics are its
     * own: one created in its logs by a caller inside the process, or left from before the cluster, is never thrown
     * away. In a cluster, a returning broker's topics that the image lacks were deleted meanwhile, and go.) A name the
     * image already holds under another id stays unregistered (logged): the cluster's topic wins.
     */
    private void registerPreClusterTopics() {
        if (!cluster.freshQuorum() && cluster.quorum().config().isCluster()) {
            return;
        }
        List<TopicMetadata> local = new ArrayList<>(logs.topics().values());
        for (TopicMetadata topic : local) {
            var inImage = cluster.image().topic(topic.name());
            if (inImage != null) {
                if (!inImage.topicId().equals(topic.topicId())) {
                    log.error("Local topic {} (id {}) clashes with the cluster's topic of that name (id {});"
                        + " the cluster's wins", topic.name(), topic.topicId(), inImage.topicId());
                }
                continue;
            }
            List<List<Integer>> assignment = Collections.nCopies(topic.partitionCount(), List.of(cluster.nodeId()));
            ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.CreateTopic(topic.name(),
                topic.topicId(), topic.partitionCount(), (short) 1, topic.configOverrides(), assignment, false),
                ClusterMetadata.ADMIN_TIMEOUT).join();
            if (reply.accepted()) {
                log.info("Registered pre-cluster topic {} (id {}, {} partitions) in the cluster metadata",
                    topic.name(), topic.topicId(), topic.partitionCount());
            } else {
                throw new IllegalStateException("Cannot register pre-cluster topic " + topic.name() + ": "
                    + reply.error() + " " + reply.message());
            }
        }
    }

    /**
     * Controlled shutdown: asks the controller to fence this broker, which moves its leaderships to other ISR
     * members first; waits for that (bounded) so clients find the new leaders before this broker stops answering.
     */
    public void controlledShutdown(Duration timeout) {
        stopping = true;
        thread.shutdownNow();
        long epoch = cluster.brokerEpoch();
        if (epoch < 0) {
            return;
        }
        try {
            ControllerReply reply = cluster.sendAndAwait(new ControllerRequest.Heartbeat(cluster.nodeId(), epoch,
                true, true), timeout).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            log.info("Controlled shutdown of broker {}: {}", cluster.nodeId(), reply.accepted()
                ? "fenced, leadership moved" : reply.error() + " " + reply.message());
        } catch (Exception e) {
            log.warn("Controlled shutdown of broker {} did not complete: {}", cluster.nodeId(), e.toString());
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.shutdownNow();
    }
}
