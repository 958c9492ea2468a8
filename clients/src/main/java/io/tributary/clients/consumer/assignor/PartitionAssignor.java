package io.tributary.clients.consumer.assignor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, on the group leader, which member consumes which partition. The group coordinator picks one
 * assignor name that every member lists ({@code partition.assignment.strategy}); the leader runs it over all
 * members' subscriptions and sends each member its {@link Assignment}.
 *
 * <p>Names are Kafka's, so a group that mixes Tributary consumers and Kafka consumers agrees on a protocol and
 * either kind of leader produces assignments the other understands: "range", "roundrobin", "sticky",
 * "cooperative-sticky".
 *
 * <p>An instance belongs to one consumer and is called from its application thread only.
 */
public interface PartitionAssignor {
    /** The protocol name sent in JoinGroup. */
    String name();

    /** The rebalance protocols this assignor can work with; the first is the one it prefers. */
    default List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    /** Data to put in this member's subscription, or null. */
    default ByteBuffer subscriptionUserData(Set<String> topics) {
        return null;
    }

    /**
     * The assignment of every member.
     *
     * @param partitionsPerTopic partition counts of the subscribed topics that exist (others are left out)
     * @param subscriptions      by member id
     * @return an assignment for every member id of {@code subscriptions}
     */
    Map<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions);

    /** Called on every member when it receives its assignment for {@code generation}. */
    default void onAssignment(Assignment assignment, int generation) {
    }
}
