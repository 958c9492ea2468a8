package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's "sticky" assignor (eager): a balanced assignment that keeps as many partitions where they were as
 * balance allows ({@link StickyAssignment}).
 *
 * <p>Under eager rebalancing a member owns nothing when it rejoins, so it remembers its previous assignment in
 * the subscription's user data, in Kafka's {@code StickyAssignor} format (classic encoding):
 * <pre>
 * previous_assignment [topic string, partitions [int32]]
 * generation          int32     (absent in the older format, read as -1)
 * </pre>
 * A member without user data falls back on the owned partitions and generation of its subscription.
 */
public final class StickyAssignor implements PartitionAssignor {
    public static final String NAME = "sticky";

    private List<TopicPartition> previousAssignment;
    private int generation = Subscription.NO_GENERATION;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        if (previousAssignment == null) {
            return null;
        }
        return encodeUserData(previousAssignment, generation);
    }

    @Override
    public void onAssignment(Assignment assignment, int generation) {
        this.previousAssignment = assignment.partitions();
        this.generation = generation;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, StickyAssignment.Claim> claims = new HashMap<>();
        subscriptions.forEach((member, subscription) -> claims.put(member, claim(subscription)));
        Map<String, Assignment> result = new HashMap<>();
        StickyAssignment.assign(partitionsPerTopic, subscriptions, claims)
            .forEach((member, partitions) -> result.put(member, new Assignment(partitions)));
        return result;
    }

    private static StickyAssignment.Claim claim(Subscription subscription) {
        ByteBuffer userData = subscription.userData();
        if (userData != null && userData.hasRemaining()) {
            return decodeUserData(userData);
        }
        return new StickyAssignment.Claim(subscription.ownedPartitions(), subscription.generationId());
    }

    static ByteBuffer encodeUserData(List<TopicPartition> partitions, int generation) {
        Map<String, List<Integer>> byTopic = ConsumerProtocol.groupByTopic(partitions);
        ByteBuffer buffer = ByteBuffer.allocate(ConsumerProtocol.sizeOfTopicPartitions(byTopic) + 4);
        WireWriter out = new WireWriter(buffer);
        ConsumerProtocol.writeTopicPartitions(byTopic, out);
        out.writeInt32(generation);
        return buffer.flip();
    }

    /** @throws MalformedMessageException if the bytes are not the format above */
    static StickyAssignment.Claim decodeUserData(ByteBuffer userData) {
        WireReader in = new WireReader(userData.duplicate());
        List<TopicPartition> partitions = ConsumerProtocol.readTopicPartitions(in);
        int generation = in.remaining() >= 4 ? in.readInt32() : Subscription.NO_GENERATION;
        return new StickyAssignment.Claim(partitions, generation);
    }
}
