package io.tributary.clients.admin;

import io.tributary.protocol.Node;

import java.util.List;

/**
 * One partition of a described topic.
 *
 * @param leader      the leading broker, or null while there is none
 * @param leaderEpoch -1 when the broker did not say
 * @param replicas    ids of the brokers holding a replica, the preferred leader first
 * @param isr         ids of the in-sync replicas
 */
public record PartitionDescription(int partition, Node leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    public PartitionDescription {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
