package io.tributary.server.txn;

/**
 * The states of a transactional id, with Kafka's codes (the {@code transaction_status} byte of
 * {@code __transaction_state} values) and the names DescribeTransactions and ListTransactions use.
 *
 * <pre>
 * EMPTY --add--> ONGOING --end--> PREPARE_COMMIT | PREPARE_ABORT --markers written--> COMPLETE_COMMIT | COMPLETE_ABORT
 * COMPLETE_* --add--> ONGOING;  EMPTY | COMPLETE_* --InitProducerId--> EMPTY (epoch bumped)
 * </pre>
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte code;
    private final String displayName;

    TransactionState(int code, String displayName) {
        this.code = (byte) code;
        this.displayName = displayName;
    }

    public byte code() {
        return code;
    }

    /** Kafka's name, as DescribeTransactions and ListTransactions report it. */
    public String displayName() {
        return displayName;
    }

    /** The state of a code, or null for a code Kafka does not define. */
    public static TransactionState forCode(byte code) {
        for (TransactionState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** The state of a display name, or null. */
    public static TransactionState forDisplayName(String name) {
        for (TransactionState s : values()) {
            if (s.displayName.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Markers are being written: requests that would start or end another transaction must wait. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT || this == PREPARE_EPOCH_FENCE;
    }

    /** No transaction is open: a new one may begin. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
