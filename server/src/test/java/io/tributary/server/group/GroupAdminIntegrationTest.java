package io.tributary.server.group;

import io.tributary.server.Await;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Offset replay as operators do it with Apache Kafka's AdminClient (what {@code kafka-consumer-groups.sh}
 * calls): list and describe groups and their offsets, move a stopped group's offsets (to the earliest, to a
 * timestamp, to a given offset), delete offsets and groups; the group's consumers then read from there. And
 * replay by {@code seek} and {@code offsetsForTimes}, which leaves the group alone.
 *
 * <p>The topic: 40 records, record i in partition i % 2 with timestamp T0 + i, so partition 0 holds offsets
 * 0-19 at T0, T0 + 2, ... and partition 1 offsets 0-19 at T0 + 1, T0 + 3, ...
 */
class GroupAdminIntegrationTest {
    private static final String TOPIC = "replay";
    private static final long T0 = 1_700_000_000_000L;
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final BrokerFixture fixture = new BrokerFixture(GroupTestSupport.BROKER);
    private final Admin admin = fixture.admin();

    @AfterEach
    void stop() {
        admin.close();
        fixture.close();
    }

    private static <T> T await(KafkaFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private void prepare() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 2, Map.of());
        GroupTestSupport.produce(fixture.bootstrap(), TOPIC, 2, 0, 40, T0);
    }

    private Map<Integer, Long> committed(String group) throws Exception {
        return GroupTestSupport.byPartition(await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()));
    }

    private void alter(String group, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((p, offset) -> request.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(offset)));
        await(admin.alterConsumerGroupOffsets(group, request).all());
    }

    /** A new member of the group reads; the offset it starts at in each partition. It commits nothing. */
    private Map<Integer, Long> startOffsetsOfANewMember(String group) throws Exception {
        Properties properties = new Properties();
        properties.putAll(GroupTestSupport.member(fixture, group));
        Map<Integer, Long> first = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            Await.until("a record from both partitions", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    first.putIfAbsent(record.partition(), record.offset());
                }
                return first.size() == 2;
            });
        }
        Await.until("the group is empty again", Duration.ofSeconds(10), () -> state(group) == GroupState.EMPTY);
        return first;
    }

    private GroupState state(String group) {
        try {
            GroupSnapshot snapshot = GroupTestSupport.snapshot(fixture, group);
            return snapshot == null ? null : snapshot.state();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @SuppressWarnings({"deprecation", "removal"}) // listConsumerGroups: kafka-consumer-groups.sh --list of older tools still calls it
    void adminListsDescribesAndMovesAStoppedGroupsOffsetsAndItsConsumersReadFromThere() throws Exception {
        prepare();
        try (PolledConsumer reader = new PolledConsumer("reader", GroupTestSupport.member(fixture, "replayers"), TOPIC, record -> { }, 1)) {
            Await.until("everything is read and committed", Duration.ofSeconds(30),
                () -> reader.processed() == 40 && uncheckedCommitted("replayers").equals(Map.of(0, 20L, 1, 20L)));

            Collection<GroupListing> groups = await(admin.listGroups().all());
            assertThat(groups).filteredOn(g -> g.groupId().equals("replayers")).singleElement().satisfies(g -> {
                assertThat(g.type()).contains(GroupType.CLASSIC);
                assertThat(g.protocol()).isEqualTo("consumer");
                assertThat(g.groupState()).contains(org.apache.kafka.common.GroupState.STABLE);
            });
            ConsumerGroupDescription described = await(admin.describeConsumerGroups(List.of("replayers")).all()).get("replayers");
            assertThat(described.groupState()).isEqualTo(org.apache.kafka.common.GroupState.STABLE);
            assertThat(described.type()).isEqualTo(GroupType.CLASSIC);
            assertThat(described.partitionAssignor()).isEqualTo("range");
            assertThat(described.coordinator().id()).isZero();
            assertThat(described.coordinator().port()).isEqualTo(fixture.port());
            assertThat(described.members()).singleElement().satisfies(member -> {
                assertThat(member.clientId()).isEqualTo("reader");
                assertThat(member.consumerId()).isEqualTo(reader.memberId());
                assertThat(member.host()).isEqualTo("/127.0.0.1");
                assertThat(member.assignment().topicPartitions()).containsExactlyInAnyOrder(P0, P1);
            });

            // offsets of a group with members cannot be moved under their feet
            assertThatThrownBy(() -> alter("replayers", Map.of(0, 0L, 1, 0L)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownMemberIdException.class);
            assertThat(committed("replayers")).isEqualTo(Map.of(0, 20L, 1, 20L));
        }

        // stopped: Empty, no members, still listed with its offsets
        ConsumerGroupDescription stopped = await(admin.describeConsumerGroups(List.of("replayers")).all()).get("replayers");
        assertThat(stopped.groupState()).isEqualTo(org.apache.kafka.common.GroupState.EMPTY);
        assertThat(stopped.members()).isEmpty();
        Collection<ConsumerGroupListing> consumerGroups = await(admin.listConsumerGroups().all());
        assertThat(consumerGroups).extracting(ConsumerGroupListing::groupId).containsExactly("replayers");
        assertThat(consumerGroups.iterator().next().groupState()).contains(org.apache.kafka.common.GroupState.EMPTY);

        // to the earliest offsets
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest =
            await(admin.listOffsets(Map.of(P0, OffsetSpec.earliest(), P1, OffsetSpec.earliest())).all());
        alter("replayers", Map.of(0, earliest.get(P0).offset(), 1, earliest.get(P1).offset()));
        assertThat(committed("replayers")).isEqualTo(Map.of(0, 0L, 1, 0L));
        assertThat(startOffsetsOfANewMember("replayers")).isEqualTo(Map.of(0, 0L, 1, 0L));

        // to the offsets of a time: the first record at or after T0 + 21 is offset 11 (T0 + 22) in partition 0
        // and offset 10 (T0 + 21) in partition 1
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> atTime =
            await(admin.listOffsets(Map.of(P0, OffsetSpec.forTimestamp(T0 + 21), P1, OffsetSpec.forTimestamp(T0 + 21))).all());
        assertThat(atTime.get(P0).timestamp()).isEqualTo(T0 + 22);
        alter("replayers", Map.of(0, atTime.get(P0).offset(), 1, atTime.get(P1).offset()));
        assertThat(startOffsetsOfANewMember("replayers")).isEqualTo(Map.of(0, 11L, 1, 10L));

        // to given offsets
        alter("replayers", Map.of(0, 7L, 1, 3L));
        assertThat(committed("replayers")).isEqualTo(Map.of(0, 7L, 1, 3L));
        assertThat(startOffsetsOfANewMember("replayers")).isEqualTo(Map.of(0, 7L, 1, 3L));

        // deleting partition 0's offset: the group reads it from auto.offset.reset (earliest) again
        await(admin.deleteConsumerGroupOffsets("replayers", Set.of(P0)).all());
        assertThat(committed("replayers")).isEqualTo(Map.of(1, 3L));
        assertThat(startOffsetsOfANewMember("replayers")).isEqualTo(Map.of(0, 0L, 1, 3L));

        // deleting the group
        await(admin.deleteConsumerGroups(List.of("replayers")).all());
        assertThat(await(admin.listGroups().all())).extracting(GroupListing::groupId).doesNotContain("replayers");
        assertThat(committed("replayers")).isEmpty();
        assertThatThrownBy(() -> await(admin.describeConsumerGroups(List.of("replayers")).all()))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupIdNotFoundException.class);
        assertThat(GroupTestSupport.snapshot(fixture, "replayers")).isNull();
    }

    private Map<Integer, Long> uncheckedCommitted(String group) {
        try {
            return committed(group);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void seekAndOffsetsForTimesReplayWithoutTouchingTheGroup() throws Exception {
        prepare();
        alter("bystanders", Map.of(0, 20L, 1, 20L)); // a group that has read everything
        GroupSnapshot before = GroupTestSupport.snapshot(fixture, "bystanders");

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(P0, P1));
            Map<TopicPartition, OffsetAndTimestamp> atTime = consumer.offsetsForTimes(Map.of(P0, T0 + 21, P1, T0 + 21));
            assertThat(atTime.get(P0).offset()).isEqualTo(11);
            assertThat(atTime.get(P1).offset()).isEqualTo(10);
            atTime.forEach((tp, found) -> consumer.seek(tp, found.offset()));
            Map<Integer, ConsumerRecord<String, String>> first = firstRecords(consumer);
            assertThat(first.get(0).offset()).isEqualTo(11);
            assertThat(first.get(0).timestamp()).isEqualTo(T0 + 22);
            assertThat(first.get(1).offset()).isEqualTo(10);
            assertThat(first.get(1).timestamp()).isEqualTo(T0 + 21);

            consumer.seek(P0, 5);
            consumer.seekToBeginning(List.of(P1));
            first = firstRecords(consumer);
            assertThat(first.get(0).offset()).isEqualTo(5);
            assertThat(first.get(0).value()).isEqualTo("v10");
            assertThat(first.get(1).offset()).isZero();
        }

        GroupSnapshot after = GroupTestSupport.snapshot(fixture, "bystanders");
        assertThat(after.offsets()).isEqualTo(before.offsets());
        assertThat(after.generationId()).isEqualTo(before.generationId());
        assertThat(after.state()).isEqualTo(GroupState.EMPTY);
        assertThat(committed("bystanders")).isEqualTo(Map.of(0, 20L, 1, 20L));
    }

    /** Polls until a record of each partition arrives; the first of each. */
    private static Map<Integer, ConsumerRecord<String, String>> firstRecords(KafkaConsumer<String, String> consumer) {
        Map<Integer, ConsumerRecord<String, String>> first = new HashMap<>();
        Await.until("a record from both partitions", Duration.ofSeconds(30), () -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                first.putIfAbsent(record.partition(), record);
            }
            return first.size() == 2;
        });
        return first;
    }
}
