package io.tributary.groups.classic;

import io.tributary.protocol.ClientText;
import io.tributary.groups.CommitOutcome;
import io.tributary.groups.FetchedOffsets;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.GroupDescription;
import io.tributary.groups.GroupError;
import io.tributary.groups.Heartbeat;
import io.tributary.groups.JoinGroup;
import io.tributary.groups.JoinOutcome;
import io.tributary.groups.LeaveGroup;
import io.tributary.groups.LeaveOutcome;
import io.tributary.groups.ListedGroups;
import io.tributary.groups.OffsetCommit;
import io.tributary.groups.OffsetDelete;
import io.tributary.groups.OffsetDeleteOutcome;
import io.tributary.groups.OffsetFetch;
import io.tributary.groups.SyncGroup;
import io.tributary.groups.SyncOutcome;
import io.tributary.groups.TopicResolver;
import io.tributary.groups.TxnOffsetCommit;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.storage.GroupMetadataValue;
import io.tributary.groups.storage.OffsetCommitKey;
import io.tributary.groups.storage.OffsetCommitValue;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.groups.timer.Scheduler;
import io.tributary.log.AppendReplication;
import io.tributary.log.MarkerAppend;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.log.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One {@code __consumer_offsets} partition served by this broker: owns the partition's thread, its lifecycle
 * (loading, serving, unloaded) and its log, and routes each request to the part that keeps the state it
 * changes: the {@link GroupMembership} state machine or the {@link OffsetStore}. The few requests that need
 * both (a commit, a group deletion, offset expiry) are sequenced here.
 *
 * <p>Invariant: everything of the partition runs on its executor, one task at a time: requests, timer
 * callbacks and log appends, and no timer task runs unless the partition is served. That is why no group has
 * a lock: a group is only ever touched by the thread of its partition. The choice over a lock per group:
 * timers and requests serialize without a second mechanism, the order of records in the partition is the
 * order of the state changes they describe, and requests spanning several groups of a partition need no lock
 * ordering. Partitions spread over a few threads, so one busy group delays only the groups sharing its
 * partition.
 */
public final class GroupShard {
    private static final Logger log = LoggerFactory.getLogger(GroupShard.class);

    /** Lifecycle of the partition on this broker. */
    public enum Status { LOADING, ACTIVE, UNLOADED }

    private final int partition;
    private final OffsetsPartition storage;
    private final GroupCoordinatorConfig config;
    private final Scheduler scheduler;
    private final Executor executor;
    private final ShardContext context = new Context();
    private final GroupMembership membership;
    private final OffsetStore offsets;
    private volatile Status status = Status.LOADING;
    private Scheduler.Cancellable expiryTimer;
    private final int leaderEpoch;
    private final AppendReplication replication;
    /** Appends whose followers are awaited, oldest first; touched only on the partition's thread. */
    private final ArrayDeque<InFlightWrite> inFlight = new ArrayDeque<>();

    /** An append waiting for its followers, and what to do once they have it (or the wait failed). */
    private record InFlightWrite(CompletableFuture<ErrorCode> replicated, Consumer<GroupError> then) {
    }

    /** A partition led alone (leader epoch 0, nothing waits for followers): tests and a broker without a cluster. */
    public GroupShard(int partition, OffsetsPartition storage, GroupCoordinatorConfig config, Scheduler scheduler,
                      Executor executor, TopicResolver topics) {
        this(partition, 0, AppendReplication.NONE, storage, config, scheduler, executor, topics);
    }

    /**
     * @param leaderEpoch the partition's leader epoch at which this broker leads it: stamped into every batch written
     * @param replication where each append waits until the followers have it
     */
    public GroupShard(int partition, int leaderEpoch, AppendReplication replication, OffsetsPartition storage,
                      GroupCoordinatorConfig config, Scheduler scheduler, Executor executor, TopicResolver topics) {
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.replication = replication;
        this.storage = storage;
        this.config = config;
        this.scheduler = scheduler;
        this.executor = executor;
        this.offsets = new OffsetStore(config, context, topics);
        this.membership = new GroupMembership(config, context, offsets::hasOffsets);
    }

