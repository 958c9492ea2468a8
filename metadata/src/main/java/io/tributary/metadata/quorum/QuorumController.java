package io.tributary.metadata.quorum;

import io.tributary.metadata.controller.BrokerLifecycle;
import io.tributary.metadata.controller.ControllerResult;
import io.tributary.metadata.controller.IsrChange;
import io.tributary.metadata.controller.LeaderElection;
import io.tributary.metadata.controller.LivenessProbing;
import io.tributary.metadata.controller.ProducerIdAllocation;
import io.tributary.metadata.controller.Reassignment;
import io.tributary.metadata.controller.ReplicaPlacement;
import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.MetadataInvariantException;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The controller: runs on every node and acts only while its node is the Ratis leader. It turns each
 * {@link ControllerRequest} into records with the pure decisions of {@code metadata.controller}, writes them through
 * {@link MetadataQuorum#submit}, and answers once they are committed and applied here. It also fences brokers whose
 * heartbeats stopped for {@code broker.session.timeout.ms}, or sooner when a TCP probe of a silent broker's listeners
 * is refused ({@link LivenessProbing}, {@code broker.liveness.probe.enable}), and, when enabled, moves leadership back
 * to preferred replicas.
 *
 * <p>Invariant: decisions run one at a time on the controller thread, and each waits for its batch to be applied
 * before the next decision reads the image, so every decision sees every earlier one (no two registrations can pick
 * the same broker epoch, no two ISR changes can both be based on one partition epoch).
 *
 * <p>The cluster id: a controller that finds none in the image (a new cluster, or one whose log was written before
 * the record existed) writes its own node's, before any other decision of its term, so the first registration of a
 * new cluster already sees it. Its leadership is ready only once its term's first entry is applied, so the image it
 * looks at holds every id committed before; were two writes ever to race, the image keeps the first committed and
 * refuses the other on every node alike.
 *
 * <p>Heartbeat times are soft state of the current controller (as in Kafka): when this node becomes leader, every
 * registered broker counts as seen at that moment, so a failover does not fence live brokers. The same takeover probes
 * every broker once at once: the broker killed with the old controller (one process, both roles) is then fenced on
 * the kernel's evidence instead of a whole session after the election.
 */
public final class QuorumController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumController.class);
    private static final long PROBE_TICK_MS = 100;

    /**
     * @param autoPreferredInterval how often leadership moves back to preferred replicas; zero: never
     * @param heartbeatIntervalMs   how often brokers heartbeat: the liveness probes' pace
     * @param livenessProbe         whether silent brokers are probed and fenced at once when refused
     * @param clusterId             the cluster id in this node's {@code meta.properties}, written to the image when this
     *                              node's controller is the first to find none there; null: this node proposes none
     */
    public record Settings(long sessionTimeoutMs, boolean uncleanLeaderElection, Duration autoPreferredInterval,
                           Duration writeTimeout, long heartbeatIntervalMs, boolean livenessProbe, String clusterId) {
    }

    private final MetadataQuorum quorum;
    private final Settings settings;
    private final ScheduledExecutorService thread;
    private final Map<Integer, Long> lastHeartbeatMs = new HashMap<>();
    /**
     * Liveness probing (controller thread only): when each broker was last heard of for the probes (a heartbeat, a
     * registration; a takeover counts as long ago, so every broker is probed once at once), each one's probing so
     * far, and those with a probe under way on {@link #probeThreads} (null when probing is off).
     */
    private final Map<Integer, Long> lastHeardMs = new HashMap<>();
    private final Map<Integer, LivenessProbing.Probing> probing = new HashMap<>();
    private final Set<Integer> probesInFlight = new HashSet<>();
    private final LivenessProbing.Policy probePolicy;
    private final TcpLivenessProbe probe;
    private final ExecutorService probeThreads;
    /**
     * The Raft term this controller last took over in (-1: not leading). A term, not a flag: a node that loses and
     * regains the leadership between two checks (a long pause of its JVM is enough) is a new controller all the same,
     * and must not judge the brokers by heartbeat times from its previous term, which would fence every one of them.
     */
    private long leadingTerm = -1;
    /** When the last tick ran (0: none yet), and the gap between ticks that means this controller itself stalled. */
    private long lastTickMs;
    private final long stallMs;
    private long lastPreferredRunMs;

    public QuorumController(MetadataQuorum quorum, Settings settings) {
        this.quorum = quorum;
        this.settings = settings;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "controller-" + quorum.nodeId());
            t.setDaemon(true);
            return t;
        });
        long tickMs = Math.max(50, Math.min(500, settings.sessionTimeoutMs() / 6));
        this.stallMs = tickMs + settings.sessionTimeoutMs() / 2;
        this.probePolicy = LivenessProbing.Policy.forHeartbeatInterval(settings.heartbeatIntervalMs());
        this.probe = new TcpLivenessProbe(probePolicy.connectTimeoutMs());
        // probes block in connect (up to their timeout) off the controller thread; a pool of one per broker at most
        this.probeThreads = !settings.livenessProbe() ? null : Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, "controller-" + quorum.nodeId() + "-probe");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        if (probeThreads != null) {
            // finer than the tick: a probe starts within this of a broker's silence reaching the policy's bound
            thread.scheduleWithFixedDelay(this::probeTick, PROBE_TICK_MS, PROBE_TICK_MS, TimeUnit.MILLISECONDS);
        }
        quorum.serveController(this::handle);
    }

    /** Decides and writes {@code request} on the controller thread; NOT_CONTROLLER when this node does not lead. */
    public CompletableFuture<ControllerReply> handle(ControllerRequest request) {
        try {
            return CompletableFuture.supplyAsync(() -> decide(request), thread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(ControllerReply.refused(ErrorCode.NOT_CONTROLLER,
                "The controller of node " + quorum.nodeId() + " is stopped"));
        }
    }

    private boolean checkLeading(long nowMs) {
        long term = quorum.leaderTerm();
        boolean now = term >= 0;
        if (now && term != leadingTerm) {
            lastHeartbeatMs.clear();
            lastHeardMs.clear();
            probing.clear();
            for (BrokerRegistration b : quorum.image().brokers().values()) {
                lastHeartbeatMs.put(b.brokerId(), nowMs);
                lastHeardMs.put(b.brokerId(), nowMs - probePolicy.silenceMs());
            }
            lastPreferredRunMs = nowMs;
            LOG.info("Node {} is the controller (term {})", quorum.nodeId(), term);
        }
        leadingTerm = term;
        return now;
    }

    private ControllerReply decide(ControllerRequest request) {
        long nowMs = System.currentTimeMillis();
        if (!checkLeading(nowMs)) {
            return new ControllerReply(ErrorCode.NOT_CONTROLLER, "Node " + quorum.nodeId() + " is not the controller",
                quorum.leaderId(), -1, null);
        }
        proposeClusterIdIfNone();
        MetadataImage image = quorum.image();
        boolean unclean = settings.uncleanLeaderElection();
        if (request instanceof ControllerRequest.Register r) {
            ControllerResult<Long> result = BrokerLifecycle.register(image,
                new BrokerLifecycle.Registration(r.brokerId(), r.endpoints(), r.rack()), unclean);
            heard(r.brokerId(), nowMs);
            return write(result, result.isRefused() ? -1 : result.response(), null);
        } else if (request instanceof ControllerRequest.Heartbeat r) {
            ControllerResult<BrokerLifecycle.HeartbeatReply> result = BrokerLifecycle.heartbeat(image, r.brokerId(),
                r.brokerEpoch(), r.wantFence(), r.wantShutdown(), unclean);
            if (result.isRefused()) {
                return ControllerReply.refused(result.error(), "Heartbeat of broker " + r.brokerId() + " epoch "
                    + r.brokerEpoch() + " refused");
            }
            heard(r.brokerId(), nowMs);
            long bits = (result.response().fenced() ? 1 : 0) | (result.response().shutdownReady() ? 2 : 0);
            return write(result, bits, null);
        } else if (request instanceof ControllerRequest.CreateTopic r) {
            UUID topicId = r.topicId() != null ? r.topicId() : UUID.randomUUID();
            ReplicaPlacement.CreateTopic create = new ReplicaPlacement.CreateTopic(r.name(), topicId, r.partitions(),
                r.replicationFactor(), r.configs());
            ControllerResult<List<List<Integer>>> result = r.assignment().isEmpty()
                ? ReplicaPlacement.createTopic(image, create) : ReplicaPlacement.createTopic(image, create, r.assignment());
            if (result.isRefused()) {
                return ControllerReply.refused(result.error(), refusalText(result.error(), r, image));
            }
            if (r.validateOnly()) {
                return new ControllerReply(ErrorCode.NONE, null, 0, -1, topicId);
            }
            return write(result, 0, topicId);
        } else if (request instanceof ControllerRequest.GrowTopic r) {
            ControllerResult<Void> result = ReplicaPlacement.addPartitions(image, r.name(), r.partitions());
            return write(result, 0, null);
        } else if (request instanceof ControllerRequest.DeleteTopic r) {
            TopicImage topic = image.topic(r.name());
            if (topic == null) {
                return ControllerReply.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + r.name()
                    + " does not exist");
            }
            return write(ControllerResult.of(List.of(new MetadataRecord.RemoveTopic(topic.topicId())), null), 0,
                topic.topicId());
        } else if (request instanceof ControllerRequest.ProducerIds r) {
            ControllerResult<ProducerIdAllocation.Block> result = ProducerIdAllocation.allocate(image, r.brokerId(),
                r.brokerEpoch(), r.atLeast());
            return write(result, result.isRefused() ? -1 : result.response().firstProducerId(), null);
        } else if (request instanceof ControllerRequest.AlterPartition r) {
            return write(IsrChange.alterPartition(image, r.request()), 0, null);
        } else if (request instanceof ControllerRequest.ElectPreferred r) {
            TopicImage topic = image.topic(r.name());
            if (topic == null) {
                return ControllerReply.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + r.name()
                    + " does not exist");
            }
            return write(LeaderElection.electPreferred(image, topic.topicId(), r.partition()), 0, null);
        } else if (request instanceof ControllerRequest.ElectUnclean r) {
            TopicImage topic = image.topic(r.name());
            if (topic == null) {
                return ControllerReply.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + r.name()
                    + " does not exist");
            }
            return write(LeaderElection.electUnclean(image, topic.topicId(), r.partition()), 0, null);
        } else if (request instanceof ControllerRequest.Reassign r) {
            TopicImage topic = image.topic(r.name());
            if (topic == null) {
                return ControllerReply.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + r.name()
                    + " does not exist");
            }
            Reassignment.Request reassign = new Reassignment.Request(topic.topicId(), r.partition(), r.target(),
                r.allowReplicationFactorChange());
            ControllerResult<Void> result = Reassignment.alter(image, reassign);
            if (result.isRefused()) {
                return ControllerReply.refused(result.error(), Reassignment.refusalText(result.error(), r.name(),
                    reassign));
            }
            return write(result, 0, null);
        }
        return ControllerReply.refused(ErrorCode.INVALID_REQUEST, "Unknown controller request " + request);
    }

    private void heard(int brokerId, long nowMs) {
        lastHeartbeatMs.put(brokerId, nowMs);
        lastHeardMs.put(brokerId, nowMs);
        probing.remove(brokerId);
    }

    private void probeTick() {
        try {
            long nowMs = System.currentTimeMillis();
            if (checkLeading(nowMs)) {
                startDueProbes(quorum.image(), nowMs);
            }
        } catch (RuntimeException e) {
            LOG.error("Controller liveness probe tick failed", e);
        }
    }

    /** Starts a probe of each silent broker that is due one (controller thread). */
    private void startDueProbes(MetadataImage image, long nowMs) {
        if (probeThreads == null) {
            return;
        }
        for (BrokerRegistration b : image.brokers().values()) {
            lastHeardMs.putIfAbsent(b.brokerId(), nowMs); // registered before this controller's image showed it
        }
        for (BrokerRegistration b : LivenessProbing.due(image, lastHeardMs, probing, probesInFlight, nowMs,
            probePolicy)) {
            startProbe(b, leadingTerm);
        }
    }

    private void startProbe(BrokerRegistration b, long term) {
        long startedMs = System.currentTimeMillis();
        probesInFlight.add(b.brokerId());
        try {
            probeThreads.execute(() -> {
                LivenessProbing.Outcome outcome = probe.probe(b.endpoints());
                try {
                    thread.execute(() -> probed(b, term, startedMs, outcome));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // the controller stopped
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            probesInFlight.remove(b.brokerId());
        }
    }

    /**
     * A probe of incarnation {@code b} ended (controller thread): counted unless this node lost or regained the
     * leadership meanwhile; on enough refusals in a row the broker is fenced as on session expiry, after one more
     * check that it is still that unfenced incarnation and was not heard from since the probe began.
     */
    private void probed(BrokerRegistration b, long term, long startedMs, LivenessProbing.Outcome outcome) {
        probesInFlight.remove(b.brokerId());
        try {
            long nowMs = System.currentTimeMillis();
            if (!checkLeading(nowMs) || leadingTerm != term) {
                return;
            }
            LivenessProbing.Probing next = LivenessProbing.afterProbe(probing.get(b.brokerId()), b.brokerEpoch(),
                startedMs, lastHeardMs.getOrDefault(b.brokerId(), nowMs), nowMs, outcome, probePolicy);
            probing.put(b.brokerId(), next);
            LOG.info("Liveness probe of silent broker {} (epoch {}): {}{}", b.brokerId(), b.brokerEpoch(), outcome,
                next.refusals() > 0 ? " (" + next.refusals() + " in a row)" : "");
            if (!LivenessProbing.dead(next, probePolicy)) {
                if (outcome == LivenessProbing.Outcome.REFUSED && next.refusals() > 0) {
                    // confirm soon rather than at the next tick
                    thread.schedule(() -> {
                        BrokerRegistration now = quorum.image().broker(b.brokerId());
                        if (leadingTerm == term && now != null && !now.fenced() && now.brokerEpoch() == b.brokerEpoch()
                            && !probesInFlight.contains(b.brokerId())) {
                            startProbe(now, term);
                        }
                    }, probePolicy.confirmAfterMs(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            List<MetadataRecord> fencing = BrokerLifecycle.fenceIfUnfenced(quorum.image(), b.brokerId(),
                b.brokerEpoch(), settings.uncleanLeaderElection());
            if (!fencing.isEmpty()) {
                LOG.info("Fencing broker {} (epoch {}): its listeners refused {} probes in a row, silent for {} ms;"
                    + " {} partition change(s)", b.brokerId(), b.brokerEpoch(), next.refusals(),
                    nowMs - lastHeartbeatMs.getOrDefault(b.brokerId(), nowMs), fencing.size() - 1);
                write(ControllerResult.of(fencing, null), 0, null);
            }
            probing.remove(b.brokerId());
        } catch (RuntimeException e) {
            LOG.error("Controller liveness probe handling failed", e);
        }
    }

    private static String refusalText(ErrorCode error, ControllerRequest.CreateTopic r, MetadataImage image) {
        return switch (error) {
            case INVALID_REPLICATION_FACTOR -> "Unable to replicate the partition " + r.replicationFactor()
                + " time(s): The target replication factor of " + r.replicationFactor()
                + " cannot be reached because only " + image.unfencedBrokerIds().size() + " broker(s) are registered.";
            case TOPIC_ALREADY_EXISTS -> "Topic '" + r.name() + "' already exists.";
            case INVALID_TOPIC_EXCEPTION -> "Topic name '" + r.name() + "' is illegal";
            case INVALID_PARTITIONS -> "Number of partitions was set to an invalid non-positive value " + r.partitions();
            default -> "Topic " + r.name() + " refused: " + error;
        };
    }

    /** Writes an accepted decision's records and answers once they are applied here. */
    private ControllerReply write(ControllerResult<?> result, long value, UUID topicId) {
        if (result.isRefused()) {
            return ControllerReply.refused(result.error(), null);
        }
        if (result.records().isEmpty()) {
            return new ControllerReply(ErrorCode.NONE, null, value, quorum.lastAppliedIndex(), topicId);
        }
        try {
            long index = quorum.submit(result.records())
                .get(settings.writeTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return new ControllerReply(ErrorCode.NONE, null, value, index, topicId);
        } catch (MetadataInvariantException e) {
            LOG.error("Controller decision breaks an invariant; nothing written", e);
            return ControllerReply.refused(ErrorCode.UNKNOWN_SERVER_ERROR, e.getMessage());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QuorumWriteException w && w.reason() == QuorumWriteException.Reason.NOT_LEADER) {
                return new ControllerReply(ErrorCode.NOT_CONTROLLER, w.getMessage(), w.leaderId(), -1, null);
            }
            return ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, String.valueOf(cause.getMessage()));
        } catch (TimeoutException e) {
            return ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, "Metadata write not committed in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControllerReply.refused(ErrorCode.REQUEST_TIMED_OUT, "Interrupted");
        }
    }

    /** While leading: writes this node's cluster id when the image has none yet (see the class comment). */
    private void proposeClusterIdIfNone() {
        String proposed = settings.clusterId();
        if (proposed == null || quorum.image().clusterId() != null) {
            return;
        }
        ControllerReply reply = write(ControllerResult.of(List.of(new MetadataRecord.ClusterId(proposed)), null), 0, null);
        if (reply.accepted()) {
            LOG.info("Cluster id {} agreed by the metadata quorum, proposed by node {}", proposed, quorum.nodeId());
        } else {
            // the next tick or decision tries again
            LOG.warn("Node {} could not write the cluster id {}: {} {}", quorum.nodeId(), proposed, reply.error(),
                reply.message());
        }
    }

    /** Fences brokers whose session expired; moves leadership back to preferred replicas when due. */
    private void tick() {
        try {
            long nowMs = System.currentTimeMillis();
            long sinceLastTickMs = lastTickMs == 0 ? 0 : nowMs - lastTickMs;
            boolean stalled = sinceLastTickMs > stallMs;
            lastTickMs = nowMs;
            if (!checkLeading(nowMs)) {
                return;
            }
            proposeClusterIdIfNone();
            if (stalled) {
                // this controller did not run (a JVM or machine pause): brokers' heartbeats could not be heard meanwhile,
                // so silence says nothing about them; every session starts again rather than every broker being fenced
                LOG.warn("Controller of node {} stalled for {} ms; every broker's session starts again", quorum.nodeId(),
                    sinceLastTickMs);
                lastHeartbeatMs.replaceAll((broker, last) -> nowMs);
                lastHeardMs.replaceAll((broker, last) -> nowMs);
                probing.clear();
            }
            MetadataImage image = quorum.image();
            List<MetadataRecord> fencing = BrokerLifecycle.fenceExpired(image, lastHeartbeatMs, nowMs,
                settings.sessionTimeoutMs(), settings.uncleanLeaderElection());
            if (!fencing.isEmpty()) {
                LOG.info("Fencing brokers whose heartbeats stopped: {}", fencing.stream()
                    .filter(r -> r instanceof MetadataRecord.BrokerFencing).toList());
                write(ControllerResult.of(fencing, null), 0, null);
                return;
            }
            Duration interval = settings.autoPreferredInterval();
            if (!interval.isZero() && nowMs - lastPreferredRunMs >= interval.toMillis()) {
                lastPreferredRunMs = nowMs;
                List<MetadataRecord> preferred = LeaderElection.electAllPreferred(image);
                if (!preferred.isEmpty()) {
                    LOG.info("Moving {} partition leadership(s) back to preferred replicas", preferred.size());
                    write(ControllerResult.of(preferred, null), 0, null);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Controller tick failed", e);
        }
    }

    @Override
    public void close() {
        if (probeThreads != null) {
            probeThreads.shutdownNow();
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
