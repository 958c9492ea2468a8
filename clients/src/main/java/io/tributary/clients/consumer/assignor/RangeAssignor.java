package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's "range" assignor: topic by topic, the members subscribed to the topic (in {@link MemberOrder}) get
 * consecutive ranges of its partitions; the first {@code partitions % members} get one more. Members that
 * subscribe to the same co-partitioned topics therefore get the same partition numbers of each, which joins
 * rely on. Eager only; rack-aware placement is not implemented (no member sends a rack in this project's
 * tests; with racks Kafka may choose differently).
 */
public final class RangeAssignor implements PartitionAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<MemberOrder.Member>> membersPerTopic = new TreeMap<>();
        for (MemberOrder.Member member : MemberOrder.sorted(subscriptions)) {
            for (String topic : subscriptions.get(member.memberId()).topics()) {
                List<MemberOrder.Member> members = membersPerTopic.computeIfAbsent(topic, t -> new ArrayList<>());
                if (!members.contains(member)) {
                    members.add(member);
                }
            }
        }
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        subscriptions.keySet().forEach(id -> assigned.put(id, new ArrayList<>()));
        membersPerTopic.forEach((topic, members) -> {
            Integer partitions = partitionsPerTopic.get(topic);
            if (partitions == null || partitions == 0) {
                return;
            }
            int perMember = partitions / members.size();
            int withExtra = partitions % members.size();
            for (int i = 0; i < members.size(); i++) {
                int start = perMember * i + Math.min(i, withExtra);
                int length = perMember + (i < withExtra ? 1 : 0);
                List<TopicPartition> into = assigned.get(members.get(i).memberId());
                for (int p = start; p < start + length; p++) {
                    into.add(new TopicPartition(topic, p));
                }
            }
        });
        Map<String, Assignment> result = new HashMap<>();
        assigned.forEach((id, partitions) -> result.put(id, new Assignment(partitions)));
        return result;
    }
}
