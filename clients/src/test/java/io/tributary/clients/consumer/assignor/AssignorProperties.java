package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four assignors: range and round robin equal Kafka's output exactly; the sticky ones assign every partition
 * exactly once to a subscriber, balanced by Kafka's definition, move no more partitions than Kafka's sticky
 * assignor does, and (cooperative) never give a partition to one member while another still owns it.
 */
class AssignorProperties {

    /** A group: partition counts per topic, and per member its topics and (maybe) static id. */
    record Group(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
    }

    @Property(tries = 300)
    void rangeEqualsKafka(@ForAll("groups") Group group) {
        Map<String, List<org.apache.kafka.common.TopicPartition>> kafka =
            new org.apache.kafka.clients.consumer.RangeAssignor().assign(group.partitionsPerTopic(), toKafka(group.subscriptions()));
        assertThat(partitions(new RangeAssignor().assign(group.partitionsPerTopic(), group.subscriptions()))).isEqualTo(fromKafka(kafka));
    }

    @Property(tries = 300)
    void roundRobinEqualsKafka(@ForAll("groups") Group group) {
        Map<String, List<org.apache.kafka.common.TopicPartition>> kafka =
            new org.apache.kafka.clients.consumer.RoundRobinAssignor().assign(group.partitionsPerTopic(), toKafka(group.subscriptions()));
        assertThat(partitions(new RoundRobinAssignor().assign(group.partitionsPerTopic(), group.subscriptions()))).isEqualTo(fromKafka(kafka));
    }

