package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kafka's "roundrobin" assignor: every partition of every subscribed topic, topics in name order and
 * partitions in index order, is dealt to the members in {@link MemberOrder} in turn, skipping a member that
 * does not subscribe to the partition's topic. Balanced when all members subscribe to the same topics. Eager
 * only.
 */
public final class RoundRobinAssignor implements PartitionAssignor {
    public static final String NAME = "roundrobin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        subscriptions.keySet().forEach(id -> assigned.put(id, new ArrayList<>()));
        List<MemberOrder.Member> members = MemberOrder.sorted(subscriptions);
        TreeSet<String> topics = new TreeSet<>();
        subscriptions.values().forEach(s -> topics.addAll(s.topics()));
        int next = 0;
        for (String topic : topics) {
            Integer partitions = partitionsPerTopic.get(topic);
            if (partitions == null) {
                continue;
            }
            for (int p = 0; p < partitions; p++) {
                // Some member subscribes to the topic (it came from a subscription), so this ends within one turn.
                while (!subscriptions.get(members.get(next).memberId()).topics().contains(topic)) {
                    next = (next + 1) % members.size();
                }
                assigned.get(members.get(next).memberId()).add(new TopicPartition(topic, p));
                next = (next + 1) % members.size();
            }
        }
        Map<String, Assignment> result = new HashMap<>();
        assigned.forEach((id, partitions) -> result.put(id, new Assignment(partitions)));
        return result;
    }
}