    public int partition() {
        return partition;
    }

    public Executor executor() {
        return executor;
    }

    public Status status() {
        return status;
    }

    /** The leader epoch this partition is served at. */
    public int leaderEpoch() {
        return leaderEpoch;
    }

    // =====================================================================================================
    // lifecycle

    /**
     * Rebuilds the groups and their offsets from the partition. Runs before {@link #activate()}, on any
     * thread, while the partition answers COORDINATOR_LOAD_IN_PROGRESS.
     */
    public OffsetsPartition.LoadStats load() {
        long now = scheduler.nowMs();
        OffsetsPartition.LoadStats stats = storage.load(new OffsetsPartition.Replayer() {
            @Override
            public void replay(CoordinatorRecord record, long offset) {
                GroupShard.this.replay(record, now, -1);
            }

            @Override
            public void replayTransactional(CoordinatorRecord record, long offset, long producerId) {
                GroupShard.this.replay(record, now, producerId);
            }

            @Override
            public void endTransaction(long producerId, boolean commit) {
                for (String groupId : offsets.completeTransaction(producerId, commit)) {
                    membership.getOrCreate(groupId, now);
                }
            }
        });
        membership.dropUnusedAfterLoad();
        return stats;
    }

    private void replay(CoordinatorRecord record, long now, long txnProducer) {
        if (txnProducer >= 0 && record.key() instanceof OffsetCommitKey key) {
            offsets.replayTransactional(key, record.isTombstone() ? null : (OffsetCommitValue) record.value(), txnProducer);
            return;
        }
        replay(record, now);
    }

    private void replay(CoordinatorRecord record, long now) {
        if (record.key() instanceof OffsetCommitKey key) {
            if (!record.isTombstone()) {
                membership.getOrCreate(key.group(), now);
            }
            offsets.replay(key, record.isTombstone() ? null : (OffsetCommitValue) record.value());
        } else {
            membership.replay(record.key().group(), record.isTombstone() ? null : (GroupMetadataValue) record.value(), now);
        }
    }

    /** Starts serving: members of loaded groups get their session timers, oversized groups rebalance. */
    public void activate() {
        if (status != Status.LOADING) {
            return;
        }
        status = Status.ACTIVE;
        membership.activate();
        expiryTimer = context.schedule(config.offsetsRetentionCheckIntervalMs(), this::expireOffsetsAndReschedule);
    }

    /** Stops serving: every parked request is answered NOT_COORDINATOR, timers are dropped, groups forgotten. */
    public void unload() {
        Status previous = status;
        // writes still waiting for their followers fail first, so their callbacks see the state they changed
        failInFlight();
        status = Status.UNLOADED;
        if (previous == Status.ACTIVE && expiryTimer != null) {
            expiryTimer.cancel();
        }
        offsets.clear();
        membership.unload(previous == Status.ACTIVE);
    }

    // =====================================================================================================
    // membership

    /** A JoinGroup, answered through {@code respond} now or when the rebalance completes. */
    public void joinGroup(JoinGroup request, Consumer<JoinOutcome> respond) {
        membership.joinGroup(request, respond);
    }

    /** A SyncGroup, answered through {@code respond} now or when the leader's assignment is stored. */
    public void syncGroup(SyncGroup request, Consumer<SyncOutcome> respond) {
        membership.syncGroup(request, respond);
    }

    public GroupError heartbeat(Heartbeat request) {
        return membership.heartbeat(request);
    }

    public LeaveOutcome leaveGroup(LeaveGroup request) {
        return membership.leaveGroup(request);
    }

    public GroupDescription describeGroup(String groupId) {
        return membership.describeGroup(groupId);
    }

