package io.tributary.groups.storage;

import io.tributary.protocol.MalformedMessageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The records of __consumer_offsets against Apache Kafka's own classes for them (kafka-group-coordinator,
 * test scope): our bytes equal Kafka's for every version, Kafka reads ours, we read Kafka's; and against
 * layouts checked by hand from the schema.
 */
class OffsetsTopicFormatTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String hex(ByteBuffer b) {
        return HexFormat.of().formatHex(bytes(b));
    }

    // ---- hand-checked layouts

    @Test
    void keysHaveTheDocumentedLayout() {
        // type 1, group "g", topic "t", partition 1
        assertThat(hex(OffsetsTopicFormat.offsetCommitKey(new OffsetCommitKey("g", "t", 1))))
            .isEqualTo("0001" + "0001" + "67" + "0001" + "74" + "00000001");
        // type 2, group "g"
        assertThat(hex(OffsetsTopicFormat.groupMetadataKey(new GroupMetadataKey("g")))).isEqualTo("0002" + "0001" + "67");
    }

    @Test
    void offsetCommitValuesHaveTheDocumentedLayout() {
        OffsetCommitValue v = new OffsetCommitValue(5, 2, "m", 7, -1, null);
        assertThat(hex(OffsetsTopicFormat.offsetCommitValue(v, (short) 3)))
            .isEqualTo("0003" + "0000000000000005" + "00000002" + "0001" + "6d" + "0000000000000007");
        // v4: compact string (length + 1), then an empty tagged-field section
        assertThat(hex(OffsetsTopicFormat.offsetCommitValue(v)))
            .isEqualTo("0004" + "0000000000000005" + "00000002" + "02" + "6d" + "0000000000000007" + "00");
        UUID id = new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
        assertThat(hex(OffsetsTopicFormat.offsetCommitValue(new OffsetCommitValue(5, 2, "m", 7, -1, id))))
            .endsWith("0000000000000007" + "01" + "00" + "10" + "0102030405060708090a0b0c0d0e0f10");
        // a commit with its own expiry is written as v1: no leader epoch, the expiry after the commit time
        assertThat(hex(OffsetsTopicFormat.offsetCommitValue(new OffsetCommitValue(5, 2, "m", 7, 9, null))))
            .isEqualTo("0001" + "0000000000000005" + "0001" + "6d" + "0000000000000007" + "0000000000000009");
    }

    @Test
    void groupMetadataValuesHaveTheDocumentedLayout() {
        MemberMetadata m = new MemberMetadata("m", "i", "c", "h", 30, 10, new byte[] {1}, new byte[] {2, 3});
        GroupMetadataValue v = new GroupMetadataValue("consumer", 4, "range", "m", 99, List.of(m));
        assertThat(hex(OffsetsTopicFormat.groupMetadataValue(v))).isEqualTo("0003"
            + "0008" + hexOf("consumer") + "00000004" + "0005" + hexOf("range") + "0001" + "6d" + "0000000000000063"
            + "00000001" + "0001" + "6d" + "0001" + "69" + "0001" + "63" + "0001" + "68" + "0000001e" + "0000000a"
            + "00000001" + "01" + "00000002" + "0203");
        GroupMetadataValue empty = new GroupMetadataValue("", 5, null, null, 99, List.of());
        assertThat(hex(OffsetsTopicFormat.groupMetadataValue(empty)))
            .isEqualTo("0003" + "0000" + "00000005" + "ffff" + "ffff" + "0000000000000063" + "00000000");
    }

    private static String hexOf(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---- Kafka as the oracle

    @Property(tries = 200)
    void offsetCommitKeysMatchKafka(@ForAll("names") String group, @ForAll("names") String topic, @ForAll int partition) {
        OffsetCommitKey key = new OffsetCommitKey(group, topic, partition);
        byte[] kafka = MessageUtil.toCoordinatorTypePrefixedBytes(new org.apache.kafka.coordinator.group.generated.OffsetCommitKey()
            .setGroup(group).setTopic(topic).setPartition(partition));
        assertThat(bytes(OffsetsTopicFormat.offsetCommitKey(key))).isEqualTo(kafka);
        assertThat(OffsetsTopicFormat.readKey(ByteBuffer.wrap(kafka))).isEqualTo(key);
        byte[] groupKey = MessageUtil.toCoordinatorTypePrefixedBytes(new org.apache.kafka.coordinator.group.generated.GroupMetadataKey()
            .setGroup(group));
        assertThat(bytes(OffsetsTopicFormat.groupMetadataKey(new GroupMetadataKey(group)))).isEqualTo(groupKey);
        assertThat(OffsetsTopicFormat.readKey(ByteBuffer.wrap(groupKey))).isEqualTo(new GroupMetadataKey(group));
    }

    @Property(tries = 300)
    void offsetCommitValuesMatchKafkaAtEveryVersion(@ForAll("offsetValues") OffsetCommitValue v,
                                                     @ForAll @IntRange(min = 0, max = 4) int version) {
        short ver = (short) version;
        org.apache.kafka.coordinator.group.generated.OffsetCommitValue k = new org.apache.kafka.coordinator.group.generated.OffsetCommitValue()
            .setOffset(v.offset()).setLeaderEpoch(v.leaderEpoch()).setMetadata(v.metadata()).setCommitTimestamp(v.commitTimestamp())
            .setExpireTimestamp(v.expireTimestamp()).setTopicId(v.topicId() == null ? Uuid.ZERO_UUID
                : new Uuid(v.topicId().getMostSignificantBits(), v.topicId().getLeastSignificantBits()));
        byte[] kafka = MessageUtil.toVersionPrefixedBytes(ver, k);
        ByteBuffer ours = OffsetsTopicFormat.offsetCommitValue(v, ver);
        assertThat(bytes(ours)).isEqualTo(kafka);

        OffsetCommitValue read = OffsetsTopicFormat.readOffsetCommitValue(ByteBuffer.wrap(kafka));
        assertThat(read.offset()).isEqualTo(v.offset());
        assertThat(read.metadata()).isEqualTo(v.metadata());
        assertThat(read.commitTimestamp()).isEqualTo(v.commitTimestamp());
        assertThat(read.leaderEpoch()).isEqualTo(version >= 3 ? v.leaderEpoch() : -1);
        assertThat(read.expireTimestamp()).isEqualTo(version == 1 ? v.expireTimestamp() : -1);
        assertThat(read.topicId()).isEqualTo(version >= 4 ? v.topicId() : null);

        ByteBuffer back = ByteBuffer.wrap(kafka);
        back.getShort();
        assertThat(new org.apache.kafka.coordinator.group.generated.OffsetCommitValue(new ByteBufferAccessor(back), ver).offset())
            .isEqualTo(v.offset());
    }

    @Property(tries = 200)
    void groupMetadataValuesMatchKafkaAtEveryVersion(@ForAll("groupValues") GroupMetadataValue v,
                                                      @ForAll @IntRange(min = 0, max = 4) int version) {
        short ver = (short) version;
        List<org.apache.kafka.coordinator.group.generated.GroupMetadataValue.MemberMetadata> members = new ArrayList<>();
        for (MemberMetadata m : v.members()) {
            members.add(new org.apache.kafka.coordinator.group.generated.GroupMetadataValue.MemberMetadata()
                .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId()).setClientId(m.clientId())
                .setClientHost(m.clientHost()).setRebalanceTimeout(m.rebalanceTimeoutMs()).setSessionTimeout(m.sessionTimeoutMs())
                .setSubscription(m.subscription()).setAssignment(m.assignment()));
        }
        org.apache.kafka.coordinator.group.generated.GroupMetadataValue k = new org.apache.kafka.coordinator.group.generated.GroupMetadataValue()
            .setProtocolType(v.protocolType()).setGeneration(v.generation()).setProtocol(v.protocol()).setLeader(v.leader())
            .setCurrentStateTimestamp(v.currentStateTimestamp()).setMembers(members);
        byte[] kafka = MessageUtil.toVersionPrefixedBytes(ver, k);
        assertThat(bytes(OffsetsTopicFormat.groupMetadataValue(v, ver))).isEqualTo(kafka);

        GroupMetadataValue read = OffsetsTopicFormat.readGroupMetadataValue(ByteBuffer.wrap(kafka));
        assertThat(read.generation()).isEqualTo(v.generation());
        assertThat(read.protocol()).isEqualTo(v.protocol());
        assertThat(read.leader()).isEqualTo(v.leader());
        assertThat(read.currentStateTimestamp()).isEqualTo(version >= 2 ? v.currentStateTimestamp() : -1);
        assertThat(read.members()).hasSameSizeAs(v.members());
        for (int i = 0; i < v.members().size(); i++) {
            MemberMetadata expected = v.members().get(i);
            MemberMetadata actual = read.members().get(i);
            assertThat(actual.memberId()).isEqualTo(expected.memberId());
            assertThat(actual.groupInstanceId()).isEqualTo(version >= 3 ? expected.groupInstanceId() : null);
            assertThat(actual.rebalanceTimeoutMs()).isEqualTo(version >= 1 ? expected.rebalanceTimeoutMs() : -1);
            assertThat(actual.subscription()).isEqualTo(expected.subscription());
            assertThat(actual.assignment()).isEqualTo(expected.assignment());
        }
    }

    @Property(tries = 100)
    void everyTruncationIsRefusedAsMalformed(@ForAll("groupValues") GroupMetadataValue g, @ForAll("offsetValues") OffsetCommitValue o) {
        byte[] group = bytes(OffsetsTopicFormat.groupMetadataValue(g));
        byte[] offset = bytes(OffsetsTopicFormat.offsetCommitValue(o));
        for (int cut = 0; cut < group.length; cut++) {
            ByteBuffer truncated = ByteBuffer.wrap(group, 0, cut);
            assertThatThrownBy(() -> OffsetsTopicFormat.readGroupMetadataValue(truncated)).isInstanceOf(MalformedMessageException.class);
        }
        for (int cut = 0; cut < offset.length; cut++) {
            ByteBuffer truncated = ByteBuffer.wrap(offset, 0, cut);
            assertThatThrownBy(() -> OffsetsTopicFormat.readOffsetCommitValue(truncated)).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void unknownRecordTypesAreNotOursAndLaterValueVersionsReadAsTheLatest() {
        assertThat(OffsetsTopicFormat.readKey(ByteBuffer.wrap(new byte[] {0, 3, 0, 1, 'g'}))).isNull();
        assertThatThrownBy(() -> OffsetsTopicFormat.readKey(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff})))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> OffsetsTopicFormat.readKey(ByteBuffer.wrap(new byte[] {0, 2, 0, 1, 'g', 0})))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("left over");
        // a v5 value (KIP-915: only tagged fields may be added) with an unknown tagged field
        byte[] v4 = bytes(OffsetsTopicFormat.offsetCommitValue(new OffsetCommitValue(5, 2, "m", 7, -1, null)));
        byte[] v5 = v4.clone();
        v5[1] = 5;
        v5[v5.length - 1] = 1;
        byte[] withTag = java.util.Arrays.copyOf(v5, v5.length + 3);
        withTag[v5.length] = 7;     // tag 7
        withTag[v5.length + 1] = 1; // one byte
        withTag[v5.length + 2] = 42;
        assertThat(OffsetsTopicFormat.readOffsetCommitValue(ByteBuffer.wrap(withTag)).offset()).isEqualTo(5);
    }

    // ---- generators

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', 'é', '字').ofMinLength(0).ofMaxLength(40);
    }

    @Provide
    Arbitrary<OffsetCommitValue> offsetValues() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers(), names(),
            Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(-1, Long.MAX_VALUE).injectDuplicates(0.3),
            Arbitraries.of(true, false)).as((offset, epoch, metadata, commit, expire, withId) ->
            new OffsetCommitValue(offset, epoch, metadata, commit, expire < 0 ? -1 : expire,
                withId ? new UUID(offset, commit) : null));
    }

    @Provide
    Arbitrary<GroupMetadataValue> groupValues() {
        Arbitrary<byte[]> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<MemberMetadata> member = Combinators.combine(names(), names().injectNull(0.5), names(), names(),
            Arbitraries.integers(), Arbitraries.integers(), blobs, blobs).as(MemberMetadata::new);
        return Combinators.combine(names(), Arbitraries.integers(), names().injectNull(0.3), names().injectNull(0.3),
            Arbitraries.longs(), member.list().ofMaxSize(5)).as(GroupMetadataValue::new);
    }
}
