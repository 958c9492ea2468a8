package io.tributary.metadata.quorum;

/**
 * A metadata write the quorum did not commit: this node is not the leader ({@link Reason#NOT_LEADER}, with the leader
 * it knows of, or -1), the write was not committed within the write timeout ({@link Reason#TIMED_OUT}: no majority),
 * or Ratis failed it ({@link Reason#FAILED}). Whether a timed-out write is committed later is unknown.
 */
public final class QuorumWriteException extends RuntimeException {
    public enum Reason { NOT_LEADER, TIMED_OUT, FAILED }

    private final Reason reason;
    private final int leaderId;

    public QuorumWriteException(Reason reason, int leaderId, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.leaderId = leaderId;
    }

    public Reason reason() {
        return reason;
    }

    /** The leader this node knows of, or -1. */
    public int leaderId() {
        return leaderId;
    }
}
