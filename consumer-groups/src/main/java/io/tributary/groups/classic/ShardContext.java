package io.tributary.groups.classic;

import io.tributary.groups.GroupError;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.timer.Scheduler;

import java.util.List;

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
     * Appends records to the partition, synchronously; NONE once they are in the log, else the error to answer
     * with (Kafka's mapping: too large is INVALID_COMMIT_OFFSET_SIZE for commits and UNKNOWN_SERVER_ERROR
     * otherwise; a storage failure is NOT_COORDINATOR, so clients look for the coordinator again).
     */
    GroupError append(List<CoordinatorRecord> records, boolean isCommit);

    /** {@link #append} as one transactional batch of the producer (TxnOffsetCommit). */
    GroupError appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch);
}
