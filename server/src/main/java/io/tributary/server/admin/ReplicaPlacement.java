package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;

import java.util.Arrays;

/**
 * The placement rules of a one-broker cluster: every partition has exactly one replica, on this broker.
 * A manual assignment (CreateTopics, CreatePartitions) is accepted only if it says exactly that, and a
 * replication factor only if it is 1 or -1 (the broker default, itself 1).
 *
 * <p>Also the cap Kafka's controller puts on one request, so that a single CreateTopics or
 * CreatePartitions cannot ask for millions of partition directories and index files.
 */
final class ReplicaPlacement {
    /** Kafka's MAX_PARTITIONS_PER_BATCH: partitions one request may create, over all its topics. */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

    private final int nodeId;
    /** The registered brokers of the cluster metadata, or null for a broker alone (only itself). */
    private final java.util.function.Supplier<java.util.Set<Integer>> registered;

    ReplicaPlacement(int nodeId) {
        this(nodeId, null);
    }

    /** @param registered the registered brokers (the controller checks the replication factor against the live ones) */
    ReplicaPlacement(int nodeId, java.util.function.Supplier<java.util.Set<Integer>> registered) {
        this.nodeId = nodeId;
        this.registered = registered;
    }

    int nodeId() {
        return nodeId;
    }

    /** @throws AdminException INVALID_REPLICATION_FACTOR for anything but -1 and 1, naming the value */
    void checkReplicationFactor(short replicationFactor) {
        if (replicationFactor == -1 || replicationFactor == 1) {
            return;
        }
        if (replicationFactor > 1 && registered != null) {
            return; // the controller checks it against the live brokers
        }
        if (replicationFactor < -1 || replicationFactor == 0) {
            throw new AdminException(ErrorCode.INVALID_REPLICATION_FACTOR, "Replication factor was set to an invalid "
                + "non-positive value " + replicationFactor + "; use 1, or -1 for the broker default (1)");
        }
        throw new AdminException(ErrorCode.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
            + replicationFactor + " time(s): the target replication factor of " + replicationFactor
            + " cannot be reached because only 1 broker(s) are registered (broker " + nodeId + ")");
    }

    /**
     * One partition's manual replica list must be exactly this broker.
     *
     * @throws AdminException INVALID_REPLICA_ASSIGNMENT naming the partition and the offending broker ids
     */
    void checkReplicas(String topic, int partition, int[] brokerIds) {
        String where = "partition " + partition + " of topic " + topic;
        if (brokerIds == null || brokerIds.length == 0) {
            throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                "The manual partition assignment of " + where + " includes an empty replica list");
        }
        if (registered != null) {
            java.util.Set<Integer> known = registered.get();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int brokerId : brokerIds) {
                if (!known.contains(brokerId)) {
                    throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment of "
                        + where + " includes broker " + brokerId + ", but no such broker is registered (brokers: "
                        + new java.util.TreeSet<>(known) + ")");
                }
                if (!seen.add(brokerId)) {
                    throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment of "
                        + where + " includes the broker " + brokerId + " more than once: " + Arrays.toString(brokerIds));
                }
            }
            return;
        }
        for (int brokerId : brokerIds) {
            if (brokerId != nodeId) {
                throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment of " + where
                    + " includes broker " + brokerId + ", but no such broker is registered (the only broker is " + nodeId + ")");
            }
        }
        if (brokerIds.length > 1) {
            throw new AdminException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment of " + where
                + " includes the broker " + nodeId + " more than once: " + Arrays.toString(brokerIds));
        }
    }

    /** @throws AdminException POLICY_VIOLATION when a request would create more than {@link #MAX_PARTITIONS_PER_REQUEST} partitions */
    static void checkRequestTotal(long partitions) {
        if (partitions > MAX_PARTITIONS_PER_REQUEST) {
            throw new AdminException(ErrorCode.POLICY_VIOLATION, "Excessively large number of partitions per request: "
                + partitions + " requested, limit " + MAX_PARTITIONS_PER_REQUEST);
        }
    }
}
