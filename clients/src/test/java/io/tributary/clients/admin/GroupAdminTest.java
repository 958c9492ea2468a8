package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ErrorCode;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.clients.admin.AdminTestSupport.await;
import static io.tributary.clients.admin.AdminTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups and committed offsets against a real broker: groups formed and offsets committed by Kafka's own
 * consumer, results read back with Kafka's AdminClient as the oracle.
 */
class GroupAdminTest {
    private static BrokerFixture broker;
    private static TributaryAdmin admin;
    private static Admin kafka;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(AdminTestSupport.BROKER);
        admin = AdminTestSupport.admin(broker);
        kafka = broker.admin();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        admin.close();
        broker.close();
    }

    private static KafkaConsumer<String, String> consumer(String group, String clientId) {
        return new KafkaConsumer<>(AdminTestSupport.consumer(broker, group, clientId));
    }

    /** Polls until {@code count} records have been read (at most 20 s). */
    private static void consume(KafkaConsumer<String, String> consumer, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int seen = 0;
        while (seen < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Read " + seen + " of " + count + " records within 20 s");
            }
            seen += consumer.poll(Duration.ofMillis(100)).count();
        }
    }

    /** The group's committed offsets by partition, as Kafka's AdminClient reads them. */
    private static Map<TopicPartition, Long> oracle(String group) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
            kafka.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> byPartition = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                byPartition.put(new TopicPartition(tp.topic(), tp.partition()), om.offset());
            }
        });
        return byPartition;
    }

    @Test
    void describesListsAndProtectsAGroupWithMembers() throws Exception {
        await(admin.createTopic(NewTopic.of("watched", 2)));
        AdminTestSupport.produce(broker, "watched", 2, 0, 10, 1_000);
        TopicPartition p0 = new TopicPartition("watched", 0);
        TopicPartition p1 = new TopicPartition("watched", 1);
        try (KafkaConsumer<String, String> consumer = consumer("watchers", "watcher-1")) {
            consumer.subscribe(List.of("watched"));
            consume(consumer, 10);
            consumer.commitSync();

            GroupDescription group = await(admin.describeGroup("watchers"));
            assertThat(group.state()).isEqualTo(GroupState.STABLE);
            assertThat(group.isInactive()).isFalse();
            assertThat(group.protocolType()).isEqualTo("consumer");
            assertThat(group.protocol()).isEqualTo("range");
            assertThat(group.coordinator().port()).isEqualTo(broker.port());
            assertThat(group.members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo(consumer.groupMetadata().memberId());
                assertThat(m.clientId()).isEqualTo("watcher-1");
                assertThat(m.host()).contains("127.0.0.1");
                assertThat(m.assignment()).containsExactlyInAnyOrder(p0, p1);
            });

            assertThat(await(admin.listGroups())).contains(new GroupListing("watchers", "consumer", GroupState.STABLE, "classic"));
            assertThat(await(admin.listGroups(EnumSet.of(GroupState.EMPTY)))).extracting(GroupListing::groupId).doesNotContain("watchers");

            // Lag: 5 committed per partition, 3 more records each since.
            AdminTestSupport.produce(broker, "watched", 2, 10, 6, 2_000);
            List<PartitionLag> lag = await(admin.groupLag("watchers"));
            assertThat(lag).extracting(PartitionLag::partition).containsExactly(p0, p1);
            for (PartitionLag l : lag) {
                assertThat(l.committedOffset()).isEqualTo(5);
                assertThat(l.logEndOffset()).isEqualTo(8);
                assertThat(l.lag()).isEqualTo(3);
                assertThat(l.clientId()).isEqualTo("watcher-1");
                assertThat(l.memberId()).isEqualTo(consumer.groupMetadata().memberId());
            }

            Throwable delete = failure(admin.deleteGroup("watchers"));
            assertThat(delete).isInstanceOf(GroupNotEmptyException.class)
                .hasMessage("Deleting group 'watchers' failed: NON_EMPTY_GROUP (the group still has active members)");
            assertThat(((GroupNotEmptyException) delete).errorCode()).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
            assertThat(((GroupNotEmptyException) delete).groupId()).isEqualTo("watchers");

            Throwable commit = failure(admin.alterCommittedOffsets("watchers", Map.of(p0, CommittedOffset.of(0))).all());
            assertThat(commit).isInstanceOf(GroupNotEmptyException.class)
                .hasMessageStartingWith("Committing the offset of partition watched-0 of group 'watchers' failed: UNKNOWN_MEMBER_ID (");
            assertThat(((GroupNotEmptyException) commit).errorCode()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);

            Throwable reset = failure(admin.resetOffsets("watchers", List.of(), OffsetReset.toEarliest()));
            assertThat(reset).isInstanceOf(GroupNotEmptyException.class)
                .hasMessage("Resetting the offsets of group 'watchers' failed: NON_EMPTY_GROUP (the group is Stable with 1 member(s); "
                    + "offsets can be reset only while it has none)");

            Throwable deleteOffsets = failure(admin.deleteCommittedOffsets("watchers", List.of(p0)).get(p0));
            assertThat(deleteOffsets).isInstanceOf(GroupNotEmptyException.class)
                .hasMessageStartingWith("Deleting the committed offset of partition watched-0 of group 'watchers' failed: GROUP_SUBSCRIBED_TO_TOPIC");
            assertThat(oracle("watchers")).containsEntry(p0, 5L).containsEntry(p1, 5L);
        }

        // Closed, the consumer has left: the group is Empty and may go.
        Await.until("group watchers is empty", Duration.ofSeconds(10),
            () -> admin.await(admin.describeGroup("watchers")).state() == GroupState.EMPTY);
        assertThat(await(admin.listGroups(EnumSet.of(GroupState.EMPTY)))).extracting(GroupListing::groupId).contains("watchers");
        await(admin.deleteGroup("watchers"));
        Throwable gone = failure(admin.describeGroup("watchers"));
        assertThat(gone).isInstanceOf(GroupIdNotFoundException.class)
            .hasMessage("Describing group 'watchers' failed: GROUP_ID_NOT_FOUND (Group watchers not found.)");
        assertThat(oracle("watchers")).isEmpty();
    }

    @Test
    void resetsOffsetsOfAGroupCommittedByAKafkaConsumer() throws Exception {
        await(admin.createTopic(NewTopic.of("replayed", 2)));
        long base = 1_700_000_000_000L;
        // Partition 0: offsets 0..9 at base+0, +2, ..., +18; partition 1: offsets 0..9 at base+1, +3, ..., +19.
        AdminTestSupport.produce(broker, "replayed", 2, 0, 20, base);
        TopicPartition p0 = new TopicPartition("replayed", 0);
        TopicPartition p1 = new TopicPartition("replayed", 1);
        try (KafkaConsumer<String, String> consumer = consumer("replayers", "replayer-1")) {
            consumer.subscribe(List.of("replayed"));
            consume(consumer, 20);
            consumer.commitSync();
        }
        assertThat(oracle("replayers")).isEqualTo(Map.of(p0, 10L, p1, 10L));
        assertThat(await(admin.listCommittedOffsets("replayers"))).containsExactly(
            Map.entry(p0, new CommittedOffset(10, 0, "")), Map.entry(p1, new CommittedOffset(10, 0, "")));
        assertThat(await(admin.listCommittedOffsets("replayers", List.of(p1)))).containsOnlyKeys(p1);

        // A dry run commits nothing.
        assertThat(await(admin.planOffsetReset("replayers", List.of(), OffsetReset.toEarliest()))).isEqualTo(Map.of(p0, 0L, p1, 0L));
        assertThat(oracle("replayers")).isEqualTo(Map.of(p0, 10L, p1, 10L));

        assertReset(OffsetReset.toEarliest(), List.of(), Map.of(p0, 0L, p1, 0L));
        assertReset(OffsetReset.shiftBy(3), List.of(), Map.of(p0, 3L, p1, 3L));
        assertReset(OffsetReset.shiftBy(-5), List.of(), Map.of(p0, 0L, p1, 0L));
        assertReset(OffsetReset.toOffset(7), List.of(), Map.of(p0, 7L, p1, 7L));
        assertReset(OffsetReset.shiftBy(100), List.of(), Map.of(p0, 10L, p1, 10L));
        assertReset(OffsetReset.toOffset(4), List.of(), Map.of(p0, 4L, p1, 4L));
        assertReset(OffsetReset.toOffset(100), List.of(), Map.of(p0, 10L, p1, 10L));
        // The first record at or after base+7: base+8 is offset 4 in partition 0, base+7 is offset 3 in partition 1.
        assertReset(OffsetReset.toTimestamp(base + 7), List.of(), Map.of(p0, 4L, p1, 3L));
        assertReset(OffsetReset.toTimestamp(base + 1_000), List.of(), Map.of(p0, 10L, p1, 10L));
        assertReset(OffsetReset.toEarliest(), List.of(p1), Map.of(p0, 10L, p1, 0L));
        assertReset(OffsetReset.toLatest(), List.of(), Map.of(p0, 10L, p1, 10L));

        await(admin.alterCommittedOffsets("replayers", Map.of(p0, CommittedOffset.of(2), p1, new CommittedOffset(6, -1, "by hand"))).all());
        assertThat(oracle("replayers")).isEqualTo(Map.of(p0, 2L, p1, 6L));
        assertThat(await(admin.listCommittedOffsets("replayers")).get(p1).metadata()).isEqualTo("by hand");

        await(admin.deleteCommittedOffsets("replayers", List.of(p0)).all());
        assertThat(oracle("replayers")).isEqualTo(Map.of(p1, 6L));

        List<PartitionLag> lag = await(admin.groupLag("replayers"));
        assertThat(lag).containsExactly(new PartitionLag(p1, 6, 10, 4, null, null, null));

        Throwable noBase = failure(admin.resetOffsets("replayers", List.of(p0, p1), OffsetReset.shiftBy(1)));
        assertThat(noBase).isInstanceOf(IllegalStateException.class)
            .hasMessage("Cannot shift partition replayed-0 by 1: the group has no committed offset there to shift from");
        assertThat(oracle("replayers")).isEqualTo(Map.of(p1, 6L));

        // A group that does not exist yet gets the offsets; one with nothing committed needs partitions named.
        assertThat(await(admin.resetOffsets("newcomers", List.of(p0, p1), OffsetReset.toTimestamp(base + 7))))
            .isEqualTo(Map.of(p0, 4L, p1, 3L));
        assertThat(oracle("newcomers")).isEqualTo(Map.of(p0, 4L, p1, 3L));
        // Offsets without a consumer ever joining: the lag is reported all the same.
        assertThat(await(admin.groupLag("newcomers"))).containsExactly(new PartitionLag(p0, 4, 10, 6, null, null, null),
            new PartitionLag(p1, 3, 10, 7, null, null, null));
        assertThat(failure(admin.resetOffsets("nobody", List.of(), OffsetReset.toLatest())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Group 'nobody' has no committed offsets to reset; name the partitions or topics to reset");

        Throwable unknownTopic = failure(admin.resetOffsets("newcomers", List.of(new TopicPartition("vanished", 0)), OffsetReset.toLatest()));
        assertThat(unknownTopic).isInstanceOf(UnknownTopicOrPartitionException.class)
            .hasMessage("Listing offsets of partition vanished-0 failed: UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(oracle("newcomers")).isEqualTo(Map.of(p0, 4L, p1, 3L));
    }

    private static void assertReset(OffsetReset reset, List<TopicPartition> partitions, Map<TopicPartition, Long> expected) throws Exception {
        Map<TopicPartition, Long> committed = await(admin.resetOffsets("replayers", partitions, reset));
        Map<TopicPartition, Long> asked = new HashMap<>(expected);
        if (!partitions.isEmpty()) {
            asked.keySet().retainAll(partitions);
        }
        assertThat(committed).as(reset.toString()).isEqualTo(asked);
        assertThat(oracle("replayers")).as(reset + " read back by Kafka's AdminClient").isEqualTo(expected);
    }

    @Test
    void continuationsNeverRunOnTheIoThread() throws Exception {
        // Attached at once, they run on the callback thread; had the outcome already arrived, on this thread.
        String test = Thread.currentThread().getName();
        List<CompletableFuture<String>> threads = List.of(
            admin.deleteGroup("nobody-at-all").handle((v, e) -> Thread.currentThread().getName()),
            admin.describeGroup("nobody-at-all").handle((v, e) -> Thread.currentThread().getName()),
            admin.listGroups().handle((v, e) -> Thread.currentThread().getName()),
            admin.describeTopic("nothing").handle((v, e) -> Thread.currentThread().getName()),
            admin.groupLag("nobody-at-all").handle((v, e) -> Thread.currentThread().getName()));
        for (CompletableFuture<String> thread : threads) {
            assertThat(await(thread)).isIn(test, "tributary-admin-admin-under-test");
        }
    }

    @Test
    void unknownGroupsAreReportedByName() throws Exception {
        assertThat(await(admin.listCommittedOffsets("nobody-here"))).isEmpty();
        Throwable delete = failure(admin.deleteGroup("nobody-here"));
        assertThat(delete).isInstanceOf(GroupIdNotFoundException.class)
            .hasMessage("Deleting group 'nobody-here' failed: GROUP_ID_NOT_FOUND (no group of that id exists)");
        assertThat(((GroupIdNotFoundException) delete).groupId()).isEqualTo("nobody-here");
        assertThat(failure(admin.groupLag("nobody-here"))).isInstanceOf(GroupIdNotFoundException.class)
            .hasMessage("Reporting the lag of group 'nobody-here' failed: GROUP_ID_NOT_FOUND (no group of that id exists)");
        KeyedResults<String, GroupDescription> described = admin.describeGroups(List.of("nobody-here", "nor-here"));
        assertThat(failure(described.get("nor-here"))).hasMessageContaining("'nor-here'");
        assertThat(described.failedKeys()).containsExactly("nobody-here", "nor-here");
    }
}
