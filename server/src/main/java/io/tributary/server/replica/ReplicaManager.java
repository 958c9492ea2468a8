package io.tributary.server.replica;

import io.tributary.log.LogListener;
import io.tributary.log.LogManager;
import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This broker's replicas: it applies the metadata's {@link PartitionAssignment}s ({@link PartitionRoles}) by becoming
 * leader or follower of each partition, and answers the request handlers' questions about them ({@link ReplicaView}).
 *
 * <p>As leader of a partition it tracks each follower's fetched end offset and last caught-up time (from the
 * followers' fetches), moves the high watermark to the minimum log end offset over the ISR, expands the ISR when a
 * follower reaches the high watermark (and the start of the current leader epoch) and shrinks it after
 * {@code replica.lag.time.max.ms} without catching up — both through the {@link IsrChangeChannel}, naming the current
 * leader and partition epochs; a refused change is proposed again after the next assignment. As follower it fetches
 * from the leader ({@link ReplicaFetchers}) and takes the leader's high watermark.
 *
 * <p>A partition with no assignment is led here alone, exactly as before the cluster: leader epoch
 * {@link LeaderEpochs#SINGLE_BROKER}, high watermark = log end offset, acks=all done at once.
 *
 * <p>Events: every move of a high watermark, ISR or role is told to the {@link #addListener listeners} (the parked
 * fetches and produces), outside every lock, on the thread that made it. High watermarks are checkpointed every
 * {@code replica.high.watermark.checkpoint.interval.ms} and at close, into {@value HighWatermarkCheckpoints#FILE_NAME}.
 *
 * <p>Concurrency: {@link #apply} runs on the metadata's one thread (serialized here too); follower fetch updates run on
 * the event loops, fetcher answers on the fetcher threads, ISR answers on the channel's threads, the shrink check and
 * checkpoints on this manager's scheduler. Each partition's state changes under its own monitor.
 */
public final class ReplicaManager implements PartitionRoles, ReplicaView, LogListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    /** The links to the metadata before the metadata side connects them: no ISR change is possible, no broker known. */
    private static final IsrChangeChannel NO_CONTROLLER = (partition, leaderId, leaderEpoch, partitionEpoch, proposedIsr) ->
        CompletableFuture.failedFuture(new IllegalStateException("no controller connected; ISR of " + partition + " stays"));
    private static final BrokerDirectory NO_BROKERS = new BrokerDirectory() {
        @Override
        public Optional<Node> endpoint(int brokerId, String listenerName) {
            return Optional.empty();
        }

        @Override
        public Optional<Node> interBrokerEndpoint(int brokerId) {
            return Optional.empty();
        }
    };

    private final ReplicationSettings settings;
    private final LogManager logs;
    private final List<Path> logDirs;
    private final Clock clock;
    private final Map<TopicPartition, ReplicatedPartition> partitions = new ConcurrentHashMap<>();
    private final List<Consumer<TopicPartition>> listeners = new CopyOnWriteArrayList<>();
    private final ReplicaFetchers fetchers;
    private final HighWatermarkCheckpoints checkpoints;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong isrShrinks = new AtomicLong();
    private final AtomicLong isrExpands = new AtomicLong();
    private volatile IsrChangeChannel isrChannel = NO_CONTROLLER;
    private volatile BrokerDirectory directory = NO_BROKERS;
    private volatile boolean closed;
    /** In a cluster: a partition without an assignment is not led here (see {@link #refuseUnassignedPartitions}). */
    private volatile boolean refuseUnassigned;

    public ReplicaManager(ReplicationSettings settings, LogManager logs, List<Path> logDirs, Clock clock) {
        this.settings = settings;
        this.logs = logs;
        this.logDirs = List.copyOf(logDirs);
        this.clock = clock;
        this.checkpoints = new HighWatermarkCheckpoints(this.logDirs);
        this.fetchers = new ReplicaFetchers(settings, this);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replica-manager-" + settings.brokerId());
            thread.setDaemon(true);
            return thread;
        });
        long shrinkEvery = Math.max(1, settings.replicaLagTimeMaxMs() / 2);
        scheduler.scheduleWithFixedDelay(this::shrinkLaggingIsrs, shrinkEvery, shrinkEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkpointHighWatermarks, settings.highWatermarkCheckpointIntervalMs(),
            settings.highWatermarkCheckpointIntervalMs(), TimeUnit.MILLISECONDS);
        logs.addListener(this);
    }

    /**
     * Connects the metadata side: where ISR changes go (the controller) and how other brokers are found. Until then no
     * ISR change is possible and no follower can reach a leader. Call before the first {@link #apply} with real
     * assignments.
     */
    public void connect(IsrChangeChannel isrChangeChannel, BrokerDirectory brokers) {
        this.isrChannel = isrChangeChannel;
        this.directory = brokers;
    }

    /**
     * For a broker of a cluster of several brokers: a partition this broker has a log of but no assignment for (its
     * metadata is not applied yet, e.g. while it catches up after a restart) is not led here, so produce and fetch get
     * NOT_LEADER_OR_FOLLOWER and clients look the leader up again. Without this, such a partition is led alone as on a
     * single broker, and a restarted broker would acknowledge acks=all writes at once that the cluster's real leader
     * never sees.
     */
    public void refuseUnassignedPartitions() {
        refuseUnassigned = true;
    }

    /** Tells {@code listener} the partition whose high watermark, ISR or role moved (any thread, outside every lock). */
    public void addListener(Consumer<TopicPartition> listener) {
        listeners.add(listener);
    }

    BrokerDirectory directory() {
        return directory;
    }

    public int brokerId() {
        return settings.brokerId();
    }

    // ---- PartitionRoles

    @Override
    public synchronized void apply(Collection<PartitionAssignment> changed, Collection<TopicPartition> removed) {
        List<TopicPartition> moved = new ArrayList<>();
        long now = clock.millis();
        for (PartitionAssignment next : changed) {
            if (applyOne(next, now)) {
                moved.add(next.partition());
            }
        }
        for (TopicPartition tp : removed) {
            ReplicatedPartition partition = partitions.get(tp);
            if (partition != null) {
                fetchers.stop(tp);
                partition.stopServing(partition.assignment());
                if (logs.log(tp) == null) {
                    partitions.remove(tp);
                }
                moved.add(tp);
            }
        }
        moved.forEach(this::publish);
    }

    /** Applies one assignment; returns whether anything changed. */
    private boolean applyOne(PartitionAssignment next, long now) {
        TopicPartition tp = next.partition();
        int self = settings.brokerId();
        ReplicatedPartition partition = partitions.get(tp);
        PartitionAssignment current = partition == null ? null : partition.assignment();
        boolean sameTopic = current != null && current.topicId().equals(next.topicId());
        if (sameTopic && (next.leaderEpoch() < current.leaderEpoch()
            || (next.leaderEpoch() == current.leaderEpoch() && next.partitionEpoch() <= current.partitionEpoch()))) {
            return false; // stale or already applied
        }
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            log.warn("Broker {} has no log for {}; assignment {} waits until the log exists", self, tp, next);
            return false;
        }
        if (partition == null || partition.log != partitionLog || !sameTopic) {
            fetchers.stop(tp);
            partition = new ReplicatedPartition(tp, partitionLog, self, checkpoints.restored(tp));
            partitions.put(tp, partition);
        }
        boolean sameLeadership = sameTopic && next.leaderEpoch() == current.leaderEpoch() && next.leader() == current.leader();
        if (!next.isReplica(self)) {
            fetchers.stop(tp);
            partition.stopServing(next);
            boolean wasReplica = current != null && current.isReplica(self);
            if (wasReplica || (current == null && holdsData(partitionLog) && sameTopicLocally(next))) {
                // reassigned away (now, or while this broker was down): the fetcher is stopped, nothing serves the
                // partition here any more, and its data lives on the new replicas, so the local copy goes; the empty
                // log stays, as every broker keeps one per partition, and a later re-assignment fetches from the
                // leader's log start
                log.info("Broker {} is no longer a replica of {} ({}); deleting its local data up to offset {}", self,
                    tp, next, partitionLog.logEndOffset());
                partitionLog.truncateFullyAndStartAt(0);
            }
        } else if (next.isLeader(self)) {
            if (sameLeadership && partition.role() == ReplicatedPartition.Role.LEADER) {
                partition.update(next);
            } else {
                fetchers.stop(tp);
                partition.becomeLeader(next, now);
                log.info("Broker {} leads {} at epoch {} from offset {} (high watermark {}, ISR {})", self, tp, next.leaderEpoch(),
                    partitionLog.logEndOffset(), partition.highWatermark(), next.isr());
            }
            partition.maybeAdvanceHighWatermark();
        } else {
            if (sameLeadership && partition.role() == ReplicatedPartition.Role.FOLLOWER) {
                partition.update(next);
            } else {
                fetchers.stop(tp);
                partition.becomeFollower(next);
                if (next.leader() != PartitionAssignment.NO_LEADER) {
                    fetchers.follow(partition, next.leader(), next.leaderEpoch());
                }
                log.info("Broker {} follows {} from broker {} at epoch {} (log end {}, high watermark {})", self, tp, next.leader(),
                    next.leaderEpoch(), partitionLog.logEndOffset(), partition.highWatermark());
            }
        }
        return true;
    }

    private static boolean holdsData(PartitionLog partitionLog) {
        return partitionLog.logEndOffset() > 0 || partitionLog.logStartOffset() > 0;
    }

    /** Whether the local log belongs to the assignment's topic (not to a local topic of the same name and another id). */
    private boolean sameTopicLocally(PartitionAssignment next) {
        TopicMetadata local = logs.topic(next.partition().topic());
        return local != null && local.topicId().equals(next.topicId());
    }

    @Override
    public Optional<PartitionAssignment> assignment(TopicPartition partition) {
        ReplicatedPartition replica = partitions.get(partition);
        return replica == null ? Optional.empty() : Optional.ofNullable(replica.assignment());
    }

    // ---- ReplicaView

    @Override
    public ErrorCode leaderCheck(TopicPartition tp, int currentLeaderEpoch) {
        ReplicatedPartition partition = partitions.get(tp);
        if (partition == null) {
            return refuseUnassigned ? ErrorCode.NOT_LEADER_OR_FOLLOWER
                : ReplicaView.epochCheck(currentLeaderEpoch, LeaderEpochs.SINGLE_BROKER);
        }
        ErrorCode epochError = ReplicaView.epochCheck(currentLeaderEpoch, partition.leaderEpoch());
        if (epochError != ErrorCode.NONE) {
            return epochError;
        }
        return partition.role() == ReplicatedPartition.Role.LEADER ? ErrorCode.NONE : ErrorCode.NOT_LEADER_OR_FOLLOWER;
    }

    @Override
    public int leaderEpoch(TopicPartition tp) {
        ReplicatedPartition partition = partitions.get(tp);
        return partition == null ? LeaderEpochs.SINGLE_BROKER : partition.leaderEpoch();
    }

    @Override
    public long highWatermark(PartitionLog partitionLog) {
        ReplicatedPartition partition = partitions.get(partitionLog.topicPartition());
        return partition == null || partition.log != partitionLog ? partitionLog.logEndOffset() : partition.highWatermark();
    }

    @Override
    public FollowerFetchCheck checkFollowerFetch(int replicaId, PartitionLog partitionLog, long fetchOffset, int currentLeaderEpoch,
                                                 int lastFetchedEpoch) {
        ReplicatedPartition partition = partitions.get(partitionLog.topicPartition());
        if (partition == null) {
            return FollowerFetchCheck.refused(ErrorCode.NOT_LEADER_OR_FOLLOWER); // led alone: no followers
        }
        ErrorCode epochError = ReplicaView.epochCheck(currentLeaderEpoch, partition.leaderEpoch());
        if (epochError != ErrorCode.NONE) {
            return FollowerFetchCheck.refused(epochError);
        }
        PartitionAssignment assignment = partition.assignment();
        if (partition.role() != ReplicatedPartition.Role.LEADER || assignment == null || !assignment.isReplica(replicaId)
            || replicaId == settings.brokerId()) {
            return FollowerFetchCheck.refused(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }
        if (lastFetchedEpoch >= 0) {
            if (fetchOffset < partitionLog.logStartOffset()) {
                return FollowerFetchCheck.refused(ErrorCode.OFFSET_OUT_OF_RANGE);
            }
            EpochEndOffset leaderEnd = partitionLog.endOffsetForEpoch(lastFetchedEpoch);
            if (leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < fetchOffset) {
                return FollowerFetchCheck.diverged(leaderEnd);
            }
        }
        return FollowerFetchCheck.PROCEED;
    }

    @Override
    public void followerFetched(int replicaId, PartitionLog partitionLog, long fetchOffset, long leaderLogEnd) {
        ReplicatedPartition partition = partitions.get(partitionLog.topicPartition());
        if (partition == null || partition.log != partitionLog) {
            return;
        }
        List<Integer> expansion = partition.followerFetched(replicaId, fetchOffset, leaderLogEnd, clock.millis());
        boolean moved = partition.maybeAdvanceHighWatermark();
        if (expansion != null) {
            proposeIsr(partition, expansion);
        }
        if (moved) {
            publish(partition.topicPartition);
        }
    }

    @Override
    public ErrorCode produceCheck(TopicPartition tp, boolean acksAll, int minInsyncReplicas) {
        ReplicatedPartition partition = partitions.get(tp);
        if (partition == null) {
            return refuseUnassigned ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.NONE;
        }
        if (partition.role() != ReplicatedPartition.Role.LEADER) {
            return ErrorCode.NOT_LEADER_OR_FOLLOWER;
        }
        return acksAll && partition.isr().size() < minInsyncReplicas ? ErrorCode.NOT_ENOUGH_REPLICAS : ErrorCode.NONE;
    }

    @Override
    public ErrorCode replicationStatus(TopicPartition tp, int leaderEpoch, long requiredOffset, int minInsyncReplicas) {
        ReplicatedPartition partition = partitions.get(tp);
        if (partition == null) {
            return refuseUnassigned ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.NONE;
        }
        if (partition.role() != ReplicatedPartition.Role.LEADER || partition.leaderEpoch() != leaderEpoch) {
            return ErrorCode.NOT_LEADER_OR_FOLLOWER;
        }
        if (partition.highWatermark() < requiredOffset) {
            return null;
        }
        return partition.isr().size() >= minInsyncReplicas ? ErrorCode.NONE : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }

    @Override
    public boolean isReplicated(TopicPartition tp) {
        return partitions.containsKey(tp);
    }

    // ---- follower side

    /** A fetcher applied the leader's answer carrying {@code leaderHighWatermark}. */
    void followerHighWatermark(ReplicatedPartition partition, long leaderHighWatermark) {
        if (partition.followerHighWatermark(leaderHighWatermark)) {
            publish(partition.topicPartition);
        }
    }

    // ---- ISR changes

    private void proposeIsr(ReplicatedPartition partition, List<Integer> proposed) {
        PartitionAssignment current = partition.assignment();
        boolean shrink = proposed.size() < current.isr().size();
        log.info("Broker {} proposes ISR {} for {} (was {}, leader epoch {}, partition epoch {})", settings.brokerId(), proposed,
            partition.topicPartition, current.isr(), current.leaderEpoch(), current.partitionEpoch());
        CompletableFuture<PartitionAssignment> answer;
        try {
            answer = isrChannel.alterIsr(partition.topicPartition, settings.brokerId(), current.leaderEpoch(),
                current.partitionEpoch(), proposed).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((next, failure) -> {
            if (failure != null || next == null) {
                log.info("ISR change {} of {} was not accepted ({}); proposed again after the next assignment", proposed,
                    partition.topicPartition, failure == null ? "no answer" : failure.toString());
                partition.isrChangeFailed(proposed);
                return;
            }
            (shrink ? isrShrinks : isrExpands).incrementAndGet();
            synchronized (this) {
                if (partitions.get(partition.topicPartition) == partition) {
                    applyOne(next, clock.millis());
                }
            }
            partition.isrChangeFailed(proposed); // clears it if the answer's assignment did not
            partition.maybeAdvanceHighWatermark();
            publish(partition.topicPartition);
        });
    }

    /** The scheduler's check: every led partition drops the ISR members that lagged longer than replica.lag.time.max.ms. */
    private void shrinkLaggingIsrs() {
        try {
            long now = clock.millis();
            for (ReplicatedPartition partition : partitions.values()) {
                List<Integer> shrunk = partition.proposeShrink(now, settings.replicaLagTimeMaxMs());
                if (shrunk != null) {
                    proposeIsr(partition, shrunk);
                }
            }
        } catch (RuntimeException e) {
            log.error("ISR shrink check of broker {} failed", settings.brokerId(), e);
        }
    }

    // ---- log events

    @Override
    public void appended(PartitionLog partitionLog, long logEndOffset) {
        ReplicatedPartition partition = partitions.get(partitionLog.topicPartition());
        if (partition != null && partition.log == partitionLog && partition.maybeAdvanceHighWatermark()) {
            publish(partition.topicPartition);
        }
    }

    @Override
    public void truncated(PartitionLog partitionLog, long logEndOffset) {
        ReplicatedPartition partition = partitions.get(partitionLog.topicPartition());
        if (partition != null && partition.log == partitionLog) {
            partition.capHighWatermark();
        }
    }

    @Override
    public void deleted(PartitionLog partitionLog) {
        TopicPartition tp = partitionLog.topicPartition();
        ReplicatedPartition partition = partitions.get(tp);
        if (partition != null && partition.log == partitionLog) {
            fetchers.stop(tp);
            partition.stopServing(partition.assignment());
            partitions.remove(tp, partition);
            publish(tp);
        }
    }

    private void publish(TopicPartition tp) {
        for (Consumer<TopicPartition> listener : listeners) {
            try {
                listener.accept(tp);
            } catch (RuntimeException e) {
                log.error("Replication listener failed for {}", tp, e);
            }
        }
    }

    // ---- metrics and tests

    /** Led partitions whose ISR is smaller than their replica set. */
    public int underReplicatedPartitions() {
        int count = 0;
        for (ReplicatedPartition partition : partitions.values()) {
            if (partition.underReplicated()) {
                count++;
            }
        }
        return count;
    }

    /** Partitions this broker leads under an assignment. */
    public int leaderCount() {
        int count = 0;
        for (ReplicatedPartition partition : partitions.values()) {
            if (partition.role() == ReplicatedPartition.Role.LEADER) {
                count++;
            }
        }
        return count;
    }

    /** ISR shrinks the controller accepted from this broker. */
    public long isrShrinks() {
        return isrShrinks.get();
    }

    /** ISR expansions the controller accepted from this broker. */
    public long isrExpands() {
        return isrExpands.get();
    }

    /** The largest lag, in offsets, of any follower of a partition led here. */
    public long maxFollowerLag() {
        long max = 0;
        for (ReplicatedPartition partition : partitions.values()) {
            if (partition.role() == ReplicatedPartition.Role.LEADER) {
                for (long lag : partition.followerLag().values()) {
                    max = Math.max(max, lag);
                }
            }
        }
        return max;
    }

    /** The ISR this broker acts on for a partition (the committed one); empty without an assignment. */
    public List<Integer> isr(TopicPartition tp) {
        ReplicatedPartition partition = partitions.get(tp);
        return partition == null ? List.of() : partition.isr();
    }

    /** Follower fetcher threads running now. */
    public int fetcherCount() {
        return fetchers.count();
    }

    /**
     * Answers of leaders, to the fetcher threads running now, that they do not lead yet at the epoch this broker follows
     * them at (each retried shortly; see {@link ReplicaFetcher}).
     */
    public long leaderBehindAnswers() {
        return fetchers.leaderBehindAnswers();
    }

    private void checkpointHighWatermarks() {
        try {
            if (!partitions.isEmpty()) {
                checkpoints.write(partitions.values(), logDirs);
            }
        } catch (LogStorageException e) {
            log.error("Cannot checkpoint the high watermarks of broker {}", settings.brokerId(), e);
        }
    }

    /** Stops the fetchers and the checks, and checkpoints the high watermarks a last time. Before the logs close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        logs.removeListener(this);
        fetchers.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointHighWatermarks();
    }
}
