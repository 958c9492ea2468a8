package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static membership (KIP-345, {@code group.instance.id}) over a real broker: a member that restarts within
 * {@code session.timeout.ms} gets its partitions back and the other member sees no rebalance; the same restart
 * of a dynamic member does rebalance, which shows the check can tell. The assignor is eager (range), so any
 * rebalance revokes every partition of every member and shows in the listener.
 */
class StaticMembershipTest {
    private static final String TOPIC = "static-members";
    private static final int PARTITIONS = 6;
    private static final String GROUP = "static-group";
    /** How long the other member keeps polling to notice a rebalance: several heartbeat intervals. */
    private static final long QUIET_MS = 1_500;

    private BrokerFixture broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0", "group.min.session.timeout.ms", "1000"));
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing every member matters more than one failure.
            }
        }
        broker.close();
    }

    /** Counts what the group did to one member. */
    private static final class Rebalances implements ConsumerRebalanceListener {
        int revocations;
        int assignments;

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revocations++;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments++;
        }
    }

    private TributaryConsumer<String, String> member(String instanceId, Rebalances listener) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("group.id", GROUP);
        if (instanceId != null) {
            c.put("group.instance.id", instanceId);
        }
        c.put("partition.assignment.strategy", "range");
        c.put("auto.offset.reset", "earliest");
        c.put("session.timeout.ms", "10000");
        c.put("heartbeat.interval.ms", "200");
        c.put("fetch.max.wait.ms", "50");
        TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        toClose.add(consumer);
        consumer.subscribe(List.of(TOPIC), listener);
        return consumer;
    }

    private static void pollAll(List<TributaryConsumer<String, String>> members) {
        for (TributaryConsumer<String, String> m : members) {
            m.poll(Duration.ofMillis(20));
        }
    }

    /** Both members own half of the partitions. */
    private static void awaitSplit(TributaryConsumer<String, String> a, TributaryConsumer<String, String> b) {
        Await.until("the two members share the " + PARTITIONS + " partitions", Duration.ofSeconds(30), () -> {
            pollAll(List.of(a, b));
            Set<TopicPartition> union = new HashSet<>(a.assignment());
            union.addAll(b.assignment());
            return a.assignment().size() == PARTITIONS / 2 && b.assignment().size() == PARTITIONS / 2
                && union.size() == PARTITIONS;
        });
    }

    /** Polls {@code a} for {@link #QUIET_MS}: long enough for its heartbeats to learn of a rebalance. */
    private static void keepPolling(TributaryConsumer<String, String> a) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
        while (System.nanoTime() - until < 0) {
            a.poll(Duration.ofMillis(50));
        }
    }

    @Test
    void aStaticMemberRestartingWithinTheSessionTimeoutKeepsItsPartitionsWithoutARebalance() {
        Rebalances aEvents = new Rebalances();
        TributaryConsumer<String, String> a = member("instance-a", aEvents);
        TributaryConsumer<String, String> b = member("instance-b", new Rebalances());
        awaitSplit(a, b);
        Set<TopicPartition> aOwned = Set.copyOf(a.assignment());
        Set<TopicPartition> bOwned = Set.copyOf(b.assignment());
        int aRevocations = aEvents.revocations;
        int aAssignments = aEvents.assignments;

        b.close(); // a static member sends no LeaveGroup: its slot waits for session.timeout.ms
        keepPolling(a);
        assertThat(a.assignment()).as("a while b is away").isEqualTo(aOwned);

        Rebalances restartedEvents = new Rebalances();
        TributaryConsumer<String, String> restarted = member("instance-b", restartedEvents);
        Await.until("the restarted member has partitions", Duration.ofSeconds(30), () -> {
            pollAll(List.of(a, restarted));
            return !restarted.assignment().isEmpty();
        });
        keepPolling(a);

        assertThat(restarted.assignment()).as("the restarted member's partitions").isEqualTo(bOwned);
        assertThat(a.assignment()).as("a after the restart").isEqualTo(aOwned);
        assertThat(aEvents.revocations).as("revocations of a").isEqualTo(aRevocations);
        assertThat(aEvents.assignments).as("assignments of a").isEqualTo(aAssignments);
        assertThat(restartedEvents.revocations).isZero();
    }

    @Test
    void theSameRestartOfADynamicMemberRebalances() {
        Rebalances aEvents = new Rebalances();
        TributaryConsumer<String, String> a = member(null, aEvents);
        TributaryConsumer<String, String> b = member(null, new Rebalances());
        awaitSplit(a, b);
        int aRevocations = aEvents.revocations;

        b.close(); // LeaveGroup: the group rebalances at once
        TributaryConsumer<String, String> restarted = member(null, new Rebalances());
        awaitSplit(a, restarted);

        assertThat(aEvents.revocations).as("revocations of a").isGreaterThan(aRevocations);
    }
}
