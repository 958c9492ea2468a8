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

/** The records of __consumer_offsets against layouts checked by hand from Kafka's schemas. */
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

}
