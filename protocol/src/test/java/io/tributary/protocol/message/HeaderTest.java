package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.UnsupportedVersionException;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.RawTaggedField;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request headers v0-v2 and response headers v0-v1, byte for byte with Kafka's header classes where Kafka
 * still defines them, and whole frames (size, header, body) of every API version.
 */
class HeaderTest {
    private static final String[] CLIENT_IDS = {null, "", "console-producer", "rdkafka", "клиент-\uD83D\uDE00"};

    private static ByteBuffer kafkaBytes(Message m, short version) {
        return MessageUtil.toByteBufferAccessor(m, version).buffer();
    }

    private static List<RawTaggedField> rawTags(int... tags) {
        List<RawTaggedField> list = new ArrayList<>();
        for (int tag : tags) {
            list.add(new RawTaggedField(tag, ByteBuffer.wrap(new byte[] {(byte) tag, 1, 2})));
        }
        return list;
    }

    /** Kafka 4.3 defines request header v1 and v2 only (v0 went with ControlledShutdown v0). */
    @Test
    void requestHeaderV1AndV2() {
        for (short hv = 1; hv <= 2; hv++) {
            for (String clientId : CLIENT_IDS) {
                List<RawTaggedField> tags = hv == 2 && clientId != null && clientId.isEmpty() ? rawTags(3, 40) : List.of();
                RequestHeaderData kafka = new RequestHeaderData().setRequestApiKey(ApiKey.METADATA.id())
                    .setRequestApiVersion((short) 12).setCorrelationId(-7 + hv).setClientId(clientId);
                for (RawTaggedField t : tags) {
                    byte[] data = new byte[t.data().remaining()];
                    t.data().duplicate().get(data);
                    kafka.unknownTaggedFields().add(new org.apache.kafka.common.protocol.types.RawTaggedField(t.tag(), data));
                }
                ByteBuffer theirs = kafkaBytes(kafka, hv);

                WireReader in = new WireReader(theirs.duplicate());
                RequestHeader ours = RequestHeader.read(in, hv);
                assertThat(in.remaining()).isZero();
                assertThat(ours).isEqualTo(new RequestHeader(ApiKey.METADATA, (short) 12, -7 + hv, clientId, tags));
                assertThat(ours.sizeInBytes(hv)).isEqualTo(theirs.remaining());

                ByteBuffer written = ByteBuffer.allocate(ours.sizeInBytes(hv));
                ours.write(new WireWriter(written), hv);
                assertThat(written.flip()).as("header v%d, client id %s", hv, clientId).isEqualTo(theirs);
                assertThat(new RequestHeaderData(new ByteBufferAccessor(written.duplicate()), hv)).isEqualTo(kafka);
            }
        }
    }

