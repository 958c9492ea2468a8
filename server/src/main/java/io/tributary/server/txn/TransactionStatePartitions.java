package io.tributary.server.txn;

/**
 * What the broker tells the transaction coordinator about the leadership of {@code __transaction_state}'s partitions
 * (Kafka's onElection / onResignation): on becoming a partition's leader it loads the partition (its ids answer
 * COORDINATOR_LOAD_IN_PROGRESS meanwhile) and serves it with the partition's leader epoch as coordinator epoch; on
 * losing it, it forgets the partition's ids (NOT_COORDINATOR from then on). A single broker calls
 * {@link #becomeLeader} for every partition at start; in a cluster the metadata wiring calls both as leadership moves.
 */
public interface TransactionStatePartitions {
    void becomeLeader(int partition, int leaderEpoch);

    void resign(int partition, int leaderEpoch);
}
