package io.tributary.server.group;

import io.tributary.server.Await;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's consumer (classic group protocol) in groups on this broker, over real sockets: partitions are
 * shared out, handed over when a member leaves without loss or duplicates, kept across a static member's
 * restart, moved one by one by the cooperative protocol, and committed automatically as
 * {@code ConsumerPerformance} consumes.
 */
class ConsumerGroupIntegrationTest {
    private final BrokerFixture fixture = new BrokerFixture(GroupTestSupport.BROKER);
    private final List<PolledConsumer> consumers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Exception first = null;
        for (PolledConsumer consumer : consumers) {
            try {
                consumer.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        fixture.close();
        if (first != null) {
            throw first;
        }
    }

    private PolledConsumer start(String name, Map<String, Object> settings, String topic) {
        return start(name, settings, topic, record -> { }, 0);
    }

    private PolledConsumer start(String name, Map<String, Object> settings, String topic,
                                 java.util.function.Consumer<ConsumerRecord<String, String>> processor, int commitEveryPolls) {
        PolledConsumer consumer = new PolledConsumer(name, settings, topic, processor, commitEveryPolls);
        consumers.add(consumer);
        return consumer;
    }

    /** Every member has {@code each} partitions, all of the topic's are assigned, and all are in one generation. */
    private static boolean balanced(int partitions, int each, PolledConsumer... members) {
        Set<TopicPartition> union = new HashSet<>();
        int generation = members[0].generation();
        for (PolledConsumer member : members) {
            Set<TopicPartition> assigned = member.assignment();
            if (assigned.size() != each || member.generation() != generation) {
                return false;
            }
            union.addAll(assigned);
        }
        return union.size() == partitions;
    }

    @Test
    void threeMembersOfOneGroupGetTwoOfSixPartitionsEach() throws Exception {
        fixture.broker().logs().createTopic("six", 6, Map.of());
        Map<String, Object> settings = GroupTestSupport.member(fixture, "trio");
        PolledConsumer a = start("a", settings, "six");
        PolledConsumer b = start("b", settings, "six");
        PolledConsumer c = start("c", settings, "six");

        Await.until("each member has two partitions", Duration.ofSeconds(30), () -> balanced(6, 2, a, b, c));
        Set<Integer> all = new HashSet<>();
        for (PolledConsumer member : List.of(a, b, c)) {
            assertThat(member.partitions()).hasSize(2);
            assertThat(all).as("partitions of another member").doesNotContainAnyElementsOf(member.partitions());
            all.addAll(member.partitions());
        }
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);

        // the broker agrees: one Stable generation of three members, the one the clients are in
        GroupSnapshot group = GroupTestSupport.snapshot(fixture, "trio");
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.members()).extracting(GroupSnapshot.Member::memberId)
            .containsExactlyInAnyOrder(a.memberId(), b.memberId(), c.memberId());
        assertThat(group.generationId()).isEqualTo(a.generation());
        assertThat(group.protocolName()).isEqualTo("range");
    }

    @Test
    void whenAMemberLeavesTheOthersTakeOverAndNoRecordIsLostOrProcessedTwice() throws Exception {
        int partitions = 6;
        int total = 100_000;
        fixture.broker().logs().createTopic("handover", partitions, Map.of());
        Map<String, Integer> seen = new ConcurrentHashMap<>(); // "partition:offset" -> times processed
        AtomicInteger processings = new AtomicInteger();
        java.util.function.Consumer<ConsumerRecord<String, String>> process = record -> {
            seen.merge(record.partition() + ":" + record.offset(), 1, Integer::sum);
            processings.incrementAndGet();
        };
        // small polls and commits every 5 polls only: at any moment up to 500 processed records per member are
        // not yet committed, so the commit in onPartitionsRevoked is what saves them from being read twice
        Map<String, Object> settings = GroupTestSupport.with(GroupTestSupport.member(fixture, "handover"),
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        PolledConsumer a = start("a", settings, "handover", process, 5);
        PolledConsumer b = start("b", settings, "handover", process, 5);
        PolledConsumer leaver = start("leaver", settings, "handover", process, 5);
        Await.until("each member has two partitions", Duration.ofSeconds(30), () -> balanced(partitions, 2, a, b, leaver));
        Set<TopicPartition> leaversPartitions = leaver.assignment();

        GroupTestSupport.produce(fixture.bootstrap(), "handover", partitions, 0, total / 2, -1);
        Await.until("the leaver has processed 4000 records", Duration.ofSeconds(30), () -> leaver.processed() >= 4_000);
        leaver.close();
        consumers.remove(leaver);
        // it left in the middle of its partitions (about 16,667 records were there for it)
        assertThat(leaver.processed()).isLessThan(total / 2 / partitions * 2);
        assertThat(leaver.callbacks()).last().isEqualTo(new PolledConsumer.Callback("revoked", leaversPartitions));

        Await.until("the two remaining members share all six partitions", Duration.ofSeconds(30), () -> balanced(partitions, 3, a, b));
        Set<TopicPartition> takenOver = new HashSet<>(a.assignment());
        takenOver.addAll(b.assignment());
        assertThat(takenOver).containsAll(leaversPartitions);

        GroupTestSupport.produce(fixture.bootstrap(), "handover", partitions, total / 2, total / 2, -1);
        Await.until("every record was processed", Duration.ofSeconds(60), () -> seen.size() >= total);
        a.close();
        b.close();
        consumers.clear();

        List<String> duplicates = seen.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
        assertThat(duplicates).as("records processed more than once").isEmpty();
        assertThat(seen).hasSize(total);
        assertThat(processings.get()).isEqualTo(total);
        for (int p = 0; p < partitions; p++) {
            long end = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition("handover", p)).logEndOffset();
            for (long offset = 0; offset < end; offset++) {
                assertThat(seen).containsKey(p + ":" + offset);
            }
        }
        try (Admin admin = fixture.admin()) {
            Map<Integer, Long> committed = GroupTestSupport.byPartition(
                admin.listConsumerGroupOffsets("handover").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS));
            Map<Integer, Long> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(p, fixture.broker().logs().log(new io.tributary.protocol.TopicPartition("handover", p)).logEndOffset());
            }
            assertThat(committed).isEqualTo(ends);
        }
    }

    @Test
    void aStaticMemberThatRestartsWithinItsSessionTimeoutGetsItsPartitionsBackWithoutARebalance() throws Exception {
        fixture.broker().logs().createTopic("static", 4, Map.of());
        Map<String, Object> settings = GroupTestSupport.member(fixture, "statics");
        PolledConsumer first = start("first", GroupTestSupport.with(settings, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "first"), "static");
        PolledConsumer other = start("other", GroupTestSupport.with(settings, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "other"), "static");
        Await.until("each member has two partitions", Duration.ofSeconds(30), () -> balanced(4, 2, first, other));
        int generation = first.generation();
        Set<TopicPartition> firstPartitions = first.assignment();
        int otherCallbacks = other.callbacks().size();

        first.close(); // a static member does not leave the group when it closes
        consumers.remove(first);
        GroupSnapshot whileAway = GroupTestSupport.snapshot(fixture, "statics");
        assertThat(whileAway.members()).extracting(GroupSnapshot.Member::groupInstanceId).containsExactlyInAnyOrder("first", "other");
        assertThat(whileAway.state()).isEqualTo(GroupState.STABLE);

        long restartedAt = System.nanoTime();
        PolledConsumer again = start("again", GroupTestSupport.with(settings, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "first"), "static");
        Await.until("the restarted member is assigned", Duration.ofSeconds(20), () -> !again.assignment().isEmpty());
        assertThat(System.nanoTime() - restartedAt).as("back within the 10 s session timeout")
            .isLessThan(TimeUnit.SECONDS.toNanos(10));

        assertThat(again.assignment()).isEqualTo(firstPartitions);
        assertThat(again.generation()).isEqualTo(generation);
        GroupSnapshot after = GroupTestSupport.snapshot(fixture, "statics");
        assertThat(after.generationId()).as("no rebalance").isEqualTo(generation);
        assertThat(after.state()).isEqualTo(GroupState.STABLE);
        assertThat(after.members()).extracting(GroupSnapshot.Member::memberId).containsExactlyInAnyOrder(again.memberId(), other.memberId());
        // the other member keeps polling through it all without a single rebalance callback: a rebalance would
        // reach it with its next heartbeat (every 200 ms), so let it poll for a second more
        long polls = other.polls();
        Await.until("the other member polled for a second more", Duration.ofSeconds(10), () -> other.polls() >= polls + 20);
        assertThat(other.callbacks()).hasSize(otherCallbacks);
        assertThat(other.generation()).isEqualTo(generation);
    }

    @Test
    void aCooperativeRebalanceRevokesOnlyThePartitionsThatMove() throws Exception {
        fixture.broker().logs().createTopic("coop", 6, Map.of());
        Map<String, Object> settings = GroupTestSupport.with(GroupTestSupport.member(fixture, "cooperative"),
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        PolledConsumer a = start("a", settings, "coop");
        PolledConsumer b = start("b", settings, "coop");
        Await.until("each member has three partitions", Duration.ofSeconds(30), () -> balanced(6, 3, a, b));
        Set<TopicPartition> aBefore = a.assignment();
        Set<TopicPartition> bBefore = b.assignment();
        int aMark = a.callbacks().size();
        int bMark = b.callbacks().size();

        PolledConsumer c = start("c", settings, "coop");
        Await.until("each member has two partitions", Duration.ofSeconds(30), () -> balanced(6, 2, a, b, c));

        Set<TopicPartition> moved = new HashSet<>();
        for (PolledConsumer old : List.of(a, b)) {
            Set<TopicPartition> before = old == a ? aBefore : bBefore;
            List<PolledConsumer.Callback> since = old.callbacks().subList(old == a ? aMark : bMark, old.callbacks().size());
            Set<TopicPartition> revoked = new HashSet<>();
            for (PolledConsumer.Callback callback : since) {
                assertThat(callback.kind()).as("%s: %s", old.name(), since).isIn("revoked", "assigned");
                if (callback.kind().equals("revoked")) {
                    revoked.addAll(callback.partitions());
                } else {
                    assertThat(callback.partitions()).as("%s gains nothing", old.name()).isEmpty();
                }
            }
            // sticky: what it kept it had before, and exactly what it lost was revoked; one partition each
            assertThat(before).containsAll(old.assignment());
            Set<TopicPartition> lost = new HashSet<>(before);
            lost.removeAll(old.assignment());
            assertThat(revoked).as("%s revoked", old.name()).isEqualTo(lost).hasSize(1);
            moved.addAll(revoked);
        }
        assertThat(c.assignment()).isEqualTo(moved);
        assertThat(c.callbacks()).noneMatch(callback -> callback.kind().equals("revoked") || callback.kind().equals("lost"));
        assertThat(GroupTestSupport.snapshot(fixture, "cooperative").protocolName()).isEqualTo("cooperative-sticky");
    }

    /** The consume loop of Kafka's {@code ConsumerPerformance}: subscribe, auto-commit, poll to the end, close. */
    @Test
    void aSubscribedAutoCommittingConsumerReadsATopicEndToEndAndCommitsWhereItStopped() throws Exception {
        int total = 30_000;
        fixture.broker().logs().createTopic("perf", 3, Map.of());
        GroupTestSupport.produce(fixture.bootstrap(), "perf", 3, 0, total, -1);

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "perf-consumer-1");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // ConsumerPerformance without --from-latest
        Map<Integer, Long> next = new HashMap<>();
        long received = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("perf"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received < total && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : records) {
                    assertThat(record.offset()).isEqualTo(next.getOrDefault(record.partition(), 0L));
                    next.put(record.partition(), record.offset() + 1);
                    received++;
                }
            }
        } // close() commits the consumed offsets (enable.auto.commit defaults to true)
        assertThat(received).isEqualTo(total);

        try (Admin admin = fixture.admin()) {
            assertThat(GroupTestSupport.byPartition(admin.listConsumerGroupOffsets("perf-consumer-1")
                .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS))).isEqualTo(next);
        }
        assertThat(next.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    }
}
