package io.tributary.log.epoch;

/**
 * One entry of a {@link LeaderEpochFileCache}: the first offset written under a leader epoch.
 *
 * @param epoch       the partition leader epoch, 0 or more
 * @param startOffset the offset of the first batch stamped with it, 0 or more
 */
public record EpochEntry(int epoch, long startOffset) {
    public EpochEntry {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("Leader epoch entry needs a non-negative epoch and start offset, was epoch "
                + epoch + " at offset " + startOffset);
        }
    }
}
