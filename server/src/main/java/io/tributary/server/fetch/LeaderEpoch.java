package io.tributary.server.fetch;

import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;

/**
 * Kafka's check of a client's current_leader_epoch against the partition's: here always
 * {@link LeaderEpochs#SINGLE_BROKER}, since one broker leads everything and no election ever happens.
 */
final class LeaderEpoch {

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
        if (requested < LeaderEpochs.SINGLE_BROKER) {
            return ErrorCode.FENCED_LEADER_EPOCH;
        }
        return requested > LeaderEpochs.SINGLE_BROKER ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.NONE;
    }
}
