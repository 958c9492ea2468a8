package io.tributary.protocol.message.schema;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.LeaderIdAndEpoch;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The struct API and the rules schema definitions must follow. */
class StructTest {

    @Test
    void aFieldOfAnotherStructIsRefused() {
        Struct request = ProduceRequest.SCHEMA.newStruct();
        assertThatThrownBy(() -> request.get(TopicProduceData.NAME))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Field TopicProduceData.name is not a field of ProduceRequest");
    }

    @Test
    void narrowIntegersAreRangeChecked() {
        Struct request = ProduceRequest.SCHEMA.newStruct();
        assertThat(request.set(ProduceRequest.ACKS, -1).get(ProduceRequest.ACKS)).isEqualTo((short) -1);
        assertThatThrownBy(() -> request.set(ProduceRequest.ACKS, 40000))
            .hasMessage("Value 40000 of ProduceRequest.acks does not fit in an int16");
    }

    @Test
    void newStructsHoldDefaults() {
        Struct partition = PartitionData.SCHEMA.newStruct();
        assertThat(partition.get(PartitionData.LAST_STABLE_OFFSET)).isEqualTo(-1L);
        assertThat(partition.get(PartitionData.RECORDS)).isNull();
        assertThat(partition.get(PartitionData.ABORTED_TRANSACTIONS)).isEmpty();
        assertThat(ProduceRequest.SCHEMA.newStruct().get(ProduceRequest.TRANSACTIONAL_ID)).isNull();
        for (Field<?> f : PartitionData.SCHEMA.fields()) {
            assertThat(partition.hasDefaultValue(f)).as(f.name()).isTrue();
        }
    }

    @Test
    void aStructFieldNotSetEqualsOneOfDefaults() {
        Struct a = PartitionData.SCHEMA.newStruct();
        Struct b = PartitionData.SCHEMA.newStruct();
        b.get(PartitionData.CURRENT_LEADER); // creates and stores a struct of defaults
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.get(PartitionData.CURRENT_LEADER).set(LeaderIdAndEpoch.LEADER_ID, 3);
        assertThat(a).isNotEqualTo(b);
        assertThat(b.hasDefaultValue(PartitionData.CURRENT_LEADER)).isFalse();
    }

    @Test
    void arraysTakeOnlyTheirElementSchema() {
        Struct topic = TopicProduceData.SCHEMA.newStruct();
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.TOPIC_DATA, List.of(topic, ProduceRequest.SCHEMA.newStruct())))
            .hasMessage("Array ProduceRequest.topic_data takes TopicProduceData elements, not ProduceRequest");
        Struct request = ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.TOPIC_DATA, List.of(topic));
        request.add(ProduceRequest.TOPIC_DATA).set(TopicProduceData.NAME, "b");
        assertThat(request.get(ProduceRequest.TOPIC_DATA)).hasSize(2).startsWith(topic);
    }

    @Test
    void nullsAndOverlongStringsAreRefusedWhenEncoding() {
        Struct request = ProduceRequest.SCHEMA.newStruct();
        request.add(ProduceRequest.TOPIC_DATA).set(TopicProduceData.NAME, null);
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.sizeOf(request, (short) 3))
            .hasMessage("Field TopicProduceData.name is null but not nullable at version 3");
        request.get(ProduceRequest.TOPIC_DATA).get(0).set(TopicProduceData.NAME, "x".repeat(32768));
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.sizeOf(request, (short) 3))
            .hasMessageContaining("exceeds the 32767");
    }

    @Test
    void unknownTaggedFieldsNeedAFlexibleVersion() {
        Struct request = ProduceRequest.SCHEMA.newStruct();
        request.addUnknownTaggedField(new RawTaggedField(9, ByteBuffer.wrap(new byte[] {1})));
        assertThat(ProduceRequest.SCHEMA.sizeOf(request, (short) 9)).isPositive();
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.sizeOf(request, (short) 8))
            .isInstanceOf(io.tributary.protocol.UnsupportedVersionException.class)
            .hasMessage("Tagged fields were set in ProduceRequest, but version 8 does not support them");
    }

    @Test
    void versionsOutsideTheApiRangeAreRefused() {
        Struct request = ProduceRequest.SCHEMA.newStruct();
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.sizeOf(request, (short) 2))
            .isInstanceOf(io.tributary.protocol.UnsupportedVersionException.class)
            .hasMessage("ProduceRequest version 2 is outside the supported range 3-13");
        assertThatThrownBy(() -> ProduceRequest.SCHEMA.write(FetchResponse.SCHEMA.newStruct(), (short) 3, new WireWriter(ByteBuffer.allocate(8))))
            .hasMessage("ProduceRequest cannot encode a FetchResponse");
    }

    @Test
    void builtFieldsAreFrozen() {
        assertThatThrownBy(() -> ProduceRequest.ACKS.ignorable())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Field ProduceRequest.acks is frozen; its schema is already built");
    }

    @Test
    void definitionsAreChecked() {
        StructBuilder b = new StructBuilder("Broken");
        b.int32("a", "0+");
        assertThatThrownBy(() -> b.int32("a", "1+")).hasMessage("Struct Broken already has a field a");
        assertThatThrownBy(() -> b.int32("n", "0+").nullable("0+")).hasMessage("Field n is of a type that cannot be null");
        assertThatThrownBy(() -> b.int32("t", "3+").tagged(0, "1+"))
            .hasMessage("Tagged versions 1+ of field t are not within its versions 3+");

        StructBuilder tagged = new StructBuilder("TaggedInRigidVersion");
        tagged.int32("x", "0+").tagged(0);
        StructSchema schema = tagged.build();
        assertThatThrownBy(() -> MessageSchema.request(ApiKey.OFFSET_DELETE, schema))
            .hasMessage("Field TaggedInRigidVersion.x is tagged at version 0, which is not flexible");

        StructBuilder nullDefault = new StructBuilder("NullDefault");
        nullDefault.string("s", "0+").defaultValue(null);
        assertThatThrownBy(nullDefault::build).hasMessage("Field NullDefault.s defaults to null but is never nullable");

        StructSchema shared = new StructBuilder("Shared").build();
        MessageSchema.request(ApiKey.PRODUCE, shared);
        assertThatThrownBy(() -> MessageSchema.response(ApiKey.FETCH, shared))
            .hasMessage("Struct Shared is already used by Produce, so it cannot serve Fetch");
    }

    @Test
    void versionRanges() {
        assertThat(VersionRange.parse("3+").contains((short) 3)).isTrue();
        assertThat(VersionRange.parse("3+").contains((short) 2)).isFalse();
        assertThat(VersionRange.parse("0-8").contains((short) 9)).isFalse();
        assertThat(VersionRange.parse("5").toString()).isEqualTo("5");
        assertThat(VersionRange.parse("none").contains((short) 0)).isFalse();
        assertThat(VersionRange.parse("2-4")).isEqualTo(VersionRange.of((short) 2, (short) 4));
        assertThatThrownBy(() -> VersionRange.parse("x+")).hasMessageContaining("is not N+, N-M, N or none");
        assertThatThrownBy(() -> VersionRange.parse("5-3")).hasMessageContaining("is empty");
    }

    @Test
    void toStringShowsTheValues() {
        Struct request = ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.ACKS, 1);
        request.add(ProduceRequest.TOPIC_DATA).set(TopicProduceData.NAME, "t");
        assertThat(request.toString()).startsWith("ProduceRequest{transactional_id=null, acks=1, timeout_ms=0, topic_data=[TopicProduceData{name=\"t\"");
    }
}
