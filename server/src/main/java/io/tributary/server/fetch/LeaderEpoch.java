package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;

/**
 * The leader epoch of every partition on this broker: 0, since one broker leads everything and no election
 * ever happens. Batches are appended with it, and a fetcher's or offset lister's current_leader_epoch is
 * checked against it with Kafka's rule.
 */
final class LeaderEpoch {
    static final int CURRENT = 0;

    private LeaderEpoch() {
    }

    /**
     * Kafka's check of a client's current_leader_epoch: none given (negative) passes; an older epoch is
     * FENCED_LEADER_EPOCH (the client is ahead of nothing, it missed an election); a newer one is
     * UNKNOWN_LEADER_EPOCH (the client saw an election this broker has not).
     */
    static ErrorCode check(int requested) {
        if (requested < 0) {
            return ErrorCode.NONE;
        }
        if (requested < CURRENT) {
            return ErrorCode.FENCED_LEADER_EPOCH;
        }
        return requested > CURRENT ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.NONE;
    }
}