    @Property(tries = 300)
    void everyAssignorAssignsEachSubscribedPartitionExactlyOnceToASubscriber(@ForAll("groups") Group group) {
        for (PartitionAssignor assignor : List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor(),
                                                  new CooperativeStickyAssignor())) {
            Map<String, List<TopicPartition>> result = partitions(assignor.assign(group.partitionsPerTopic(), group.subscriptions()));
            assertThat(result.keySet()).isEqualTo(group.subscriptions().keySet());
            assertExactlyOnceToSubscribers(group, result);
        }
    }

    @Property(tries = 300)
    void stickyIsBalancedAndKeepsWhatBalanceAllows(@ForAll("groups") Group group, @ForAll("seeds") long seed) {
        // A previous assignment over a partly different membership, remembered in Kafka's sticky user data.
        Map<String, List<TopicPartition>> previous = randomPrevious(group, seed);
        Map<String, Subscription> withUserData = new HashMap<>();
        Map<String, ConsumerPartitionAssignor.Subscription> kafkaSubscriptions = new HashMap<>();
        group.subscriptions().forEach((member, s) -> {
            org.apache.kafka.clients.consumer.StickyAssignor kafkaMember = new org.apache.kafka.clients.consumer.StickyAssignor();
            kafkaMember.onAssignment(new ConsumerPartitionAssignor.Assignment(toKafka(previous.getOrDefault(member, List.of()))),
                new ConsumerGroupMetadata("g", 5, member, Optional.empty()));
            ByteBuffer userData = kafkaMember.subscriptionUserData(new HashSet<>(s.topics()));
            withUserData.put(member, new Subscription(s.topics(), userData, List.of(), -1, null, s.groupInstanceId()));
            ConsumerPartitionAssignor.Subscription k = new ConsumerPartitionAssignor.Subscription(s.topics(), userData.duplicate());
            k.setGroupInstanceId(Optional.ofNullable(s.groupInstanceId()));
            kafkaSubscriptions.put(member, k);
        });
        Map<String, List<TopicPartition>> ours = partitions(new StickyAssignor().assign(group.partitionsPerTopic(), withUserData));
        assertExactlyOnceToSubscribers(group, ours);
        assertBalanced(group, ours);

        Map<String, List<TopicPartition>> kafka = fromKafka(new org.apache.kafka.clients.consumer.StickyAssignor()
            .assign(group.partitionsPerTopic(), kafkaSubscriptions));
        if (allSubscriptionsEqual(group)) {
            // With equal subscriptions the least number of moves is well defined; both reach it.
            assertThat(moved(previous, ours)).isEqualTo(moved(previous, kafka));
        }

        // A second run over the result as ownership changes nothing.
        Map<String, Subscription> again = new HashMap<>();
        group.subscriptions().forEach((member, s) -> again.put(member,
            new Subscription(s.topics(), StickyAssignor.encodeUserData(ours.get(member), 6), List.of(), -1, null, s.groupInstanceId())));
        assertThat(partitionSets(new StickyAssignor().assign(group.partitionsPerTopic(), again))).isEqualTo(sets(ours));
    }

    @Property(tries = 200)
    void survivorsKeepAllTheirPartitionsWhenMembersLeaveAGroupOfEqualSubscriptions(
            @ForAll @IntRange(min = 1, max = 40) int partitionCount, @ForAll @IntRange(min = 2, max = 8) int members,
            @ForAll @IntRange(min = 1, max = 7) int leaving) {
        Assume.that(leaving < members);
        Map<String, Integer> topics = Map.of("t", partitionCount);
        Map<String, Subscription> all = new HashMap<>();
        for (int i = 0; i < members; i++) {
            all.put("m" + i, new Subscription(List.of("t")));
        }
        Map<String, List<TopicPartition>> first = partitions(new CooperativeStickyAssignor().assign(topics, all));
        Map<String, Subscription> survivors = new HashMap<>();
        for (int i = leaving; i < members; i++) {
            String member = "m" + i;
            survivors.put(member, new Subscription(List.of("t"), null, first.get(member), 1, null, null));
        }
        Map<String, List<TopicPartition>> second = partitions(new CooperativeStickyAssignor().assign(topics, survivors));
        survivors.keySet().forEach(member -> assertThat(second.get(member)).containsAll(first.get(member)));
        Group group = new Group(topics, survivors);
        assertExactlyOnceToSubscribers(group, second);
        assertBalanced(group, second);
    }

    /**
     * A cooperative group through random joins and leaves: each rebalance gives no member a partition that another
     * member still reports owning; owners drop what they were not given and rejoin, and within two rebalances the
     * group is complete and balanced again. Kafka's consumer refuses an assignment that breaks the first rule.
     */
    @Property(tries = 150)
    void cooperativeRebalancesNeverAssignAPartitionTwice(@ForAll("groups") Group group, @ForAll("seeds") long seed) {
        java.util.Random random = new java.util.Random(seed);
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        List<String> everyone = new ArrayList<>(group.subscriptions().keySet());
        Set<String> present = new HashSet<>(everyone);
        int generation = 0;
        for (int step = 0; step < 6; step++) {
            String changed = everyone.get(random.nextInt(everyone.size()));
            if (!present.remove(changed)) {
                present.add(changed);
            } else {
                owned.remove(changed);
            }
            if (present.isEmpty()) {
                continue;
            }
            for (int round = 0; round < 2; round++) {
                generation++;
                Map<String, Subscription> subscriptions = new HashMap<>();
                for (String member : present) {
                    Subscription s = group.subscriptions().get(member);
                    subscriptions.put(member, new Subscription(s.topics(), null, owned.getOrDefault(member, List.of()),
                        generation - 1, null, s.groupInstanceId()));
                }
                Map<String, List<TopicPartition>> assigned = partitions(new CooperativeStickyAssignor()
                    .assign(group.partitionsPerTopic(), subscriptions));
                Map<TopicPartition, String> ownerNow = new HashMap<>();
                owned.forEach((member, ps) -> ps.forEach(tp -> ownerNow.put(tp, member)));
                assigned.forEach((member, ps) -> {
                    for (TopicPartition tp : ps) {
                        String other = ownerNow.get(tp);
                        assertThat(other == null || other.equals(member))
                            .as("%s given to %s while %s owns it", tp, member, other).isTrue();
                    }
                });
                owned = new HashMap<>(assigned);
            }
            Group now = new Group(group.partitionsPerTopic(), subset(group.subscriptions(), present));
            assertExactlyOnceToSubscribers(now, owned);
            assertBalanced(now, owned);
        }
    }

    // ---- checks

    static void assertExactlyOnceToSubscribers(Group group, Map<String, List<TopicPartition>> result) {
        Map<TopicPartition, String> owner = new HashMap<>();
        result.forEach((member, partitions) -> {
            for (TopicPartition tp : partitions) {
                assertThat(owner.put(tp, member)).as("%s assigned twice", tp).isNull();
                assertThat(group.subscriptions().get(member).topics()).as("%s subscribes to %s", member, tp.topic()).contains(tp.topic());
            }
        });
        Set<TopicPartition> expected = new HashSet<>();
        group.subscriptions().values().forEach(s -> s.topics().forEach(topic -> {
            for (int p = 0; p < group.partitionsPerTopic().getOrDefault(topic, 0); p++) {
                expected.add(new TopicPartition(topic, p));
            }
        }));
        assertThat(owner.keySet()).isEqualTo(expected);
    }

    /** Kafka's balance: no member could take a partition from a member that holds two or more than it. */
    static void assertBalanced(Group group, Map<String, List<TopicPartition>> result) {
        result.forEach((from, partitions) -> {
            for (TopicPartition tp : partitions) {
                result.forEach((to, theirs) -> {
                    if (group.subscriptions().get(to).topics().contains(tp.topic())) {
                        assertThat(partitions.size() - theirs.size()).as("%s (%d) could give %s to %s (%d)", from,
                            partitions.size(), tp, to, theirs.size()).isLessThan(2);
                    }
                });
            }
        });
    }

    private static boolean allSubscriptionsEqual(Group group) {
        return group.subscriptions().values().stream().map(s -> new HashSet<>(s.topics())).distinct().count() <= 1;
    }

    private static int moved(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        int moved = 0;
        for (Map.Entry<String, List<TopicPartition>> e : before.entrySet()) {
            List<TopicPartition> now = after.get(e.getKey());
            if (now == null) {
                continue;
            }
            for (TopicPartition tp : e.getValue()) {
                if (!now.contains(tp)) {
                    moved++;
                }
            }
        }
        return moved;
    }

    /** Some members of the group (and some that left) owned a random, non-overlapping part of the partitions. */
    private static Map<String, List<TopicPartition>> randomPrevious(Group group, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<String> members = new ArrayList<>(new TreeMap<>(group.subscriptions()).keySet());
        members.add("gone-1");
        Map<String, List<TopicPartition>> previous = new HashMap<>();
        group.partitionsPerTopic().forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                if (random.nextInt(4) > 0) {
                    String member = members.get(random.nextInt(members.size()));
                    previous.computeIfAbsent(member, m -> new ArrayList<>()).add(new TopicPartition(topic, p));
                }
            }
        });
        return previous;
    }

    private static Map<String, Subscription> subset(Map<String, Subscription> all, Set<String> members) {
        Map<String, Subscription> subset = new HashMap<>();
        members.forEach(m -> subset.put(m, all.get(m)));
        return subset;
    }

    // ---- conversions

    static Map<String, List<TopicPartition>> partitions(Map<String, Assignment> assignments) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        assignments.forEach((member, a) -> result.put(member, a.partitions()));
        return result;
    }

    private static Map<String, Set<TopicPartition>> partitionSets(Map<String, Assignment> assignments) {
        return sets(partitions(assignments));
    }

    private static Map<String, Set<TopicPartition>> sets(Map<String, List<TopicPartition>> lists) {
        Map<String, Set<TopicPartition>> result = new TreeMap<>();
        lists.forEach((member, ps) -> result.put(member, new HashSet<>(ps)));
        return result;
    }

    private static Map<String, ConsumerPartitionAssignor.Subscription> toKafka(Map<String, Subscription> subscriptions) {
        Map<String, ConsumerPartitionAssignor.Subscription> kafka = new HashMap<>();
        subscriptions.forEach((member, s) -> {
            ConsumerPartitionAssignor.Subscription k = ConsumerProtocolProperties.toKafka(s);
            k.setGroupInstanceId(Optional.ofNullable(s.groupInstanceId()));
            kafka.put(member, k);
        });
        return kafka;
    }

    private static List<org.apache.kafka.common.TopicPartition> toKafka(List<TopicPartition> partitions) {
        return partitions.stream().map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList();
    }

    private static Map<String, List<TopicPartition>> fromKafka(Map<String, List<org.apache.kafka.common.TopicPartition>> kafka) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        kafka.forEach((member, ps) -> result.put(member, ps.stream().map(tp -> new TopicPartition(tp.topic(), tp.partition())).toList()));
        return result;
    }

    // ---- generators

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<Group> groups() {
        Arbitrary<Map<String, Integer>> topics = Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"),
            Arbitraries.integers().between(0, 12)).ofMinSize(1).ofMaxSize(4);
        return topics.flatMap(partitionsPerTopic -> {
            List<String> names = new ArrayList<>(partitionsPerTopic.keySet());
            names.add("missing");
            Arbitrary<List<String>> subscribed = Arbitraries.of(names).set().ofMinSize(1).map(ArrayList::new);
            Arbitrary<String> staticId = Arbitraries.of("s1", "s2", "s3", "s4").injectNull(0.6);
            Arbitrary<Subscription> subscription = Combinators.combine(subscribed, staticId)
                .as((t, id) -> new Subscription(t, null, List.of(), -1, null, id));
            Arbitrary<Boolean> equalSubscriptions = Arbitraries.of(true, false);
            return Combinators.combine(Arbitraries.integers().between(1, 7), subscription.list().ofSize(7), equalSubscriptions)
                .as((count, subscriptions, equal) -> {
                    Map<String, Subscription> members = new LinkedHashMap<>();
                    Set<String> usedStaticIds = new HashSet<>();
                    for (int i = 0; i < count; i++) {
                        Subscription s = subscriptions.get(equal ? 0 : i);
                        String id = subscriptions.get(i).groupInstanceId();
                        if (id != null && !usedStaticIds.add(id)) {
                            id = null;
                        }
                        members.put("member-" + (char) ('a' + (i * 5) % 7) + i, new Subscription(s.topics(), null, List.of(), -1, null, id));
                    }
                    // The coordinator hands an assignor the subscribed topics that exist, no others.
                    Map<String, Integer> subscribedTopics = new HashMap<>();
                    members.values().forEach(m -> m.topics().forEach(topic -> {
                        if (partitionsPerTopic.containsKey(topic)) {
                            subscribedTopics.put(topic, partitionsPerTopic.get(topic));
                        }
                    }));
                    return new Group(subscribedTopics, members);
                });
        });
    }
}
