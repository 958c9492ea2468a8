package io.tributary.metadata.quorum;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.RecordCodec;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One node's member of the metadata quorum: a Ratis server for {@code node.id} in the group of
 * {@code controller.quorum.voters}, holding the {@link MetadataImage} that the committed records build. The Ratis
 * leader is the controller: only it {@link #submit}s records; every node reads its own {@link #image()} and hears of
 * each change through {@link MetadataListener}s, in the same order everywhere.
 *
 * <p>Files: Ratis keeps its log segments, its term/vote file and the state machine's snapshots in
 * {@code <metadata.log.dir>/__cluster_metadata/<group id>/} ({@code current/} and {@code sm/}); nothing under Ratis'
 * default /tmp directory. The group id is fixed (a name-based UUID), so a node finds its group again after a restart.
 *
 * <p>Design note: writes go to the local Ratis server in-process ({@code submitClientRequestAsync}) rather than through
 * a Ratis client and the network: the controller runs on the leader, so the write is local, and a node that is no
 * longer leader answers at once with the leader it knows of.
 *
 * <p>Nodes beyond the voters (a node.id not in {@code controller.quorum.voters}) are observers: Ratis listeners, which
 * receive and apply the committed log like a follower but never vote, never count towards a majority and never lead.
 * They ask the voters to add them on every start ({@link #joinAsObserver}); the configuration that names them is
 * kept by Ratis in the log and in each member's storage. So a cluster grows beyond its three or five voters without
 * making every commit wait for more copies.
 */
public final class MetadataQuorum implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataQuorum.class);
    /** The one Raft group of the metadata quorum. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes("tributary-cluster-metadata".getBytes(StandardCharsets.UTF_8)));

    /** A single voter's first election timeout (min; max is twice it): just long enough for its start to settle. */
    static final long SINGLE_VOTER_FIRST_ELECTION_MS = 5;

    private final MetadataQuorumConfig config;
    private final RaftServer server;
    private final RaftPeerId self;
    private final MetadataStateMachine stateMachine;
    private final RaftGroup group;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile Thread observerJoin;

    private MetadataQuorum(MetadataQuorumConfig config, RaftServer server, RaftPeerId self,
                           MetadataStateMachine stateMachine, RaftGroup group) {
        this.config = config;
        this.server = server;
        this.self = self;
        this.stateMachine = stateMachine;
        this.group = group;
    }

    /**
     * Starts this node's quorum member: loads the newest snapshot and replays the log after it, then joins the group
     * (a quorum of one elects itself after one election timeout). Returns once the server runs, not once a leader is
     * known: see {@link #awaitLeader}.
     *
     * @param listeners told of every image from the first (the snapshot loaded, each entry replayed) on
     */
    public static MetadataQuorum start(MetadataQuorumConfig config, MetadataListener... listeners) throws IOException {
        List<QuorumVoter> voters = config.voters().isEmpty()
            ? List.of(new QuorumVoter(config.nodeId(), "127.0.0.1", 0)) : config.voters();
        QuorumVoter observer = config.observer();
        if (observer != null && observer.port() == 0) {
            observer = new QuorumVoter(observer.nodeId(), observer.host(), observerPort(config, observer.host()));
        }
        QuorumVoter me = observer != null ? observer
            : voters.stream().filter(v -> v.nodeId() == config.nodeId()).findFirst().orElseThrow();
        List<RaftPeer> peers = new ArrayList<>();
        for (QuorumVoter v : voters) {
            peers.add(RaftPeer.newBuilder().setId(peerId(v.nodeId())).setAddress(v.address()).build());
        }
        if (observer != null) {
            // The group this node starts with names it a listener, so it starts as one (never a candidate); the
            // voters learn of it from the configuration change joinAsObserver asks for. On a restart Ratis reads the
            // committed configuration from its own storage instead.
            peers.add(observerPeer(observer));
        }
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, peers);

        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(properties, me.host());
        GrpcConfigKeys.Server.setPort(properties, me.port());
        Path storageDir = config.ratisStorageDir();
        Files.createDirectories(storageDir);
        RaftServerConfigKeys.setStorageDir(properties, List.of(storageDir.toFile()));
        long electionMs = config.electionTimeoutMin().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(electionMs, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2 * electionMs, TimeUnit.MILLISECONDS));
        if (voters.size() == 1) {
            // A quorum of one cannot split votes and has no leader to hear from: waiting out a follower timeout
            // before its first election only delays the start (by 150-300 ms). Later elections (none are expected:
            // nothing can take leadership from the only voter) keep the configured timeout.
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties,
                TimeDuration.valueOf(SINGLE_VOTER_FIRST_ELECTION_MS, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties,
                TimeDuration.valueOf(2 * SINGLE_VOTER_FIRST_ELECTION_MS, TimeUnit.MILLISECONDS));
        }
        // Snapshots bound the log: after snapshotEveryEntries entries, one is taken and the log before it purged.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        // No extra snapshot at stop: the log after the last one is bounded by the interval anyway, and a stop stays
        // quick (the broker stops its quorum member on every shutdown).
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);

        // FORMAT creates the group directory; RECOVER reopens it (FORMAT would refuse a directory with data).
        boolean exists = Files.isDirectory(storageDir.resolve(GROUP_ID.getUuid().toString()));
        MetadataStateMachine stateMachine = new MetadataStateMachine();
        for (MetadataListener listener : listeners) {
            stateMachine.addListener(listener::onImage);
        }
        RaftPeerId self = peerId(config.nodeId());
        RaftServer server = RaftServer.newBuilder()
            .setServerId(self)
            .setGroup(group)
            .setProperties(properties)
            .setStateMachine(stateMachine)
            .setOption(exists ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        MetadataQuorum quorum = new MetadataQuorum(config, server, self, stateMachine, group);
        if (observer != null) {
            quorum.joinAsObserver(observer);
        }
        return quorum;
    }

    /**
     * The port of an observer configured without one: chosen free at its first start and kept in
     * {@code __cluster_metadata/observer.port}, so that every later start listens where the voters know it. (Ratis'
     * gRPC transport given port 0 would bind its server, client and admin services to three different ports; and a
     * leader keeps talking to the address it first knew a peer by, so the address must not change across restarts.)
     */
    private static int observerPort(MetadataQuorumConfig config, String host) throws IOException {
        Path file = config.ratisStorageDir().resolve("observer.port");
        if (Files.exists(file)) {
            try {
                return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new IOException("Unreadable observer port in " + file + ": " + e.getMessage(), e);
            }
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("observer.port.tmp");
        Files.writeString(temporary, Integer.toString(port), StandardCharsets.US_ASCII);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return port;
    }

    private static RaftPeer observerPeer(QuorumVoter observer) {
        return RaftPeer.newBuilder().setId(peerId(observer.nodeId())).setAddress(observer.address())
            .setStartupRole(RaftPeerRole.LISTENER).build();
    }

    /** Whether this node is a non-voting member (a Ratis listener) rather than a voter. */
    public boolean isObserver() {
        return config.observer() != null;
    }

    /**
     * Asks the voters, in the background until it succeeds or this member stops, to list this node as a listener at
     * {@code me}. Reads the configuration from the leader first: listed at this address, nothing to do; not listed, a
     * configuration change adds it (compare-and-set against what was read, so a concurrent change is not
     * overwritten); listed at another address (metadata.observer.address was changed), it is removed and added again,
     * since Ratis treats a change of address alone as no change. (A leader that knew the old address keeps using it
     * until leadership moves: Ratis 3.2 keeps one connection per peer id.) Until the change commits the leader sends
     * this node nothing; once it does, the leader brings it up to date, with a snapshot when the log it needs is
     * purged.
     */
    private void joinAsObserver(QuorumVoter me) {
        Thread joiner = new Thread(() -> {
            long backoffMs = 100;
            while (!Thread.currentThread().isInterrupted() && running()) {
                try (RaftClient client = newRaftClient(Duration.ofSeconds(5))) {
                    if (listedAt(client, me)) {
                        LOG.info("Node {} is a non-voting member of the metadata quorum at {}", config.nodeId(),
                            me.address());
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Node {} not yet a member of the metadata quorum: {}", config.nodeId(), e.toString());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(2 * backoffMs, 2_000);
            }
        }, "metadata-quorum-join-" + config.nodeId());
        joiner.setDaemon(true);
        observerJoin = joiner;
        joiner.start();
    }

    /** One step towards this node being a listener at {@code me}; whether it is one already. */
    private boolean listedAt(RaftClient client, QuorumVoter me) throws IOException {
        // The leader's configuration, from its group (voters and listeners; Ratis 3.2.2 drops the configuration
        // itself from a group-info reply on the wire): who is a listener is told by the peer's role.
        RaftGroup current = null;
        RaftPeerId leader = null;
        for (RaftPeer voter : votersGroup().getPeers()) {
            try {
                GroupInfoReply info = client.getGroupManagementApi(voter.getId()).info(GROUP_ID);
                if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER && info.getGroup() != null) {
                    current = info.getGroup();
                    leader = voter.getId();
                    break;
                }
            } catch (IOException e) {
                // that voter is down or not yet started: ask the next
                LOG.debug("Node {} cannot read the quorum's configuration from {}: {}", config.nodeId(), voter.getId(),
                    e.toString());
            }
        }
        if (current == null) {
            LOG.debug("Node {} finds no leader among the voters yet", config.nodeId());
            return false;
        }
        List<RaftPeer> servers = current.getPeers().stream()
            .filter(p -> p.getStartupRole() != RaftPeerRole.LISTENER).toList();
        List<RaftPeer> listeners = current.getPeers().stream()
            .filter(p -> p.getStartupRole() == RaftPeerRole.LISTENER).toList();
        RaftPeer listed = listeners.stream().filter(p -> p.getId().equals(self)).findFirst().orElse(null);
        if (listed != null && me.address().equals(listed.getAddress())) {
            return true;
        }
        List<RaftPeer> others = listeners.stream().filter(p -> !p.getId().equals(self)).toList();
        List<RaftPeer> next = new ArrayList<>(others);
        if (listed == null) {
            next.add(observerPeer(me));
        }
        RaftClientReply reply;
        try (RaftClient toLeader = newRaftClient(Duration.ofSeconds(10), leader)) {
            reply = toLeader.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(servers).setListenersInCurrentConf(listeners)
                .setServersInNewConf(servers).setListenersInNewConf(next)
                .build());
        }
        LOG.debug("Node {} asked leader {} to {} it as a listener at {} (listed: {}): {}", config.nodeId(), leader,
            listed == null ? "add" : "first remove", me.address(), listed, reply.isSuccess() ? "done" : reply.getException());
        return false; // the next round reads the configuration again to see it committed
    }

    private boolean running() {
        return server.getLifeCycleState() == LifeCycle.State.RUNNING
            || server.getLifeCycleState() == LifeCycle.State.STARTING;
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    public int nodeId() {
        return config.nodeId();
    }

    /** The image after the last entry applied on this node. */
    public MetadataImage image() {
        return stateMachine.applied().image();
    }

    /** The log index of the last entry applied on this node (-1 before any). */
    public long lastAppliedIndex() {
        var termIndex = stateMachine.applied().termIndex();
        return termIndex == null ? -1 : termIndex.getIndex();
    }

    /** The log index of the snapshot this node restored its image from at start (or since), or -1. */
    public long restoredSnapshotIndex() {
        return stateMachine.restoredSnapshotIndex();
    }

    /** Adds a listener told of every image from now on (on the apply thread); see also {@link #start}. */
    public void addListener(MetadataListener listener) {
        stateMachine.addListener(listener::onImage);
    }

    /** Whether this node is the Ratis leader, ready to take writes: the controller. */
    public boolean isLeader() {
        DivisionInfo info = info();
        return info != null && info.isLeader() && info.isLeaderReady();
    }

    /** The Raft term in which this node leads (and its leadership is ready), or -1 when it does not lead. */
    public long leaderTerm() {
        DivisionInfo info = info();
        return info != null && info.isLeader() && info.isLeaderReady() ? info.getCurrentTerm() : -1;
    }

    /** The node id of the leader this node knows of, or -1. */
    public int leaderId() {
        DivisionInfo info = info();
        RaftPeerId leader = info == null ? null : info.getLeaderId();
        return leader == null ? -1 : Integer.parseInt(leader.toString());
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(GROUP_ID).getInfo();
        } catch (IOException e) {
            return null; // the group is not (or no longer) running on this server
        }
    }

    /**
     * Waits until some node is known as the ready leader (this one or another), up to {@code timeout}.
     *
     * @return whether a leader is known
     */
    public boolean awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (isLeader() || (leaderId() >= 0 && leaderId() != config.nodeId())) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Writes {@code records} as one batch. The batch is first applied to this node's current image, so a record that
     * breaks an invariant is refused here ({@link io.tributary.metadata.image.MetadataInvariantException}) before
     * anything is written.
     *
     * @return completes with the batch's log index once it is committed and applied on this node, or fails with a
     * {@link QuorumWriteException} (not the leader, not committed within the write timeout, failed)
     */
    public CompletableFuture<Long> submit(List<? extends MetadataRecord> records) {
        image().apply(records);
        byte[] batch = RecordCodec.encodeBatch(records);
        RaftClientRequest request = RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(self)
            .setGroupId(GROUP_ID)
            .setCallId(callIds.incrementAndGet())
            .setMessage(Message.valueOf(ByteString.copyFrom(batch)))
            .setType(RaftClientRequest.writeRequestType())
            .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new QuorumWriteException(QuorumWriteException.Reason.FAILED, -1,
                "Metadata write failed on node " + config.nodeId() + ": " + e, e));
        }
        long timeoutMs = config.writeTimeout().toMillis();
        return reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((r, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    throw new QuorumWriteException(QuorumWriteException.Reason.TIMED_OUT, leaderId(),
                        "Metadata write not committed within " + timeoutMs + " ms on node " + config.nodeId()
                            + " (no majority of the quorum reachable?)", cause);
                }
                throw new QuorumWriteException(QuorumWriteException.Reason.FAILED, leaderId(),
                    "Metadata write failed on node " + config.nodeId() + ": " + cause, cause);
            }
            if (r.isSuccess()) {
                return r.getLogIndex();
            }
            NotLeaderException notLeader = r.getNotLeaderException();
            if (notLeader != null) {
                RaftPeer suggested = notLeader.getSuggestedLeader();
                int leader = suggested == null ? -1 : Integer.parseInt(suggested.getId().toString());
                throw new QuorumWriteException(QuorumWriteException.Reason.NOT_LEADER, leader,
                    "Node " + config.nodeId() + " is not the metadata leader (leader: " + leader + ")", notLeader);
            }
            throw new QuorumWriteException(QuorumWriteException.Reason.FAILED, leaderId(),
                "Metadata write failed on node " + config.nodeId() + ": " + r.getException(), r.getException());
        });
    }

    /**
     * Lets this node's controller answer {@link ControllerRequest}s that other nodes send to the leader (as read-only
     * Ratis messages, see {@link ControllerClient}).
     */
    void serveController(java.util.function.Function<ControllerRequest, CompletableFuture<ControllerReply>> controller) {
        stateMachine.serveController(controller);
    }

    /** A Ratis client of this quorum's group, for {@link ControllerClient}: no retries of its own. */
    RaftClient newRaftClient(Duration requestTimeout) {
        return newRaftClient(requestTimeout, null);
    }

    /** As {@link #newRaftClient(Duration)}, sending its requests to {@code leader} first (when not null). */
    private RaftClient newRaftClient(Duration requestTimeout, RaftPeerId leader) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
            TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
            .setRaftGroup(votersGroup())
            .setLeaderId(leader)
            .setProperties(properties)
            .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.noRetry())
            .build();
    }

    /** The group as the voters form it (without listeners): whom a client asks. */
    private RaftGroup votersGroup() {
        return RaftGroup.valueOf(GROUP_ID, group.getPeers().stream()
            .filter(p -> p.getStartupRole() != RaftPeerRole.LISTENER).toList());
    }

    /**
     * Waits until this node has applied the entry at {@code logIndex} (so its image shows what that entry wrote).
     *
     * @return whether it has, within {@code timeout}
     */
    public boolean awaitApplied(long logIndex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastAppliedIndex() < logIndex) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    /** The settings this node's quorum member started with. */
    public MetadataQuorumConfig config() {
        return config;
    }

    /** Stops this node's quorum member; its files stay for the next start. */
    @Override
    public void close() throws IOException {
        Thread join = observerJoin;
        if (join != null) {
            join.interrupt();
        }
        Runnable wake = logWorkerWaker();
        Thread waker = null;
        if (wake != null) {
            waker = new Thread(wake, "metadata-quorum-stop-" + config.nodeId());
            waker.setDaemon(true);
            waker.start();
        }
        try {
            server.close();
        } finally {
            if (waker != null) {
                waker.interrupt();
            }
        }
    }

    /**
     * Ratis 3.2's log worker waits for work in one-second polls and notices a stop only when its poll ends, so every
     * stop of a quorum member took up to a second of idle waiting (most of a test broker's stop). This wakes it: once
     * the stop has marked the worker stopped and while the worker is parked in its poll (a waiter on its queue's
     * condition; checked under the queue's lock, so it is not in the middle of a write), its thread is interrupted
     * through its executor; a worker interrupted after being marked stopped exits as it would after its poll. Reads
     * Ratis' private fields, checked against 3.2.2; with another layout this returns null and the stop waits as before.
     */
    private Runnable logWorkerWaker() {
        try {
            Object raftLog = server.getDivision(GROUP_ID).getRaftLog();
            Object worker = privateField(raftLog, "fileLogWorker");
            java.lang.reflect.Field running = worker.getClass().getDeclaredField("running");
            running.setAccessible(true);
            java.util.concurrent.ExecutorService executor =
                (java.util.concurrent.ExecutorService) privateField(worker, "workerThreadExecutor");
            Object queue = privateField(worker, "queue");
            if (!(privateField(queue, "lock") instanceof java.util.concurrent.locks.ReentrantLock lock)
                || !(privateField(queue, "notEmpty") instanceof java.util.concurrent.locks.Condition notEmpty)
                || running.getType() != boolean.class || !running.getBoolean(worker)) {
                return null;
            }
            return () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                try {
                    while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                        if (!running.getBoolean(worker)) {
                            lock.lock();
                            try {
                                if (lock.hasWaiters(notEmpty)) {
                                    executor.shutdownNow(); // interrupts the parked poll; it wakes once we unlock
                                    return;
                                }
                            } finally {
                                lock.unlock();
                            }
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                } catch (IllegalAccessException e) {
                    // cannot happen (made accessible above); the stop then waits for the poll as before
                }
            };
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            return null;
        }
    }

    private static Object privateField(Object owner, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
