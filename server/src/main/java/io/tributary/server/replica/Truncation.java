package io.tributary.server.replica;

import io.tributary.log.epoch.EpochEndOffset;

import java.util.function.IntFunction;

/**
 * Where a follower truncates its log when the leader says it diverged (KIP-101, KIP-279; Kafka's
 * {@code AbstractFetcherThread.getOffsetTruncationState}): never to the high watermark, always by leader epoch.
 *
 * <p>The leader answers the follower's last fetched epoch with the largest epoch it holds at or below it and
 * where that epoch ended in the leader's log (a Fetch v12+ {@code diverging_epoch}, or OffsetForLeaderEpoch). The
 * follower then looks up the same epoch in its own log:
 * <ul>
 *   <li>the leader knows no epoch (end offset undefined): nothing to go by, no truncation;</li>
 *   <li>the leader's epoch is undefined but its end offset is not, or the follower does not know the leader's epoch:
 *       truncate to the leader's end offset (never above the follower's own end);</li>
 *   <li>the follower's largest epoch at or below the leader's is an older one: truncate to where that older epoch ends
 *       in the follower's log, and ask again (the result is not final);</li>
 *   <li>both hold the epoch: truncate to where it ends in the shorter of the two logs; final.</li>
 * </ul>
 * Invariant (log matching): entries at the same offset with the same epoch are the same entries, so everything below
 * the computed offset is shared with the leader, and the follower keeps every entry it shares with the leader.
 *
 * @param offset   the new log end offset (at or below the follower's current one)
 * @param complete whether the follower may fetch from {@code offset} now; false: fetch again with its new last epoch
 */
public record Truncation(long offset, boolean complete) {

    /**
     * @param leader           the leader's largest epoch at or below the follower's last fetched epoch, with its end
     * @param followerLogEnd   the follower's log end offset
     * @param followerEndOffsetFor the follower's own OffsetForLeaderEpoch answer for an epoch
     */
    public static Truncation compute(EpochEndOffset leader, long followerLogEnd, IntFunction<EpochEndOffset> followerEndOffsetFor) {
        if (leader.endOffset() < 0) {
            return new Truncation(followerLogEnd, true);
        }
        if (leader.epoch() < 0) {
            return new Truncation(Math.min(leader.endOffset(), followerLogEnd), true);
        }
        EpochEndOffset follower = followerEndOffsetFor.apply(leader.epoch());
        if (follower.isUndefined()) {
            return new Truncation(Math.min(leader.endOffset(), followerLogEnd), true);
        }
        if (follower.epoch() != leader.epoch()) {
            return new Truncation(Math.min(follower.endOffset(), followerLogEnd), false);
        }
        return new Truncation(Math.min(Math.min(leader.endOffset(), follower.endOffset()), followerLogEnd), true);
    }
}
