package io.tributary.metadata.quorum;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.RecordCodec;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
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
 */
public final class MetadataQuorum implements AutoCloseable {
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
        QuorumVoter me = voters.stream().filter(v -> v.nodeId() == config.nodeId()).findFirst().orElseThrow();
        List<RaftPeer> peers = new ArrayList<>();
        for (QuorumVoter v : voters) {
            peers.add(RaftPeer.newBuilder().setId(peerId(v.nodeId())).setAddress(v.address()).build());
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
        return new MetadataQuorum(config, server, self, stateMachine, group);
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
    org.apache.ratis.client.RaftClient newRaftClient(Duration requestTimeout) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
            TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return org.apache.ratis.client.RaftClient.newBuilder()
            .setRaftGroup(group)
            .setProperties(properties)
            .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.noRetry())
            .build();
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
