package io.tributary.log.epoch;

/**
 * The leader epochs every module shares: the one this broker leads at, and Kafka's "no epoch".
 *
 * <p>Design note: while Tributary is one broker, no election ever happens and it leads every partition at
 * {@link #SINGLE_BROKER} — the epoch the log stamps into appended batches, Metadata and ListOffsets report, and
 * a client's current_leader_epoch is checked against. It is declared here, in the log module, because every
 * module that needs it (the log, the group coordinator's appends, the server, the benchmarks) sees this one.
 * When partitions get real leaders, each partition's epoch comes from the cluster's metadata instead and this
 * constant goes.
 */
public final class LeaderEpochs {
    /** The leader epoch of every partition while this broker is the only one. */
    public static final int SINGLE_BROKER = 0;
    /** Kafka's UNDEFINED_EPOCH: no epoch known (also a batch header's "no partition leader epoch"). */
    public static final int UNDEFINED = -1;
    /** Kafka's UNDEFINED_EPOCH_OFFSET: no end offset known for the requested epoch. */
    public static final long UNDEFINED_OFFSET = -1L;

    private LeaderEpochs() {
    }
}
