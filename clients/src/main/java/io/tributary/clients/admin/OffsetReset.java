package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;

/**
 * Where to move a group's committed offset in a partition, as Kafka's consumer-groups tool offers:
 * <ul>
 * <li>{@link #toEarliest()}: the log start offset;</li>
 * <li>{@link #toLatest()}: the log end offset (skip everything not yet read);</li>
 * <li>{@link #toTimestamp(long)}: the first record at or after the time, or the log end when there is none;</li>
 * <li>{@link #toOffset(long)}: that offset, clamped to [earliest, latest];</li>
 * <li>{@link #shiftBy(long)}: the committed offset plus n (negative n moves back), clamped to [earliest, latest];
 *     a partition without a committed offset cannot be shifted.</li>
 * </ul>
 * Clamping keeps the result an offset the consumer can read from, so it never hits an out-of-range reset.
 */
public final class OffsetReset {
    /** The kinds of reset. */
    public enum Kind { EARLIEST, LATEST, TIMESTAMP, OFFSET, SHIFT }

    private final Kind kind;
    private final long value;

    private OffsetReset(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    public static OffsetReset toEarliest() {
        return new OffsetReset(Kind.EARLIEST, 0);
    }

    public static OffsetReset toLatest() {
        return new OffsetReset(Kind.LATEST, 0);
    }

    /** @throws IllegalArgumentException for a negative timestamp */
    public static OffsetReset toTimestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("Timestamp " + timestampMs + " is negative; timestamps are ms since the epoch, >= 0");
        }
        return new OffsetReset(Kind.TIMESTAMP, timestampMs);
    }

    /** @throws IllegalArgumentException for a negative offset */
    public static OffsetReset toOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Offset " + offset + " is negative; offsets start at 0");
        }
        return new OffsetReset(Kind.OFFSET, offset);
    }

    public static OffsetReset shiftBy(long delta) {
        return new OffsetReset(Kind.SHIFT, delta);
    }

    public Kind kind() {
        return kind;
    }

    /** The timestamp, offset or shift; 0 for earliest and latest. */
    public long value() {
        return value;
    }

    /**
     * The new offset of one partition.
     *
     * @param committed   the group's committed offset, or -1 if none
     * @param earliest    the log start offset
     * @param latest      the log end offset
     * @param atTimestamp for {@link Kind#TIMESTAMP}: the offset ListOffsets found, or -1 if no record is that new
     * @throws IllegalStateException for a shift of a partition without a committed offset
     */
    long target(TopicPartition partition, long committed, long earliest, long latest, long atTimestamp) {
        return switch (kind) {
            case EARLIEST -> earliest;
            case LATEST -> latest;
            case TIMESTAMP -> atTimestamp >= 0 ? clamp(atTimestamp, earliest, latest) : latest;
            case OFFSET -> clamp(value, earliest, latest);
            case SHIFT -> {
                if (committed < 0) {
                    throw new IllegalStateException("Cannot shift partition " + partition + " by " + value
                        + ": the group has no committed offset there to shift from");
                }
                long shifted = value >= 0 ? (committed > Long.MAX_VALUE - value ? Long.MAX_VALUE : committed + value)
                    : Math.max(0, committed + value); // committed >= 0, so this cannot overflow
                yield clamp(shifted, earliest, latest);
            }
        };
    }

    private static long clamp(long offset, long earliest, long latest) {
        return Math.max(earliest, Math.min(latest, offset));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EARLIEST -> "to-earliest";
            case LATEST -> "to-latest";
            case TIMESTAMP -> "to-timestamp " + value;
            case OFFSET -> "to-offset " + value;
            case SHIFT -> "shift-by " + value;
        };
    }
}
