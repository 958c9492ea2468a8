package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sticky assignment shared by "sticky" and "cooperative-sticky": as balanced as possible first, then as
 * few partitions moved as possible.
 *
 * <p>Balanced means Kafka's definition: no member could take a partition from a member that holds at least two
 * more partitions than it (so with equal subscriptions, counts differ by at most one). The algorithm:
 * <ol>
 * <li>Previous owners are validated: a claim stands if the member still subscribes to the topic and the
 *     partition exists; of several claims on one partition the newest generation wins, and two claims of one
 *     generation cancel (the partition is reassigned, as neither owner can be trusted).</li>
 * <li>Unowned partitions go, those with the fewest possible members first, to the eligible member that holds
 *     the fewest (ties by member order), which spreads a fresh assignment like round robin.</li>
 * <li>While some member holds a partition that an eligible member with at least two fewer could take, the
 *     partition moves to the eligible member with the fewest; partitions it gained in this assignment move
 *     before ones it owned. Each move lowers the sum of squared counts by at least 2, so this ends.</li>
 * </ol>
 * The result differs from Kafka's own sticky assignor in which partitions move when several choices are
 * equally good; both satisfy the same balance and leave the same number in place for equal subscriptions.
 */
final class StickyAssignment {
    private StickyAssignment() {
    }

    /** A member's claim: the partitions it says it owns and the generation it got them in (-1 if unknown). */
    record Claim(List<TopicPartition> partitions, int generation) {
    }

    /**
     * @param claims by member id; members without a claim own nothing
     * @return by member id, every member of {@code subscriptions}
     */
    static Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                    Map<String, Subscription> subscriptions,
                                                    Map<String, Claim> claims) {
        List<String> members = new ArrayList<>();
        for (MemberOrder.Member member : MemberOrder.sorted(subscriptions)) {
            members.add(member.memberId());
        }
        Map<String, Set<String>> topicsOf = new HashMap<>();
        subscriptions.forEach((id, s) -> topicsOf.put(id, new HashSet<>(s.topics())));

        // Every partition some member may consume, with the members that may take it (in member order).
        Map<TopicPartition, List<String>> eligible = new HashMap<>();
        List<TopicPartition> all = new ArrayList<>();
        Set<String> subscribed = new TreeSet<>();
        topicsOf.values().forEach(subscribed::addAll);
        for (String topic : subscribed) {
            Integer count = partitionsPerTopic.get(topic);
            if (count == null) {
                continue;
            }
            List<String> takers = new ArrayList<>();
            for (String member : members) {
                if (topicsOf.get(member).contains(topic)) {
                    takers.add(member);
                }
            }
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                all.add(tp);
                eligible.put(tp, takers);
            }
        }

        Map<TopicPartition, String> owner = validOwners(claims, eligible, topicsOf);
        Map<String, LinkedHashSet<TopicPartition>> assigned = new HashMap<>();
        Map<String, Set<TopicPartition>> kept = new HashMap<>();
        for (String member : members) {
            assigned.put(member, new LinkedHashSet<>());
            kept.put(member, new HashSet<>());
        }
        for (TopicPartition tp : all) {
            String member = owner.get(tp);
            if (member != null) {
                assigned.get(member).add(tp);
                kept.get(member).add(tp);
            }
        }

        List<TopicPartition> unowned = new ArrayList<>();
        for (TopicPartition tp : all) {
            if (!owner.containsKey(tp)) {
                unowned.add(tp);
            }
        }
        // Stable sort: the most constrained partitions first, otherwise topic then partition order.
        unowned.sort(Comparator.comparingInt(tp -> eligible.get(tp).size()));
        for (TopicPartition tp : unowned) {
            String taker = fewest(eligible.get(tp), assigned);
            assigned.get(taker).add(tp);
        }

        balance(members, assigned, kept, eligible);

        Map<String, List<TopicPartition>> result = new HashMap<>();
        assigned.forEach((member, partitions) -> result.put(member, new ArrayList<>(partitions)));
        return result;
    }

    private static Map<TopicPartition, String> validOwners(Map<String, Claim> claims,
                                                           Map<TopicPartition, List<String>> eligible,
                                                           Map<String, Set<String>> topicsOf) {
        Map<TopicPartition, String> owner = new HashMap<>();
        Map<TopicPartition, Integer> ownerGeneration = new HashMap<>();
        Set<TopicPartition> contested = new HashSet<>();
        claims.forEach((member, claim) -> {
            if (!topicsOf.containsKey(member)) {
                return;
            }
            for (TopicPartition tp : claim.partitions()) {
                if (!eligible.containsKey(tp) || !topicsOf.get(member).contains(tp.topic())) {
                    continue;
                }
                Integer previous = ownerGeneration.get(tp);
                if (previous == null || claim.generation() > previous) {
                    owner.put(tp, member);
                    ownerGeneration.put(tp, claim.generation());
                    contested.remove(tp);
                } else if (claim.generation() == previous && !member.equals(owner.get(tp))) {
                    contested.add(tp);
                }
            }
        });
        contested.forEach(owner::remove);
        return owner;
    }

    private static String fewest(List<String> candidates, Map<String, LinkedHashSet<TopicPartition>> assigned) {
        String best = null;
        int bestCount = Integer.MAX_VALUE;
        for (String member : candidates) {
            int count = assigned.get(member).size();
            if (count < bestCount) {
                best = member;
                bestCount = count;
            }
        }
        return best;
    }

    private static void balance(List<String> members, Map<String, LinkedHashSet<TopicPartition>> assigned,
                                Map<String, Set<TopicPartition>> kept, Map<TopicPartition, List<String>> eligible) {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> byCountDescending = new ArrayList<>(members);
            byCountDescending.sort(Comparator.comparingInt((String m) -> assigned.get(m).size()).reversed());
            for (String from : byCountDescending) {
                TopicPartition move = null;
                String to = null;
                int fromCount = assigned.get(from).size();
                // Gained partitions move first (nothing was consumed from them here yet), then owned ones;
                // within each, the latest first.
                List<TopicPartition> gained = new ArrayList<>();
                List<TopicPartition> owned = new ArrayList<>();
                for (TopicPartition tp : assigned.get(from)) {
                    (kept.get(from).contains(tp) ? owned : gained).add(tp);
                }
                for (List<TopicPartition> block : List.of(gained, owned)) {
                    for (int i = block.size() - 1; i >= 0 && move == null; i--) {
                        TopicPartition tp = block.get(i);
                        String taker = fewest(eligible.get(tp), assigned);
                        if (taker != null && fromCount - assigned.get(taker).size() >= 2) {
                            move = tp;
                            to = taker;
                        }
                    }
                }
                if (move != null) {
                    assigned.get(from).remove(move);
                    assigned.get(to).add(move);
                    moved = true;
                    break;
                }
            }
        }
    }
}
