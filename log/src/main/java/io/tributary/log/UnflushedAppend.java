package io.tributary.log;

/**
 * The result of {@link PartitionLog#appendValidated}: what the append assigned, and whether the topic's
 * {@code flush.messages} policy now calls for an fsync, which that method leaves to the caller (for
 * instance to run it off a network thread and acknowledge the records only once it is done).
 */
public record UnflushedAppend(AppendResult result, boolean flushDue) {
}
