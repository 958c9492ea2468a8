package io.tributary.log.epoch;

/**
 * Kafka's OffsetForLeaderEpoch answer for one partition: the largest epoch at or below the requested one that
 * the log holds, and the offset where it ended (the start of the next epoch, or the log end offset for the
 * latest one). {@link #UNDEFINED} (both -1) when the log knows no such epoch.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(LeaderEpochs.UNDEFINED, LeaderEpochs.UNDEFINED_OFFSET);

    public boolean isUndefined() {
        return endOffset == LeaderEpochs.UNDEFINED_OFFSET;
    }
}
