package io.tributary.groups.storage;

import java.util.UUID;

/**
 * A committed offset as stored in {@code __consumer_offsets}: Kafka's {@code OffsetCommitValue}.
 *
 * @param offset           the next offset the group will consume
 * @param leaderEpoch      leader epoch of the last consumed record, -1 if unknown (value version 3+)
 * @param metadata         the client's string, never null ("" when the client sent null)
 * @param commitTimestamp  when the coordinator accepted the commit
 * @param expireTimestamp  when the commit expires, -1 when offsets.retention.minutes decides (value version 1 only)
 * @param topicId          the topic's id, or null when unknown (tagged field 0 of value version 4)
 */
public record OffsetCommitValue(long offset, int leaderEpoch, String metadata, long commitTimestamp,
                                long expireTimestamp, UUID topicId) {
    public OffsetCommitValue {
        if (metadata == null) {
            throw new IllegalArgumentException("Offset commit metadata cannot be null; use \"\"");
        }
    }
}
