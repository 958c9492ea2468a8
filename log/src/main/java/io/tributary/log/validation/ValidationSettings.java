package io.tributary.log.validation;

import io.tributary.log.LogConfig;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Decompressor;

/**
 * What {@link LogValidator} checks an append against: one partition's topic settings at the moment of the
 * append, and the partition count an ordered topic's keys are routed with.
 *
 * @param maxMessageBytes       {@code max.message.bytes}: the largest batch, as sent (compressed)
 * @param segmentBytes          {@code segment.bytes}: the largest append
 * @param compact               {@code cleanup.policy} holds compact: every record needs a key
 * @param cleanupPolicy         the policy as configured, for messages
 * @param routingCount          an ordered topic's partition count keys must map under, or 0 when keys are not routed
 * @param timestampType         {@code message.timestamp.type}
 * @param timestampBeforeMaxMs  {@code message.timestamp.before.max.ms}: how far a CreateTime timestamp may lie in the past
 * @param timestampAfterMaxMs   {@code message.timestamp.after.max.ms}: how far it may lie in the future
 * @param maxDecompressedBytes  {@code decompressed.batch.max.bytes}: the most one compressed batch may decompress to
 */
public record ValidationSettings(TopicPartition topicPartition, int maxMessageBytes, int segmentBytes, boolean compact,
                                 String cleanupPolicy, int routingCount, TimestampType timestampType,
                                 long timestampBeforeMaxMs, long timestampAfterMaxMs, int maxDecompressedBytes) {

    public ValidationSettings {
        if (routingCount < 0) {
            throw new IllegalArgumentException("Routing count for " + topicPartition + " must not be negative, was " + routingCount);
        }
        if (timestampBeforeMaxMs < 0 || timestampAfterMaxMs < 0) {
            throw new IllegalArgumentException("Timestamp window of " + topicPartition + " must not be negative, was before "
                + timestampBeforeMaxMs + " ms and after " + timestampAfterMaxMs + " ms");
        }
    }

    /** The settings {@code config} gives {@code topicPartition}, with keys routed under {@code routingCount} (0: not routed). */
    public static ValidationSettings of(TopicPartition topicPartition, LogConfig config, int routingCount) {
        return new ValidationSettings(topicPartition, config.maxMessageBytes, config.segmentBytes, config.compact,
            config.cleanupPolicyText, routingCount, config.timestampType, config.timestampBeforeMaxMs,
            config.timestampAfterMaxMs, config.maxDecompressedBytes);
    }

    /** The same settings with keys routed under {@code count} partitions. */
    public ValidationSettings withRoutingCount(int count) {
        return new ValidationSettings(topicPartition, maxMessageBytes, segmentBytes, compact, cleanupPolicy, count,
            timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, maxDecompressedBytes);
    }

    Decompressor decompressor() {
        return new Decompressor(maxDecompressedBytes);
    }
}
