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
 * test scope): our bytes equal Kafka's for every version, Kafka reads ours, we read Kafka's, and every
 * truncation is refused.
 */
class OffsetsTopicFormatProperties {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String hex(ByteBuffer b) {
        return HexFormat.of().formatHex(bytes(b));
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
                withId ? new UUID(offset, commit | 1) : null));
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
