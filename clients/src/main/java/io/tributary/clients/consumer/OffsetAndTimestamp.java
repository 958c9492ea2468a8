package io.tributary.clients.consumer;

/**
 * The answer of {@code offsetsForTimes} for one partition: the earliest offset whose timestamp is at or after
 * the one asked for, and that record's timestamp.
 *
 * @param leaderEpoch -1 if unknown
 */
public record OffsetAndTimestamp(long offset, long timestamp, int leaderEpoch) {
}
