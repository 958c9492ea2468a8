package io.tributary.groups.classic;

import io.tributary.groups.GroupError;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.timer.Scheduler;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link GroupShard} lends its two parts ({@link GroupMembership} and {@link OffsetStore}): the
 * coordinator's clock, timers whose callbacks run on the partition's thread (and only while the partition is
 * served), and appends to the partition's log. Called only on the partition's thread.
 */
interface ShardContext {
    long nowMs();

    /** A timer whose task runs on the partition's thread, unless cancelled there first or the shard stopped. */
    Scheduler.Cancellable schedule(long delayMs, Runnable task);

    /**
     * Appends records to the partition as its leader and calls {@code then}, on the partition's thread, once the
     * partition's high watermark covers them (Kafka's acks=-1 for coordinator writes): with NONE, or with the error to
     * answer. Callers apply a change only in {@code then} and only on NONE, so nothing a client can read was not
     * replicated. Errors, Kafka's mapping: too large is INVALID_COMMIT_OFFSET_SIZE for commits and
     * UNKNOWN_SERVER_ERROR otherwise; a storage failure or lost leadership is NOT_COORDINATOR (clients look for the
     * coordinator again); too few in-sync replicas or followers too slow is COORDINATOR_NOT_AVAILABLE. Callbacks
     * run in append order. Where the high watermark moves on the append itself (a replication factor of one),
     * {@code then} runs before this returns.
     */
    void append(List<CoordinatorRecord> records, boolean isCommit, Consumer<GroupError> then);

    /** {@link #append} as one transactional batch of the producer (TxnOffsetCommit). */
    void appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch, Consumer<GroupError> then);
}
