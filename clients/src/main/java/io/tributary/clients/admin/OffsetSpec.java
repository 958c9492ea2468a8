package io.tributary.clients.admin;

/**
 * Which offset of a partition ListOffsets should find, as the request's timestamp field encodes it: a
 * timestamp (the first record at or after it) or one of Kafka's sentinels: -2 earliest (the log start
 * offset), -1 latest (the log end offset), -3 the record with the largest timestamp (ListOffsets v7+).
 */
public final class OffsetSpec {
    static final long EARLIEST = -2;
    static final long LATEST = -1;
    static final long MAX_TIMESTAMP = -3;

    private static final OffsetSpec EARLIEST_SPEC = new OffsetSpec(EARLIEST);
    private static final OffsetSpec LATEST_SPEC = new OffsetSpec(LATEST);
    private static final OffsetSpec MAX_TIMESTAMP_SPEC = new OffsetSpec(MAX_TIMESTAMP);

    private final long timestamp;

    private OffsetSpec(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The log start offset. */
    public static OffsetSpec earliest() {
        return EARLIEST_SPEC;
    }

    /** The log end offset: where the next record will go. */
    public static OffsetSpec latest() {
        return LATEST_SPEC;
    }

    /** The first record holding the partition's largest timestamp (KIP-734). */
    public static OffsetSpec maxTimestamp() {
        return MAX_TIMESTAMP_SPEC;
    }

    /**
     * The first record whose timestamp is at or after {@code timestampMs}.
     *
     * @throws IllegalArgumentException for a negative timestamp, which the wire reads as a sentinel
     */
    public static OffsetSpec forTimestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("Timestamp " + timestampMs + " is negative; timestamps are ms since the epoch, >= 0");
        }
        return new OffsetSpec(timestampMs);
    }

    /** The value the ListOffsets request carries. */
    long wireTimestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetSpec other && other.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp);
    }

    @Override
    public String toString() {
        return timestamp == EARLIEST ? "earliest" : timestamp == LATEST ? "latest"
            : timestamp == MAX_TIMESTAMP ? "max-timestamp" : "timestamp " + timestamp;
    }
}