    @Test
    void requestHeaderV0IsKeyVersionAndCorrelationIdOnly() {
        RequestHeader header = new RequestHeader(ApiKey.FETCH, (short) 4, 0x0a0b0c0d, null);
        ByteBuffer written = ByteBuffer.allocate(header.sizeInBytes((short) 0));
        header.write(new WireWriter(written), (short) 0);
        assertThat(written.array()).containsExactly(0, 1, 0, 4, 0x0a, 0x0b, 0x0c, 0x0d);
        WireReader in = new WireReader(written.flip());
        assertThat(RequestHeader.read(in, (short) 0)).isEqualTo(header);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void responseHeaderAtEveryVersion() {
        for (short hv = 0; hv <= 1; hv++) {
            for (List<RawTaggedField> tags : hv == 1 ? List.of(List.<RawTaggedField>of(), rawTags(0, 9)) : List.of(List.<RawTaggedField>of())) {
                ResponseHeaderData kafka = new ResponseHeaderData().setCorrelationId(123456789);
                for (RawTaggedField t : tags) {
                    byte[] data = new byte[t.data().remaining()];
                    t.data().duplicate().get(data);
                    kafka.unknownTaggedFields().add(new org.apache.kafka.common.protocol.types.RawTaggedField(t.tag(), data));
                }
                ByteBuffer theirs = kafkaBytes(kafka, hv);
                ResponseHeader ours = ResponseHeader.read(new WireReader(theirs.duplicate()), hv);
                assertThat(ours).isEqualTo(new ResponseHeader(123456789, tags));
                ByteBuffer written = ByteBuffer.allocate(ours.sizeInBytes(hv));
                ours.write(new WireWriter(written), hv);
                assertThat(written.flip()).isEqualTo(theirs);
            }
        }
    }

    /** A whole frame as Kafka would send it: size, header at the version the API calls for, body. */
    private static ByteBuffer kafkaFrame(Message header, short headerVersion, Message body, short version) {
        ByteBuffer h = kafkaBytes(header, headerVersion);
        ByteBuffer b = kafkaBytes(body, version);
        return ByteBuffer.allocate(4 + h.remaining() + b.remaining()).putInt(h.remaining() + b.remaining()).put(h).put(b).flip();
    }

    @Test
    void framesOfEveryApiVersionUseKafkasHeaderVersions() {
        for (ApiKey api : ApiKey.values()) {
            ApiKeys kafkaApi = ApiKeys.forId(api.id());
            for (short v = api.minVersion(); v <= api.maxVersion(); v++) {
                RequestHeader header = new RequestHeader(api, v, 1000 + v, "c");
                MessageSchema requestSchema = ApiSchemas.request(api);
                OutboundMessage request = OutboundMessage.request(header, requestSchema.newStruct());
                ByteBuffer ours = ByteBuffer.allocate(request.inlineSize());
                request.writeFrame(ours);
                ByteBuffer theirs = kafkaFrame(new RequestHeaderData().setRequestApiKey(api.id()).setRequestApiVersion(v)
                    .setCorrelationId(1000 + v).setClientId("c"), kafkaApi.requestHeaderVersion(v), KafkaOracle.newMessage(api, true), v);
                assertThat(ours.flip()).as("%s v%d request frame", api, v).isEqualTo(theirs);

                Request decoded = Request.read(ours.position(4));
                assertThat(decoded.header()).isEqualTo(header);
                assertThat(decoded.body()).isEqualTo(requestSchema.newStruct());

                OutboundMessage response = OutboundMessage.response(api, v, 1000 + v, ApiSchemas.response(api).newStruct());
                ByteBuffer oursResponse = ByteBuffer.allocate(response.inlineSize());
                response.writeFrame(oursResponse);
                ByteBuffer theirsResponse = kafkaFrame(new ResponseHeaderData().setCorrelationId(1000 + v),
                    kafkaApi.responseHeaderVersion(v), KafkaOracle.newMessage(api, false), v);
                assertThat(oursResponse.flip()).as("%s v%d response frame", api, v).isEqualTo(theirsResponse);
                Response decodedResponse = Response.read(oursResponse.position(4), api, v);
                assertThat(decodedResponse.header().correlationId()).isEqualTo(1000 + v);
            }
        }
    }

    @Test
    void apiVersionsResponsesKeepHeaderV0EvenWhenFlexible() {
        Struct body = ApiVersionsResponse.SCHEMA.newStruct();
        body.add(ApiVersionsResponse.API_KEYS).set(ApiVersionsResponse.ApiVersion.API_KEY, 0)
            .set(ApiVersionsResponse.ApiVersion.MAX_VERSION, 13);
        OutboundMessage out = OutboundMessage.response(ApiKey.API_VERSIONS, (short) 3, 0x01020304, body);
        ByteBuffer frame = ByteBuffer.allocate(out.inlineSize());
        out.writeFrame(frame);
        frame.flip();
        // size, correlation id, then at once the body's error_code: no tagged-field byte in between.
        assertThat(frame.getInt(0)).isEqualTo(frame.limit() - 4);
        assertThat(frame.getInt(4)).isEqualTo(0x01020304);
        assertThat(Arrays.copyOfRange(frame.array(), 8, 12)).containsExactly(0, 0, 2, 0);
        Response decoded = Response.read(frame.position(4), ApiKey.API_VERSIONS, (short) 3);
        assertThat(decoded.body()).isEqualTo(body);
    }

    @Test
    void anUnsupportedVersionHasAReadableHeaderButNoBody() {
        // ApiVersions v5 from a newer client: the header (v2, flexible) still reads, so the broker can answer.
        RequestHeader header = new RequestHeader(ApiKey.API_VERSIONS, (short) 5, 42, "future-client");
        ByteBuffer frame = ByteBuffer.allocate(header.sizeInBytes() + 3);
        header.write(new WireWriter(frame));
        frame.put(new byte[] {3, 'x', 0}).flip();
        assertThat(RequestHeader.read(new WireReader(frame.duplicate()))).isEqualTo(header);
        assertThatThrownBy(() -> Request.read(frame.duplicate()))
            .isInstanceOf(UnsupportedVersionException.class)
            .hasMessageContaining("ApiVersionsRequest version 5")
            .hasMessageContaining("0-4");
    }

    @Test
    void anUnknownApiKeyIsMalformed() {
        ByteBuffer frame = ByteBuffer.allocate(10).putShort((short) 4).putShort((short) 0).putInt(1).putShort((short) -1).flip();
        assertThatThrownBy(() -> Request.read(frame))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessage("RequestHeader: API key 4 is not one this broker serves");
    }

    @Test
    void headerVersionsThatCannotCarryAFieldRefuseIt() {
        RequestHeader withClient = new RequestHeader(ApiKey.FETCH, (short) 4, 1, "c");
        assertThatThrownBy(() -> withClient.write(new WireWriter(ByteBuffer.allocate(64)), (short) 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v0 has no client id");
        ResponseHeader withTags = new ResponseHeader(1, rawTags(1));
        assertThatThrownBy(() -> withTags.write(new WireWriter(ByteBuffer.allocate(64)), (short) 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v0 has no tagged fields");
    }
}
