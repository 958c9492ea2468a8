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
import io.tributary.log.MarkerAppend;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.log.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
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

    public GroupShard(int partition, OffsetsPartition storage, GroupCoordinatorConfig config, Scheduler scheduler,
                      Executor executor, TopicResolver topics) {
        this.partition = partition;
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

    /** An OffsetCommit: the membership says who may commit, the store commits; answered after the append. */
    public CommitOutcome commitOffsets(OffsetCommit request) {
        GroupError groupError = membership.validateCommit(request.groupId(), request.memberId(), request.groupInstanceId(),
            request.generationId());
        OffsetStore.Committed committed = offsets.commit(request, groupError);
        long now = scheduler.nowMs();
        if (committed.stored()) {
            membership.getOrCreate(request.groupId(), now);
        }
        if (groupError == GroupError.NONE) {
            membership.memberCommitted(request.groupId(), request.memberId(), now);
        }
        return committed.outcome();
    }

    /**
     * A TxnOffsetCommit: checked like an OffsetCommit (a generation of -1 is not checked), written in the producer's
     * transactional batch, visible once the transaction's COMMIT marker reaches this partition.
     */
    public CommitOutcome commitTransactionalOffsets(TxnOffsetCommit request) {
        OffsetCommit commit = request.commit();
        GroupError groupError = membership.validateCommit(commit.groupId(), commit.memberId(), commit.groupInstanceId(),
            commit.generationId());
        return offsets.commit(commit, groupError, request.producerId(), request.producerEpoch()).outcome();
    }

    /**
     * Writes a transaction marker of the producer to this partition (WriteTxnMarkers for {@code __consumer_offsets})
     * and then applies it: on COMMIT its pending offsets become visible, on ABORT they are dropped. NONE once written.
     */
    public GroupError writeTransactionMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? EndTransactionMarker.ControlType.COMMIT
            : EndTransactionMarker.ControlType.ABORT, coordinatorEpoch);
        MarkerAppend appended;
        try {
            appended = storage.log().appendTransactionMarker(producerId, producerEpoch, marker, LeaderEpochs.SINGLE_BROKER);
        } catch (RuntimeException e) {
            log.error("Cannot write a transaction marker of producer {} to {}", producerId, storage.log().topicPartition(), e);
            return GroupError.NOT_COORDINATOR;
        }
        if (appended.refusal() == null && appended.appended().flushDue()) {
            storage.log().flush();
        }
        if (appended.refusal() != null) {
            log.warn("Transaction marker of producer {} refused by {}: {}", producerId, storage.log().topicPartition(),
                appended.refusal().message());
            return GroupError.UNKNOWN_SERVER_ERROR;
        }
        long now = scheduler.nowMs();
        for (String groupId : offsets.completeTransaction(producerId, commit)) {
            membership.getOrCreate(groupId, now);
        }
        return GroupError.NONE;
    }

    public FetchedOffsets fetchOffsets(OffsetFetch request) {
        return offsets.fetch(request);
    }

    public OffsetDeleteOutcome deleteOffsets(OffsetDelete request) {
        return offsets.delete(membership.group(request.groupId()), request);
    }

    /** Deletes an Empty group and its offsets: tombstones first, then the group is Dead and forgotten. */
    public GroupError deleteGroup(String groupId) {
        GroupError refused = membership.checkDeletable(groupId);
        if (refused != GroupError.NONE) {
            return refused;
        }
        List<CoordinatorRecord> tombstones = offsets.tombstones(groupId);
        tombstones.add(GroupMembership.groupTombstone(groupId));
        GroupError stored = context.append(tombstones, false);
        if (stored != GroupError.NONE) {
            return stored;
        }
        forget(membership.group(groupId));
        log.info("Group {} deleted with its {} offsets", ClientText.escape(groupId), tombstones.size() - 1);
        return GroupError.NONE;
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
        public GroupError appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch) {
            try {
                storage.appendTransactional(records, producerId, producerEpoch, scheduler.nowMs());
                return GroupError.NONE;
            } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
                return GroupError.INVALID_COMMIT_OFFSET_SIZE;
            } catch (RuntimeException e) {
                log.error("Cannot append to {}", storage.log().topicPartition(), e);
                return GroupError.NOT_COORDINATOR;
            }
        }

        @Override
        public GroupError append(List<CoordinatorRecord> records, boolean isCommit) {
            try {
                storage.append(records, scheduler.nowMs());
                return GroupError.NONE;
            } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
                log.warn("Records for {} are too large for {}: {}", ClientText.escape(records.get(0).key().group()), storage.log().topicPartition(),
                    e.getMessage());
                return isCommit ? GroupError.INVALID_COMMIT_OFFSET_SIZE : GroupError.UNKNOWN_SERVER_ERROR;
            } catch (RuntimeException e) {
                log.error("Cannot append to {}", storage.log().topicPartition(), e);
                return GroupError.NOT_COORDINATOR;
            }
        }
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