    /** The groups in the given states (all when {@code states} is empty), never Dead ones. */
    public List<ListedGroups.Group> listGroups(Set<GroupState> states) {
        return membership.listGroups(states);
    }

    // =====================================================================================================
    // offsets

    /**
     * An OffsetCommit: the membership says who may commit, the store commits; answered (and the offsets visible) once
     * the commit is replicated.
     */
    public void commitOffsets(OffsetCommit request, Consumer<CommitOutcome> respond) {
        GroupError groupError = membership.validateCommit(request.groupId(), request.memberId(), request.groupInstanceId(),
            request.generationId());
        if (groupError == GroupError.NONE) {
            membership.memberCommitted(request.groupId(), request.memberId(), scheduler.nowMs());
        }
        offsets.commit(request, groupError, committed -> {
            if (committed.stored()) {
                membership.getOrCreate(request.groupId(), scheduler.nowMs());
            }
            respond.accept(committed.outcome());
        });
    }

    /**
     * A TxnOffsetCommit: checked like an OffsetCommit (a generation of -1 is not checked), written in the producer's
     * transactional batch, visible once the transaction's COMMIT marker reaches this partition.
     */
    public void commitTransactionalOffsets(TxnOffsetCommit request, Consumer<CommitOutcome> respond) {
        OffsetCommit commit = request.commit();
        GroupError groupError = membership.validateCommit(commit.groupId(), commit.memberId(), commit.groupInstanceId(),
            commit.generationId());
        offsets.commit(commit, groupError, request.producerId(), request.producerEpoch(), committed -> respond.accept(committed.outcome()));
    }

