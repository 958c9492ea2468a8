package io.tributary.clients.routing.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.routing.TopicRouting;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The hold's rule without a broker: which partitions are held, and when each generation is released. */
class OrderedHoldTest {
    private final Map<String, TopicRouting> described = new HashMap<>();
    private final List<String> describeCalls = new ArrayList<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final OrderedHold hold = new OrderedHold(topic -> {
        describeCalls.add(topic);
        return described.get(topic);
    }, partitions -> {
        Map<TopicPartition, Long> found = new HashMap<>();
        partitions.forEach(tp -> {
            if (committed.containsKey(tp)) {
                found.put(tp, committed.get(tp));
            }
        });
        return found;
    });

    private static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    private void describe(RoutingMode mode, String fences) {
        described.put("t", new TopicRouting("t", mode, RoutingFences.parse(fences)));
    }

    @Test
    void partitionsOfAHashTopicOrOfTheFirstGenerationAreNeverHeld() {
        describe(RoutingMode.HASH, "");
        assertThat(hold.onAssigned(List.of(tp(0), tp(5)))).isEmpty();
        described.clear();
        describe(RoutingMode.ORDERED, "2->4:10,7");
        OrderedHold fresh = new OrderedHold(topic -> described.get(topic), partitions -> Map.of());
        assertThat(fresh.onAssigned(List.of(tp(0), tp(1)))).isEmpty();
    }

    @Test
    void anAddedPartitionIsReleasedWhenEveryOlderPartitionIsCommittedToItsFence() {
        describe(RoutingMode.ORDERED, "2->4:10,7");
        assertThat(hold.onAssigned(List.of(tp(1), tp(2), tp(3)))).containsExactly(tp(2), tp(3));
        assertThat(hold.release()).isEmpty();
        committed.put(tp(0), 10L);
        committed.put(tp(1), 6L);
        assertThat(hold.release()).isEmpty();
        committed.put(tp(1), 7L);
        assertThat(hold.release()).containsExactly(tp(2), tp(3));
        assertThat(hold.held()).isEmpty();
        // Released for good: assigned again later (another rebalance), it is not held.
        hold.onRevoked(List.of(tp(2)));
        assertThat(hold.onAssigned(List.of(tp(2)))).isEmpty();
    }

    @Test
    void aPartitionEmptyAtTheGrowthNeedsNoCommit() {
        describe(RoutingMode.ORDERED, "2->3:0,5");
        hold.onAssigned(List.of(tp(2)));
        committed.put(tp(1), 5L);
        assertThat(hold.release()).containsExactly(tp(2));
    }

    @Test
    void laterGenerationsWaitForTheirOwnFencesOnEveryOlderPartition() {
        describe(RoutingMode.ORDERED, "2->3:10,10;3->5:20,20,4");
        assertThat(hold.onAssigned(List.of(tp(2), tp(3), tp(4)))).containsExactly(tp(2), tp(3), tp(4));
        committed.put(tp(0), 10L);
        committed.put(tp(1), 10L);
        assertThat(hold.release()).containsExactly(tp(2));
        committed.put(tp(0), 20L);
        committed.put(tp(1), 20L);
        assertThat(hold.release()).as("partition 2, of generation 1, is below its fence of the second growth").isEmpty();
        committed.put(tp(2), 4L);
        assertThat(hold.release()).containsExactly(tp(3), tp(4));
    }

    @Test
    void anAssignedPartitionBeyondTheLastDescriptionIsDescribedAgain() {
        describe(RoutingMode.ORDERED, "");
        assertThat(hold.onAssigned(List.of(tp(0), tp(1)))).isEmpty();
        assertThat(describeCalls).hasSize(1);
        assertThat(hold.onAssigned(List.of(tp(1)))).isEmpty();
        assertThat(describeCalls).as("partition 1 was covered").hasSize(1);
        describe(RoutingMode.ORDERED, "2->3:8,9");
        assertThat(hold.onAssigned(List.of(tp(2)))).containsExactly(tp(2));
        assertThat(describeCalls).hasSize(2);
        assertThat(hold.isAdded(tp(2))).isTrue();
        assertThat(hold.isAdded(tp(0))).isFalse();
        assertThat(hold.held()).isEqualTo(Set.of(tp(2)));
    }
}
