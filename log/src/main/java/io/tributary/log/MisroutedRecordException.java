package io.tributary.log;

/**
 * An append to a partition of an ordered topic ({@code routing.mode=ordered}) holds a keyed record whose key
 * maps to another partition under the topic's current partition count: the writer routed it with an older
 * count (stale metadata) or with another function. Nothing of the append is written. Not a damaged or invalid
 * record — the same record is welcome in the partition its key maps to — so the broker answers with a retriable
 * error that makes clients refresh their metadata (NOT_LEADER_OR_FOLLOWER; see docs/ROUTING.md).
 */
public final class MisroutedRecordException extends RuntimeException {
    private final int expectedPartition;
    private final int partitionCount;

    public MisroutedRecordException(String message, int expectedPartition, int partitionCount) {
        super(message);
        this.expectedPartition = expectedPartition;
        this.partitionCount = partitionCount;
    }

    /** The partition the offending record's key maps to. */
    public int expectedPartition() {
        return expectedPartition;
    }

    /** The partition count the key was routed with. */
    public int partitionCount() {
        return partitionCount;
    }
}