    /**
     * Writes a transaction marker of the producer to this partition (WriteTxnMarkers for {@code __consumer_offsets})
     * and, once it is replicated, applies it: on COMMIT its pending offsets become visible, on ABORT they are dropped.
     * NONE then; a refusal before the append (too few replicas in sync) or a failed wait answers its mapped code and
     * leaves the offsets pending (the transaction coordinator writes the marker again).
     */
    public void writeTransactionMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch,
                                       Consumer<GroupError> respond) {
        if (!admitted(respond)) {
            return;
        }
        EndTransactionMarker marker = new EndTransactionMarker(commit ? EndTransactionMarker.ControlType.COMMIT
            : EndTransactionMarker.ControlType.ABORT, coordinatorEpoch);
        MarkerAppend appended;
        try {
            appended = storage.log().appendTransactionMarker(producerId, producerEpoch, marker, leaderEpoch);
        } catch (RuntimeException e) {
            log.error("Cannot write a transaction marker of producer {} to {}", producerId, storage.log().topicPartition(), e);
            respond.accept(GroupError.NOT_COORDINATOR);
            return;
        }
        if (appended.refusal() == null && appended.appended().flushDue()) {
            storage.log().flush();
        }
        if (appended.refusal() != null) {
            log.warn("Transaction marker of producer {} refused by {}: {}", producerId, storage.log().topicPartition(),
                appended.refusal().message());
            respond.accept(GroupError.UNKNOWN_SERVER_ERROR);
            return;
        }
        afterReplicated(storage.log().logEndOffset(), error -> {
            if (error == GroupError.NONE) {
                long now = scheduler.nowMs();
                for (String groupId : offsets.completeTransaction(producerId, commit)) {
                    membership.getOrCreate(groupId, now);
                }
            }
            respond.accept(error);
        });
    }

    public FetchedOffsets fetchOffsets(OffsetFetch request) {
        return offsets.fetch(request);
    }

    public void deleteOffsets(OffsetDelete request, Consumer<OffsetDeleteOutcome> respond) {
        offsets.delete(membership.group(request.groupId()), request, respond);
    }

    /**
     * Deletes an Empty group and its offsets: tombstones first, then, once they are replicated, the group is Dead and
     * forgotten; a group that gained members or offsets meanwhile stays (the answer is NON_EMPTY_GROUP then).
     */
    public void deleteGroup(String groupId, Consumer<GroupError> respond) {
        GroupError refused = membership.checkDeletable(groupId);
        if (refused != GroupError.NONE) {
            respond.accept(refused);
            return;
        }
        List<CoordinatorRecord> tombstones = offsets.tombstones(groupId);
        tombstones.add(GroupMembership.groupTombstone(groupId));
        ClassicGroup group = membership.group(groupId);
        context.append(tombstones, false, stored -> {
            if (stored != GroupError.NONE) {
                respond.accept(stored);
                return;
            }
            if (membership.group(groupId) != group || membership.checkDeletable(groupId) != GroupError.NONE
                || offsets.tombstones(groupId).size() != tombstones.size() - 1) {
                respond.accept(GroupError.NON_EMPTY_GROUP);
                return;
            }
            forget(group);
            log.info("Group {} deleted with its {} offsets", ClientText.escape(groupId), tombstones.size() - 1);
            respond.accept(GroupError.NONE);
        });
    }

    private void forget(ClassicGroup group) {
        membership.forgetGroup(group);
        offsets.forget(group.groupId());
    }

    private void expireOffsetsAndReschedule() {
        try {
            expireOffsets();
        } finally {
            if (status == Status.ACTIVE) {
                expiryTimer = context.schedule(config.offsetsRetentionCheckIntervalMs(), this::expireOffsetsAndReschedule);
            }
        }
    }

    /** Runs offset expiry now (see {@link OffsetStore#expire}); the number of offsets expired. */
    public int expireOffsets() {
        return offsets.expire(membership.groups(), this::forget);
    }

    // =====================================================================================================
    // inspection

    /** The group as it is now, for tests and tools; null if there is no such group. */
    public GroupSnapshot snapshot(String groupId) {
        return membership.snapshot(groupId, offsets.snapshot(groupId));
    }

    /** Group ids of this partition, for tests and tools. */
    public Set<String> groupIds() {
        return membership.groupIds();
    }

    // =====================================================================================================
    // what the parts get from the shard

    private final class Context implements ShardContext {
        @Override
        public long nowMs() {
            return scheduler.nowMs();
        }

        @Override
        public Scheduler.Cancellable schedule(long delayMs, Runnable task) {
            ShardTimer timer = new ShardTimer(task);
            timer.scheduled = scheduler.schedule(delayMs, () -> {
                try {
                    executor.execute(timer);
                } catch (RejectedExecutionException e) {
                    // the coordinator is closing: the partition no longer runs anything
                }
            });
            return timer;
        }

        @Override
        public void appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch,
                                        Consumer<GroupError> then) {
            if (!admitted(then)) {
                return;
            }
            long end;
            try {
                end = storage.appendTransactional(records, producerId, producerEpoch, scheduler.nowMs(), leaderEpoch).lastOffset() + 1;
            } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
                then.accept(GroupError.INVALID_COMMIT_OFFSET_SIZE);
                return;
            } catch (RuntimeException e) {
                log.error("Cannot append to {}", storage.log().topicPartition(), e);
                then.accept(GroupError.NOT_COORDINATOR);
                return;
            }
            afterReplicated(end, then);
        }

        @Override
        public void append(List<CoordinatorRecord> records, boolean isCommit, Consumer<GroupError> then) {
            if (!admitted(then)) {
                return;
            }
            long end;
            try {
                end = storage.append(records, scheduler.nowMs(), leaderEpoch).lastOffset() + 1;
            } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
                log.warn("Records for {} are too large for {}: {}", ClientText.escape(records.get(0).key().group()), storage.log().topicPartition(),
                    e.getMessage());
                then.accept(isCommit ? GroupError.INVALID_COMMIT_OFFSET_SIZE : GroupError.UNKNOWN_SERVER_ERROR);
                return;
            } catch (RuntimeException e) {
                log.error("Cannot append to {}", storage.log().topicPartition(), e);
                then.accept(GroupError.NOT_COORDINATOR);
                return;
            }
            afterReplicated(end, then);
        }
    }

    // =====================================================================================================
    // waiting for the followers

    /**
     * Whether a write may be appended now (this broker leads the partition with enough replicas in sync); if not,
     * {@code then} gets the answer at once and nothing is written: the group's state and log stay as they were.
     * Behind writes still waiting, the refusal waits its turn so that callbacks keep append order.
     */
    private boolean admitted(Consumer<GroupError> then) {
        ErrorCode admission;
        try {
            admission = replication.admit(storage.log().topicPartition());
        } catch (RuntimeException e) {
            log.error("Cannot check the replicas of {}", storage.log().topicPartition(), e);
            admission = ErrorCode.KAFKA_STORAGE_ERROR;
        }
        if (admission == ErrorCode.NONE) {
            return true;
        }
        CompletableFuture<ErrorCode> refused = CompletableFuture.completedFuture(admission);
        if (inFlight.isEmpty()) {
            then.accept(writeOutcome(refused));
        } else {
            inFlight.add(new InFlightWrite(refused, then));
        }
        return false;
    }

    /**
     * Runs {@code then} on this partition's thread once the high watermark reached {@code requiredOffset}, after every
     * earlier write's callback; at once when nothing is waiting and the wait is already over (a broker alone).
     */
    private void afterReplicated(long requiredOffset, Consumer<GroupError> then) {
        CompletableFuture<ErrorCode> replicated;
        try {
            replicated = replication.await(storage.log().topicPartition(), leaderEpoch, requiredOffset);
        } catch (RuntimeException e) {
            replicated = CompletableFuture.failedFuture(e);
        }
        if (inFlight.isEmpty() && replicated.isDone()) {
            then.accept(writeOutcome(replicated));
            return;
        }
        inFlight.add(new InFlightWrite(replicated, then));
        replicated.whenComplete((error, failure) -> {
            try {
                executor.execute(this::completeReplicated);
            } catch (RejectedExecutionException e) {
                // the coordinator is closing: unload already failed every waiting write
            }
        });
    }

    /** Runs the callbacks of the oldest writes whose waits are over, in append order. */
    private void completeReplicated() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().replicated().isDone()) {
            InFlightWrite write = inFlight.pollFirst();
            write.then().accept(status == Status.UNLOADED ? GroupError.NOT_COORDINATOR : writeOutcome(write.replicated()));
        }
    }

    private void failInFlight() {
        while (!inFlight.isEmpty()) {
            inFlight.pollFirst().then().accept(GroupError.NOT_COORDINATOR);
        }
    }

    /**
     * Kafka's mapping of a coordinator write's failed acks=-1 append (GroupMetadataManager's store callbacks and
     * GroupCoordinatorService's exception handling): lost leadership or a storage failure is NOT_COORDINATOR, too few
     * in-sync replicas or followers too slow COORDINATOR_NOT_AVAILABLE; both make clients retry.
     */
    static GroupError writeOutcome(CompletableFuture<ErrorCode> replicated) {
        ErrorCode code = replicated.isCompletedExceptionally() ? ErrorCode.REQUEST_TIMED_OUT : replicated.join();
        return switch (code) {
            case NONE -> GroupError.NONE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> GroupError.NOT_COORDINATOR;
            case NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT, UNKNOWN_TOPIC_OR_PARTITION ->
                GroupError.COORDINATOR_NOT_AVAILABLE;
            default -> GroupError.UNKNOWN_SERVER_ERROR;
        };
    }

    /** A timer whose callback runs on this partition's thread, unless cancelled there first. */
    private final class ShardTimer implements Runnable, Scheduler.Cancellable {
        private final Runnable task;
        private Scheduler.Cancellable scheduled;
        private boolean done;

        ShardTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!done && status == Status.ACTIVE) {
                done = true;
                task.run();
            }
        }

        @Override
        public void cancel() {
            done = true;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }
    }
}
