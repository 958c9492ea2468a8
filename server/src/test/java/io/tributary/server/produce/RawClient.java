package io.tributary.server.produce;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.OutboundMessage;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.Response;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A Kafka client of one socket that sends requests built with our protocol module and reads the answers,
 * one at a time, so tests can send exactly the bytes they mean (retries, gaps, corrupt batches).
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request and returns the body of its response. */
    Struct call(ApiKey api, short version, Struct body) throws IOException {
        int id = send(api, version, body);
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        Response response = Response.read(ByteBuffer.wrap(frame), api, version);
        if (response.header().correlationId() != id) {
            throw new IOException("Response to correlation id " + response.header().correlationId() + ", expected " + id);
        }
        return response.body();
    }

    /** Sends a request without reading anything (acks=0). */
    int send(ApiKey api, short version, Struct body) throws IOException {
        int id = ++correlationId;
        OutboundMessage message = OutboundMessage.request(new RequestHeader(api, version, id, "raw-test"), body);
        ByteBuffer frame = ByteBuffer.allocate(message.inlineSize());
        message.writeFrame(frame);
        out.write(frame.array(), 0, frame.position());
        out.flush();
        return id;
    }

    /** True when the broker closes the connection within the socket timeout without sending anything. */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer
        }
    }

    /** InitProducerId v5 without a transactional id: {producer id, epoch}. */
    long[] initProducerId() throws IOException {
        Struct response = call(ApiKey.INIT_PRODUCER_ID, (short) 5, InitProducerIdRequest.SCHEMA.newStruct()
            .set(InitProducerIdRequest.TRANSACTIONAL_ID, (String) null)
            .set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, 60_000));
        if (response.get(InitProducerIdResponse.ERROR_CODE) != 0) {
            throw new IOException("InitProducerId failed with error " + response.get(InitProducerIdResponse.ERROR_CODE));
        }
        return new long[] {response.get(InitProducerIdResponse.PRODUCER_ID), response.get(InitProducerIdResponse.PRODUCER_EPOCH)};
    }

    /** A produce request body for one partition of a topic named by name (v3-12). */
    static Struct produce(short acks, String topic, int partition, ByteBuffer records) {
        Struct request = ProduceRequest.SCHEMA.newStruct()
            .set(ProduceRequest.ACKS, acks)
            .set(ProduceRequest.TIMEOUT_MS, 30_000);
        addPartition(request, topic, partition, records);
        return request;
    }

    /** A produce request body for one partition of a topic named by id (v13+). */
    static Struct produce(short acks, UUID topicId, int partition, ByteBuffer records) {
        Struct request = ProduceRequest.SCHEMA.newStruct()
            .set(ProduceRequest.ACKS, acks)
            .set(ProduceRequest.TIMEOUT_MS, 30_000);
        request.add(ProduceRequest.TOPIC_DATA).set(TopicProduceData.TOPIC_ID, topicId)
            .add(TopicProduceData.PARTITION_DATA).set(PartitionProduceData.INDEX, partition).set(PartitionProduceData.RECORDS, records);
        return request;
    }

    static void addPartition(Struct request, String topic, int partition, ByteBuffer records) {
        request.add(ProduceRequest.TOPIC_DATA).set(TopicProduceData.NAME, topic)
            .add(TopicProduceData.PARTITION_DATA).set(PartitionProduceData.INDEX, partition).set(PartitionProduceData.RECORDS, records);
    }

    /** The response of the only partition of a produce response. */
    static Struct onlyPartition(Struct response) {
        List<Struct> topics = response.get(ProduceResponse.RESPONSES);
        if (topics.size() != 1 || topics.get(0).get(TopicProduceResponse.PARTITION_RESPONSES).size() != 1) {
            throw new AssertionError("expected one partition in " + response);
        }
        return topics.get(0).get(TopicProduceResponse.PARTITION_RESPONSES).get(0);
    }

    static short errorOf(Struct partitionResponse) {
        return partitionResponse.get(PartitionProduceResponse.ERROR_CODE);
    }

    /** An uncompressed batch of {@code count} records "v{seq}" of a producer (or of none, producerId -1). */
    static ByteBuffer batch(long producerId, short epoch, int baseSequence, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        if (producerId >= 0) {
            builder.producer(producerId, epoch, baseSequence);
        }
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(("v" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
