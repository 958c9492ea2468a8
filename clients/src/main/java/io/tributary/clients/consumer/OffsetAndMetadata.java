package io.tributary.clients.consumer;

import java.util.Optional;

/**
 * A committed position: the offset of the next record to consume, the leader epoch of the last consumed record
 * (if known), and free-form metadata kept with the commit.
 *
 * @param offset      the next offset to consume, not negative
 * @param leaderEpoch -1 if unknown
 * @param metadata    never null ("" for none)
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata) {
    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("Committed offset " + offset + " is negative");
        }
        metadata = metadata == null ? "" : metadata;
    }

    public OffsetAndMetadata(long offset) {
        this(offset, -1, "");
    }

    public OffsetAndMetadata(long offset, String metadata) {
        this(offset, -1, metadata);
    }

    public Optional<Integer> leaderEpochIfKnown() {
        return leaderEpoch < 0 ? Optional.empty() : Optional.of(leaderEpoch);
    }
}
