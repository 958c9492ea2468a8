package io.tributary.server.group;

import io.tributary.server.Await;
import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.storage.OffsetCommitKey;
import io.tributary.groups.storage.OffsetsTopicFormat;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.record.compression.Decompressor;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a well-behaved consumer never sends, sent over the wire with Kafka's own request classes: commits
 * from a member that is not in the group or of a past generation, and joins whose protocols the group cannot
 * accept, are answered with Kafka's error codes and change nothing. And garbage written into
 * {@code __consumer_offsets} is skipped, with a log line, when the broker loads it at start.
 */
class GroupBadInputTest {
    private static final short OFFSET_COMMIT_VERSION = 9; // the newest that names topics by name
    private static final short JOIN_GROUP_VERSION = 9;

    private final BrokerFixture fixture = new BrokerFixture(GroupTestSupport.BROKER);

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static OffsetCommitRequest.Builder commit(String group, int generation, String memberId, String topic, long offset) {
        return OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
            .setGroupId(group).setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                    .setPartitionIndex(0).setCommittedOffset(offset))))));
    }

    private static Errors error(OffsetCommitResponse response) {
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private PartitionLog offsetsPartitionOf(String group) {
        int partition = fixture.broker().groupCoordinator().partitionFor(group);
        return fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(GroupCoordinator.OFFSETS_TOPIC, partition));
    }

    @Test
    void commitsFromAnUnknownMemberOrAPastGenerationAreRefusedAndChangeNothing() throws Exception {
        fixture.broker().logs().createTopic("guarded", 2, Map.of());
        Map<String, Object> settings = GroupTestSupport.member(fixture, "guarded");
        try (PolledConsumer first = new PolledConsumer("first", settings, "guarded", record -> { }, 0);
             Admin admin = fixture.admin();
             RawKafkaConnection raw = RawKafkaConnection.open(fixture.port())) {
            Await.until("the first member has both partitions", Duration.ofSeconds(30), () -> first.assignment().size() == 2);
            int oldGeneration = first.generation();
            try (PolledConsumer second = new PolledConsumer("second", settings, "guarded", record -> { }, 0)) {
                Await.until("both members have a partition in a later generation", Duration.ofSeconds(30), () ->
                    first.assignment().size() == 1 && second.assignment().size() == 1
                        && first.generation() == second.generation() && first.generation() > oldGeneration);
                refusedCommitsChangeNothing(admin, raw, first, oldGeneration);
            }
        }
    }

    /** A member's commits and heartbeat from the past or with a wrong member id are refused and change nothing. */
    private void refusedCommitsChangeNothing(Admin admin, RawKafkaConnection raw, PolledConsumer first, int oldGeneration)
        throws Exception {
        int generation = first.generation();
        GroupSnapshot before = GroupTestSupport.snapshot(fixture, "guarded");
        Map<TopicPartition, OffsetAndMetadata> committedBefore =
            admin.listConsumerGroupOffsets("guarded").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
        long logEndBefore = offsetsPartitionOf("guarded").logEndOffset();

        OffsetCommitResponse unknownMember = raw.send(commit("guarded", generation, "no-such-member", "guarded", 1_000), OFFSET_COMMIT_VERSION);
        assertThat(error(unknownMember)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        OffsetCommitResponse pastGeneration = raw.send(commit("guarded", oldGeneration, first.memberId(), "guarded", 1_000), OFFSET_COMMIT_VERSION);
        assertThat(error(pastGeneration)).as("generation %d, now %d", oldGeneration, generation).isEqualTo(Errors.ILLEGAL_GENERATION);
        OffsetCommitResponse futureGeneration = raw.send(commit("guarded", generation + 1, first.memberId(), "guarded", 1_000), OFFSET_COMMIT_VERSION);
        assertThat(error(futureGeneration)).isEqualTo(Errors.ILLEGAL_GENERATION);
        HeartbeatResponse staleHeartbeat = raw.send(new HeartbeatRequest.Builder(new HeartbeatRequestData()
            .setGroupId("guarded").setGenerationId(oldGeneration).setMemberId(first.memberId())), (short) 4);
        assertThat(staleHeartbeat.error()).isEqualTo(Errors.ILLEGAL_GENERATION);

        // nothing changed: no record written, same offsets, same generation and members
        assertThat(offsetsPartitionOf("guarded").logEndOffset()).isEqualTo(logEndBefore);
        assertThat(admin.listConsumerGroupOffsets("guarded").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS))
            .isEqualTo(committedBefore);
        GroupSnapshot after = GroupTestSupport.snapshot(fixture, "guarded");
        assertThat(after.generationId()).isEqualTo(before.generationId());
        assertThat(after.state()).isEqualTo(GroupState.STABLE);
        assertThat(after.members()).extracting(GroupSnapshot.Member::memberId)
            .containsExactlyInAnyOrderElementsOf(before.members().stream().map(GroupSnapshot.Member::memberId).toList());

        // the same commit with the member's current generation is accepted: the refusals were about who asked
        OffsetCommitResponse valid = raw.send(commit("guarded", generation, first.memberId(), "guarded", 1_000), OFFSET_COMMIT_VERSION);
        assertThat(error(valid)).isEqualTo(Errors.NONE);
        assertThat(admin.listConsumerGroupOffsets("guarded").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS)
            .get(new TopicPartition("guarded", 0)).offset()).isEqualTo(1_000);
    }

    private static JoinGroupRequest.Builder join(String group, String protocolType, String... protocols) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection offered = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of("picky")));
        for (String name : protocols) {
            byte[] metadata = new byte[subscription.remaining()];
            subscription.duplicate().get(metadata);
            offered.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(name).setMetadata(metadata));
        }
        return new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId(group).setSessionTimeoutMs(10_000)
            .setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType(protocolType).setProtocols(offered));
    }

    @Test
    void aJoinWhoseProtocolsTheGroupCannotUseIsRefusedWithoutARebalance() throws Exception {
        fixture.broker().logs().createTopic("picky", 2, Map.of());
        try (PolledConsumer member = new PolledConsumer("member", GroupTestSupport.member(fixture, "picky"), "picky", record -> { }, 0);
             RawKafkaConnection raw = RawKafkaConnection.open(fixture.port())) {
            Await.until("the member has both partitions", Duration.ofSeconds(30), () -> member.assignment().size() == 2);
            GroupSnapshot before = GroupTestSupport.snapshot(fixture, "picky");
            int callbacks = member.callbacks().size();

            // the member speaks range and cooperative-sticky; no common protocol, another protocol type, none at all
            JoinGroupResponse noCommonProtocol = raw.send(join("picky", "consumer", "roundrobin"), JOIN_GROUP_VERSION);
            assertThat(noCommonProtocol.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupResponse otherType = raw.send(join("picky", "connect", "range"), JOIN_GROUP_VERSION);
            assertThat(otherType.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupResponse noProtocols = raw.send(join("picky", "consumer"), JOIN_GROUP_VERSION);
            assertThat(noProtocols.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

            GroupSnapshot after = GroupTestSupport.snapshot(fixture, "picky");
            assertThat(after.generationId()).isEqualTo(before.generationId());
            assertThat(after.state()).isEqualTo(GroupState.STABLE);
            assertThat(after.members()).hasSize(1);
            assertThat(member.callbacks()).hasSize(callbacks);

            // a join with a protocol in common is admitted (first asked to come back with a member id)
            JoinGroupResponse compatible = raw.send(join("picky", "consumer", "roundrobin", "range"), JOIN_GROUP_VERSION);
            assertThat(compatible.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        }
    }

    /** A batch of records, each with the given key and value (either may be null). */
    private static ByteBuffer batch(ByteBuffer key, ByteBuffer value) {
        return new RecordBatchBuilder(Compression.none()).append(System.currentTimeMillis(), key, value).build();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A gzip batch the log takes (its records are well-formed) but the loader cannot read: its one record
     * decompresses to more than the record reader's 64 MiB limit. Appends open compressed batches since issue 18,
     * so the unreadable bytes of old (a gzip flag over uncompressed records) can no longer be written this way.
     */
    private static ByteBuffer fakeGzipBatch() {
        return new RecordBatchBuilder(Compression.gzip()).append(System.currentTimeMillis(), bytes("k"),
            ByteBuffer.wrap(new byte[Decompressor.DEFAULT_MAX_DECOMPRESSED_BYTES + 1024])).build();
    }

    @Test
    void garbageInConsumerOffsetsIsSkippedWithALogLineWhenTheBrokerLoadsIt() throws Exception {
        fixture.broker().logs().createTopic("kept", 1, Map.of());
        TopicPartition kept = new TopicPartition("kept", 0);
        GroupCoordinator coordinator = fixture.broker().groupCoordinator();
        int partition = coordinator.partitionFor("before");
        String after = null;
        for (int i = 0; i < 100_000 && after == null; i++) {
            if (coordinator.partitionFor("after-" + i) == partition) {
                after = "after-" + i;
            }
        }
        assertThat(after).as("a second group in the same partition").isNotNull();
        try (Admin admin = fixture.admin()) {
            admin.alterConsumerGroupOffsets("before", Map.of(kept, new OffsetAndMetadata(42))).all().get(20, TimeUnit.SECONDS);
            PartitionLog log = offsetsPartitionOf("before");
            // The topic is compacted, which refuses keyless records and unreadable compressed batches on
            // append; garbage like this can only be on disk from before. Write it as if the policy were delete.
            io.tributary.log.LogConfig compacted = log.config();
            log.updateConfig(compacted.withOverrides(Map.of("cleanup.policy", "delete",
                "decompressed.batch.max.bytes", Integer.toString(Integer.MAX_VALUE - 8))));
            log.append(batch(null, bytes("a value without a key")), 0);
            log.append(batch(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff}), bytes("a truncated offset commit key")), 0);
            log.append(batch(OffsetsTopicFormat.key(new OffsetCommitKey("before", "kept", 0)),
                ByteBuffer.wrap(new byte[] {0, 3, 1, 2})), 0); // the key of "before", a truncated value
            log.append(fakeGzipBatch(), 0);
            log.updateConfig(compacted);
            // a commit after the garbage, in the same partition: loading must get past the garbage to see it
            admin.alterConsumerGroupOffsets(after, Map.of(kept, new OffsetAndMetadata(7))).all().get(20, TimeUnit.SECONDS);
        }

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            fixture.restart();
            fixture.broker().groupsLoaded().get(30, TimeUnit.SECONDS);
        } finally {
            System.setErr(originalErr);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        String where = GroupCoordinator.OFFSETS_TOPIC + "-" + partition;
        assertThat(logged).contains("Skipping a record without a key at offset").contains(where);
        assertThat(logged).containsPattern("Skipping an unreadable record at offset \\d+ of " + where);
        assertThat(logged).containsPattern("Skipping unreadable batch at offsets \\d+-\\d+ of " + where);
        assertThat(logged.lines().filter(line -> line.contains("Skipping")).count()).isEqualTo(4);

        try (Admin admin = fixture.admin()) {
            assertThat(GroupTestSupport.byPartition(admin.listConsumerGroupOffsets("before").partitionsToOffsetAndMetadata()
                .get(20, TimeUnit.SECONDS))).as("the garbage value under its key changed nothing").isEqualTo(Map.of(0, 42L));
            assertThat(admin.listConsumerGroupOffsets(after).partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS)
                .get(kept).offset()).isEqualTo(7);
            // and the partition takes new commits
            admin.alterConsumerGroupOffsets("before", Map.of(kept, new OffsetAndMetadata(43))).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets("before").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS)
                .get(kept).offset()).isEqualTo(43);
        }
    }
}
