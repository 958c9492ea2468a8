package io.tributary.server.cluster;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.quorum.ControllerClient;
import io.tributary.metadata.quorum.ControllerReply;
import io.tributary.metadata.quorum.ControllerRequest;
import io.tributary.metadata.quorum.MetadataListener;
import io.tributary.metadata.quorum.MetadataQuorum;
import io.tributary.metadata.quorum.MetadataQuorumConfig;
import io.tributary.metadata.quorum.QuorumController;
import io.tributary.protocol.ErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This broker's view of the cluster: its member of the metadata quorum (the image every handler reads), the
 * controller that runs on it while it is the Ratis leader, and the client through which it asks the controller.
 * One per broker, whether the quorum has one voter or many: a single node is a quorum of one.
 */
public final class ClusterMetadata implements AutoCloseable {
    /** How long an admin request waits for a controller before answering REQUEST_TIMED_OUT / NOT_CONTROLLER. */
    public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final MetadataQuorum quorum;
    private final QuorumController controller;
    private final ControllerClient client;
    private final boolean freshQuorum;
    private volatile long brokerEpoch = -1;
    private volatile MetadataPublisher publisher;

    private ClusterMetadata(MetadataQuorum quorum, QuorumController controller, boolean freshQuorum) {
        this.quorum = quorum;
        this.controller = controller;
        this.client = new ControllerClient(quorum, controller);
        this.freshQuorum = freshQuorum;
    }

    /**
     * Starts this node's quorum member and controller.
     *
     * @param listener told of every image (on the quorum's apply thread)
     */
    public static ClusterMetadata start(MetadataQuorumConfig config, QuorumController.Settings settings,
                                        MetadataListener listener) {
        boolean fresh = !Files.isDirectory(config.ratisStorageDir()) || isEmpty(config);
        MetadataQuorum quorum;
        try {
            quorum = MetadataQuorum.start(config, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the metadata quorum in " + config.ratisStorageDir(), e);
        }
        return new ClusterMetadata(quorum, new QuorumController(quorum, settings), fresh);
    }

    /**
     * Starts this node's quorum member and controller on a thread of its own, so that Ratis' start (class loading,
     * grpc, replaying its log) overlaps the rest of the broker's start instead of preceding it. The caller must either
     * {@link #await} the result or {@link #closeWhenStarted} it.
     *
     * @param listener told of every image (on the quorum's apply thread), from the first on
     */
    public static CompletableFuture<ClusterMetadata> startInBackground(MetadataQuorumConfig config,
                                                                       QuorumController.Settings settings,
                                                                       MetadataListener listener) {
        CompletableFuture<ClusterMetadata> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(start(config, settings, listener));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "metadata-quorum-start");
        starter.setDaemon(true);
        starter.start();
        return started;
    }

    /** Waits for a {@link #startInBackground} start; its failure is rethrown as it was thrown. */
    public static ClusterMetadata await(CompletableFuture<ClusterMetadata> starting) throws InterruptedException {
        try {
            return starting.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Cannot start the metadata quorum member", cause);
        }
    }

    /** For a broker whose start failed before it awaited its quorum member: stops the member once it started. */
    public static void closeWhenStarted(CompletableFuture<ClusterMetadata> starting) {
        try {
            starting.join().close();
        } catch (RuntimeException e) {
            // it did not start, or stopping it failed: the broker's own failure is the one to report
        }
    }

    private static boolean isEmpty(MetadataQuorumConfig config) {
        try (var entries = Files.list(config.ratisStorageDir())) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether this node's quorum storage was created by this start (the first start with the quorum). */
    public boolean freshQuorum() {
        return freshQuorum;
    }

    public int nodeId() {
        return quorum.nodeId();
    }

    public MetadataImage image() {
        return quorum.image();
    }

    public MetadataQuorum quorum() {
        return quorum;
    }

    /** The active controller's node id (the Ratis leader), or -1 while there is none. */
    public int activeControllerId() {
        return quorum.isLeader() ? quorum.nodeId() : quorum.leaderId();
    }

    /**
     * The controller id Metadata and DescribeCluster (brokers endpoint type) report to clients: see
     * {@link #controllerIdForClients(MetadataImage, int)}.
     */
    public int controllerIdForClients() {
        return controllerIdForClients(quorum.image(), activeControllerId());
    }

    /**
     * The controller id to report to clients as Kafka's KRaft brokers do: clients cannot reach the controllers, so a
     * live broker (registered, not fenced) stands for it and forwards what it gets. Kafka picks one at random; this
     * picks the active controller when its broker is live (the same answer from every broker while it leads), else
     * the live broker with the lowest id, else -1 (none is live).
     */
    public static int controllerIdForClients(MetadataImage image, int activeControllerId) {
        if (activeControllerId >= 0 && image.isUnfenced(activeControllerId)) {
            return activeControllerId;
        }
        List<Integer> live = image.unfencedBrokerIds();
        return live.isEmpty() ? -1 : live.get(0);
    }

    /** The node ids of the metadata quorum's voters: the controllers (each runs beside a broker of the same id). */
    public List<Integer> controllerIds() {
        List<io.tributary.metadata.quorum.QuorumVoter> voters = quorum.config().voters();
        return voters.isEmpty() ? List.of(nodeId()) : voters.stream().map(v -> v.nodeId()).toList(); // empty: alone
    }

    /** This broker's current registration epoch, or -1 before it registered. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** The publisher whose work {@link #sendAndAwait} also waits for (local logs created, roles applied). */
    public void publishedBy(MetadataPublisher publisher) {
        this.publisher = publisher;
    }

    void brokerEpoch(long epoch) {
        this.brokerEpoch = epoch;
    }

    /** Sends {@code request} to the controller, retrying while there is none, up to {@code timeout}. */
    public CompletableFuture<ControllerReply> send(ControllerRequest request, Duration timeout) {
        return client.send(request, timeout);
    }

    /**
     * Sends {@code request} and, once accepted, waits until this broker's own image has applied it and its publisher
     * has acted on it (local logs created or deleted), so whatever the caller reads next reflects it.
     */
    public CompletableFuture<ControllerReply> sendAndAwait(ControllerRequest request, Duration timeout) {
        return client.send(request, timeout).thenApplyAsync(reply -> {
            if (reply.accepted() && reply.logIndex() >= 0 && !quorum.awaitApplied(reply.logIndex(), timeout)) {
                return ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, "Accepted at log index "
                    + reply.logIndex() + " but not applied on broker " + nodeId() + " within " + timeout);
            }
            MetadataPublisher published = publisher;
            if (reply.accepted() && published != null) {
                published.awaitPublished(timeout.toMillis());
            }
            return reply;
        });
    }

    @Override
    public void close() {
        client.close();
        controller.close();
        try {
            quorum.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
