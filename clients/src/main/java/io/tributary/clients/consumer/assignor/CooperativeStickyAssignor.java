package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's "cooperative-sticky" assignor: the sticky assignment ({@link StickyAssignment}) under cooperative
 * rebalancing. Members keep their partitions while they rejoin and report them in the subscription; a partition
 * that must move is left out of every assignment this round, so its owner revokes it and rejoins, and the next
 * rebalance gives it to its new owner. No partition is ever owned by two members at once.
 *
 * <p>Which partitions are held back: those that one member gains while another member, by its own report,
 * loses them. Kafka's consumer checks exactly this on assignments it receives from a cooperative leader.
 *
 * <p>User data: the member's generation as one int32, which Kafka's members send too, for leaders that read
 * subscriptions older than version 2 (which carry no generation field).
 */
public final class CooperativeStickyAssignor implements PartitionAssignor {
    public static final String NAME = "cooperative-sticky";

    private int generation = Subscription.NO_GENERATION;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ByteBuffer.allocate(4).putInt(0, generation);
    }

    @Override
    public void onAssignment(Assignment assignment, int generation) {
        this.generation = generation;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, StickyAssignment.Claim> claims = new HashMap<>();
        subscriptions.forEach((member, subscription) -> claims.put(member, claim(subscription)));
        Map<String, List<TopicPartition>> assigned = StickyAssignment.assign(partitionsPerTopic, subscriptions, claims);

        Set<TopicPartition> added = new HashSet<>();
        Set<TopicPartition> revoked = new HashSet<>();
        assigned.forEach((member, partitions) -> {
            List<TopicPartition> owned = subscriptions.get(member).ownedPartitions();
            Set<TopicPartition> now = new HashSet<>(partitions);
            for (TopicPartition tp : partitions) {
                if (!owned.contains(tp)) {
                    added.add(tp);
                }
            }
            for (TopicPartition tp : owned) {
                if (!now.contains(tp)) {
                    revoked.add(tp);
                }
            }
        });
        added.retainAll(revoked);
        Map<String, Assignment> result = new HashMap<>();
        assigned.forEach((member, partitions) -> {
            partitions.removeAll(added);
            result.put(member, new Assignment(partitions));
        });
        return result;
    }

    private static StickyAssignment.Claim claim(Subscription subscription) {
        int generation = subscription.generationId();
        ByteBuffer userData = subscription.userData();
        if (generation == Subscription.NO_GENERATION && userData != null && userData.remaining() >= 4) {
            generation = userData.getInt(userData.position());
        }
        return new StickyAssignment.Claim(subscription.ownedPartitions(), generation);
    }
}
