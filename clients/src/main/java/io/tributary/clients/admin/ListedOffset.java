package io.tributary.clients.admin;

/**
 * What ListOffsets found for one partition.
 *
 * @param offset      the offset, or -1 when no record matches (a timestamp after the last record, an empty log
 *                    asked for its max timestamp)
 * @param timestamp   the record's timestamp for timestamp and max-timestamp lookups; -1 for earliest and latest
 * @param leaderEpoch the leader epoch of the record, or -1 when unknown
 */
public record ListedOffset(long offset, long timestamp, int leaderEpoch) {
    /** Whether a record matched. */
    public boolean found() {
        return offset >= 0;
    }
}
