package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.ExternalRecords;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two zero-copy paths. Fetch: records given as {@link ExternalRecords} are not copied; the frame is
 * the encoder's bytes with each payload spliced in where the sink was told, and equals the frame with the
 * records inline (and Kafka reads it). Produce: decoded records are slices of the request frame.
 */
class ExternalRecordsTest {

    /** Records held by the test; a broker's would be a (file, position, length) slice of a segment. */
    record Payload(ByteBuffer bytes) implements ExternalRecords {
        @Override
        public int sizeInBytes() {
            return bytes.remaining();
        }
    }

    record Splice(int position, ExternalRecords records) {
    }

    /** Writes the frame the way a broker sends it and returns the bytes a client would receive. */
    static ByteBuffer sendAsBroker(OutboundMessage out, List<Splice> splices) {
        ByteBuffer inline = ByteBuffer.allocate(out.inlineSize());
        out.writeFrame(inline, (position, records) -> splices.add(new Splice(position, records)));
        assertThat(inline.position()).isEqualTo(out.inlineSize());
        ByteBuffer wire = ByteBuffer.allocate(4 + out.size());
        int from = 0;
        for (Splice s : splices) {
            wire.put(inline.duplicate().position(from).limit(s.position()));
            wire.put(((Payload) s.records()).bytes().duplicate());
            from = s.position();
        }
        wire.put(inline.duplicate().position(from).limit(out.inlineSize()));
        assertThat(wire.position()).isEqualTo(wire.limit());
        return wire.flip();
    }

    private static Struct fetchResponse(boolean external) {
        Struct body = FetchResponse.SCHEMA.newStruct();
        for (int t = 0; t < 2; t++) {
            Struct topic = body.add(FetchResponse.RESPONSES).set(FetchableTopicResponse.TOPIC, "topic-" + t);
            for (int p = 0; p < 3; p++) {
                Struct partition = topic.add(FetchableTopicResponse.PARTITIONS).set(PartitionData.PARTITION_INDEX, p)
                    .set(PartitionData.HIGH_WATERMARK, 1000L * p);
                byte[] records = new byte[10 * (t + 1) + p];
                java.util.Arrays.fill(records, (byte) (16 * t + p));
                if (p == 1 && t == 0) {
                    continue; // records left null
                }
                if (external) {
                    partition.set(PartitionData.RECORDS, new Payload(ByteBuffer.wrap(records)));
                } else {
                    partition.set(PartitionData.RECORDS, ByteBuffer.wrap(records));
                }
            }
        }
        return body;
    }

    @Test
    void fetchRecordsAreSplicedNotCopied() {
        for (short v : new short[] {4, 11, 12, 16, 18}) {
            Struct external = fetchResponse(true);
            if (v >= 13) {
                external.get(FetchResponse.RESPONSES).forEach(t -> t.set(FetchableTopicResponse.TOPIC, ""));
            }
            Struct inline = fetchResponse(false);
            if (v >= 13) {
                inline.get(FetchResponse.RESPONSES).forEach(t -> t.set(FetchableTopicResponse.TOPIC, ""));
            }
            OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, v, 77, external);
            assertThat(out.externalSize()).isEqualTo(10 + 12 + 20 + 21 + 22);
            assertThat(out.inlineSize()).isEqualTo(4 + out.size() - out.externalSize());

            List<Splice> splices = new ArrayList<>();
            ByteBuffer received = sendAsBroker(out, splices);
            assertThat(splices).hasSize(5);
            for (int i = 1; i < splices.size(); i++) {
                assertThat(splices.get(i).position()).isGreaterThan(splices.get(i - 1).position());
            }

            OutboundMessage reference = OutboundMessage.response(ApiKey.FETCH, v, 77, inline);
            ByteBuffer expected = ByteBuffer.allocate(reference.inlineSize());
            reference.writeFrame(expected);
            assertThat(received).as("v%d", v).isEqualTo(expected.flip());

            Response decoded = Response.read(received.duplicate().position(4), ApiKey.FETCH, v);
            assertThat(decoded.body()).isEqualTo(inline);
            int headerSize = ApiKey.FETCH.responseHeaderVersion(v) == 1 ? 5 : 4;
            FetchResponseData kafka = new FetchResponseData(new ByteBufferAccessor(received.duplicate().position(4 + headerSize)), v);
            KafkaOracle.assertSameValues(inline, kafka, "FetchResponse v" + v);
        }
    }

    @Test
    void externalRecordsNeedASink() {
        OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, (short) 12, 1, fetchResponse(true));
        assertThatThrownBy(() -> out.writeFrame(ByteBuffer.allocate(out.inlineSize())))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("External records of 10 bytes");
    }

    @Test
    void aFrameDoesNotFitASmallerBuffer() {
        OutboundMessage out = OutboundMessage.response(ApiKey.FETCH, (short) 12, 1, fetchResponse(false));
        assertThatThrownBy(() -> out.writeFrame(ByteBuffer.allocate(out.inlineSize() - 1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("The frame needs " + out.inlineSize() + " bytes but the buffer has " + (out.inlineSize() - 1));
    }

    @Test
    void producedRecordsAreSlicesOfTheRequestFrame() {
        ProduceRequestData kafka = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("orders");
        byte[] records = new byte[200];
        new java.util.Random(1).nextBytes(records);
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(4)
            .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(ByteBuffer.wrap(records))));
        kafka.topicData().add(topic);
        ByteBuffer body = MessageUtil.toByteBufferAccessor(kafka, (short) 11).buffer();
        RequestHeader header = new RequestHeader(ApiKey.PRODUCE, (short) 11, 9, "producer-1");

        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer frame = direct ? ByteBuffer.allocateDirect(header.sizeInBytes() + body.remaining())
                : ByteBuffer.allocate(header.sizeInBytes() + body.remaining());
            header.write(new io.tributary.protocol.message.wire.WireWriter(frame));
            frame.put(body.duplicate()).flip();

            Request request = Request.read(frame.duplicate());
            Struct partition = request.body().get(ProduceRequest.TOPIC_DATA).get(0).get(TopicProduceData.PARTITION_DATA).get(0);
            ByteBuffer slice = partition.get(PartitionProduceData.RECORDS);
            assertThat(slice).isEqualTo(ByteBuffer.wrap(records));
            int at = frame.limit() - records.length - 3; // the records, then the empty tagged fields of partition, topic, request
            frame.put(at, (byte) ~frame.get(at));
            assertThat(slice.get(0)).as("a change to the frame shows through the slice (direct=%s)", direct)
                .isEqualTo((byte) ~records[0]);
            if (!direct) {
                assertThat(slice.array()).isSameAs(frame.array());
            }
        }
    }
}
