package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.metadata.ApiVersionsRequest;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Malformed bodies fail with {@link MalformedMessageException} only, naming where, the bad value and the
 * limit it broke; nothing is allocated at a claimed size.
 */
class MalformedInputTest {

    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    private static void assertMalformed(MessageSchema schema, int version, ByteBuffer body, String message) {
        assertThatThrownBy(() -> schema.read(body, (short) version))
            .isExactlyInstanceOf(MalformedMessageException.class)
            .hasMessage(message);
    }

    @Test
    void arrayCountsBeyondTheRemainingBytes() {
        assertMalformed(MetadataRequest.SCHEMA, 0, bytes(0x7f, 0xff, 0xff, 0xff),
            "MetadataRequest v0 topics: array length 2147483647 needs at least 4294967294 bytes but only 0 remain");
        assertMalformed(MetadataRequest.SCHEMA, 9, bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0),
            "MetadataRequest v9 topics: array length 4294967294 needs at least 8589934588 bytes but only 3 remain");
    }

    @Test
    void negativeAndNullCounts() {
        assertMalformed(MetadataRequest.SCHEMA, 0, bytes(0xff, 0xff, 0xff, 0xff),
            "MetadataRequest v0 topics: array is null but the field is not nullable in this version");
        assertMalformed(MetadataRequest.SCHEMA, 1, bytes(0xff, 0xff, 0xff, 0xfe),
            "MetadataRequest v1 topics: array length -2 is negative");
        Struct nullTopics = MetadataRequest.SCHEMA.read(bytes(0xff, 0xff, 0xff, 0xff), (short) 1);
        assertThat(nullTopics.get(MetadataRequest.TOPICS)).isNull();
    }

    /** Produce v3 up to the records of one partition of topic "t". */
    private static ByteBuffer produceV3(int... recordsPart) {
        ByteBuffer b = ByteBuffer.allocate(64)
            .putShort((short) -1).putShort((short) 1).putInt(1000)
            .putInt(1).putShort((short) 1).put((byte) 't')
            .putInt(1).putInt(0);
        for (int v : recordsPart) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void lengthsBeyondTheRemainingBytesNameTheirPlace() {
        assertMalformed(ProduceRequest.SCHEMA, 3, produceV3(0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5),
            "ProduceRequest v3 topic_data[0].partition_data[0].records: bytes length 2147483647 exceeds the 5 bytes remaining");
        assertMalformed(ProduceRequest.SCHEMA, 3, produceV3(0xff, 0xff, 0xff, 0xfe),
            "ProduceRequest v3 topic_data[0].partition_data[0].records: bytes length -2 is negative");
        assertMalformed(ProduceRequest.SCHEMA, 3, bytes(0x03, 0xe8, 1, 2, 3),
            "ProduceRequest v3 transactional_id: string of length 1000 needs 1000 bytes but only 3 remain");
        assertMalformed(ProduceRequest.SCHEMA, 3, bytes(0xff, 0xfb, 1, 2, 3),
            "ProduceRequest v3 transactional_id: string length -5 is negative");
    }

    @Test
    void aNullWhereTheVersionForbidsIt() {
        ByteBuffer b = ByteBuffer.allocate(32).putShort((short) -1).putShort((short) 1).putInt(1000)
            .putInt(1).putShort((short) -1).putInt(0).flip();
        assertMalformed(ProduceRequest.SCHEMA, 3, b,
            "ProduceRequest v3 topic_data[0].name: string is null but the field is not nullable in this version");
    }

    @Test
    void compactLengthsAndVarints() {
        assertMalformed(ProduceRequest.SCHEMA, 9, bytes(0xff, 0xff, 0xff, 0xff, 0x0f),
            "ProduceRequest v9 transactional_id: string length 4294967294 exceeds the maximum 32767");
        assertMalformed(ProduceRequest.SCHEMA, 9, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
            "ProduceRequest v9 transactional_id: unsigned varint is longer than the 5 bytes an int32 allows");
        assertMalformed(ProduceRequest.SCHEMA, 9, bytes(0x80),
            "ProduceRequest v9 transactional_id: unsigned varint is truncated after 1 bytes");
    }

    @Test
    void taggedFieldSections() {
        // ApiVersions v3 request: client_software_name "a", client_software_version "b", then the tagged fields.
        assertMalformed(ApiVersionsRequest.SCHEMA, 3, bytes(2, 'a', 2, 'b', 0x7f),
            "ApiVersionsRequest v3: tagged field count 127 needs at least 254 bytes but only 0 remain");
        assertMalformed(ApiVersionsRequest.SCHEMA, 3, bytes(2, 'a', 2, 'b', 1, 0, 100, 0),
            "ApiVersionsRequest v3: tagged field 0 has size 100, more than the 1 bytes remaining");
        Struct unknown = ApiVersionsRequest.SCHEMA.read(bytes(2, 'a', 2, 'b', 1, 7, 1, 42), (short) 3);
        assertThat(unknown.unknownTaggedFields()).hasSize(1);
        assertThat(unknown.unknownTaggedFields().get(0).tag()).isEqualTo(7);
    }

    @Test
    void aKnownTaggedFieldMustFillExactlyItsDeclaredSize() {
        // ApiVersions v3 response: error 0, no api keys, throttle 0, then tag 1 (finalized_features_epoch, int64).
        assertMalformed(ApiVersionsResponse.SCHEMA, 3, bytes(0, 0, 1, 0, 0, 0, 0, 1, 1, 9, 0, 0, 0, 0, 0, 0, 0, 5, 0),
            "ApiVersionsResponse v3 finalized_features_epoch: tagged field has size 9 but its value took 8 bytes");
        assertMalformed(ApiVersionsResponse.SCHEMA, 3, bytes(0, 0, 1, 0, 0, 0, 0, 1, 1, 4, 0, 0, 0, 5),
            "ApiVersionsResponse v3 finalized_features_epoch: int64 needs 8 bytes but only 4 remain");
        Struct ok = ApiVersionsResponse.SCHEMA.read(bytes(0, 0, 1, 0, 0, 0, 0, 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 5), (short) 3);
        assertThat(ok.get(ApiVersionsResponse.FINALIZED_FEATURES_EPOCH)).isEqualTo(5L);
    }

    @Test
    void bytesLeftOverAreMalformed() {
        ByteBuffer body = ByteBuffer.allocate(20).putShort((short) 1).put((byte) 'g').putInt(1).putShort((short) 1).put((byte) 'm')
            .put((byte) 99).flip();
        assertMalformed(HeartbeatRequest.SCHEMA, 0, body, "HeartbeatRequest v0: 1 bytes are left over after the message");
    }

    /**
     * Every strict prefix of a valid body fails cleanly: decoding follows the same path as for the whole
     * body until it needs bytes that are not there.
     */
    @TestFactory
    List<DynamicTest> everyTruncationOfEveryApiVersionIsMalformed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey api : ApiKey.values()) {
            for (MessageSchema schema : List.of(ApiSchemas.request(api), ApiSchemas.response(api))) {
                tests.add(DynamicTest.dynamicTest(schema.title(), () -> {
                    StructGenerator generator = new StructGenerator(new Random(schema.title().hashCode()));
                    for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                        for (int sample = 0; sample < 3; sample++) {
                            ByteBuffer whole = KafkaOracle.encode(schema, generator.generate(schema, v), v);
                            for (int cut = 0; cut < whole.limit(); cut++) {
                                ByteBuffer prefix = whole.duplicate().limit(cut);
                                short version = v;
                                Throwable t = catchThrowable(() -> schema.read(prefix, version));
                                assertThat(t).as("%s v%d cut at %d of %d", schema.title(), v, cut, whole.limit())
                                    .isExactlyInstanceOf(MalformedMessageException.class)
                                    .hasMessageStartingWith(schema.title() + " v" + v);
                            }
                        }
                    }
                }));
            }
        }
        return tests;
    }
}
