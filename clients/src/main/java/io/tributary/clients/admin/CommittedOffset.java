package io.tributary.clients.admin;

/**
 * A group's committed position in one partition: the offset of the next record it will read.
 *
 * @param leaderEpoch the epoch the committing consumer saw, or -1 when unknown
 * @param metadata    the string stored with the commit ("" when none)
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata) {
    public CommittedOffset {
        if (offset < 0) {
            throw new IllegalArgumentException("A committed offset must be >= 0, got " + offset);
        }
        metadata = metadata == null ? "" : metadata;
    }

    public static CommittedOffset of(long offset) {
        return new CommittedOffset(offset, -1, "");
    }
}
