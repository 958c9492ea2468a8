package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.BatchIndexAndErrorMessage;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.Records;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Produce requests the broker must refuse, per partition, without losing data or the connection. */
class BadProduceInputTest {
    static final short V = 11;
    BrokerFixture fixture = new BrokerFixture(Map.of());
    RawClient client;

    @BeforeEach
    void setUp() throws Exception {
        fixture.broker().logs().createTopic("good", 2, Map.of());
        fixture.broker().logs().createTopic("small", 1, Map.of("max.message.bytes", "1000"));
        client = new RawClient(fixture.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        fixture.close();
    }

    PartitionLog log(String topic, int partition) {
        return fixture.broker().logs().log(new TopicPartition(topic, partition));
    }

    Struct produceOne(short version, String topic, int partition, ByteBuffer records) throws Exception {
        return RawClient.onlyPartition(client.call(ApiKey.PRODUCE, version, RawClient.produce((short) -1, topic, partition, records)));
    }

    static ErrorCode error(Struct partition) {
        return ErrorCode.forCode(RawClient.errorOf(partition));
    }

    static ByteBuffer plain(int count) {
        return RawClient.batch(-1, (short) -1, -1, count);
    }

    @Test
    void aCorruptBatchFailsOnlyItsPartitionAndLosesNothing() throws Exception {
        assertThat(error(produceOne(V, "good", 0, plain(3)))).isEqualTo(ErrorCode.NONE);
        ByteBuffer corrupt = plain(2);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x40)); // a value byte: CRC no longer matches
        Struct request = RawClient.produce((short) -1, "good", 0, corrupt);
        RawClient.addPartition(request, "good", 1, plain(4));
        List<Struct> topics = client.call(ApiKey.PRODUCE, V, request).get(ProduceResponse.RESPONSES);

        Struct first = topics.get(0).get(TopicProduceResponse.PARTITION_RESPONSES).get(0);
        Struct second = topics.get(1).get(TopicProduceResponse.PARTITION_RESPONSES).get(0);
        assertThat(error(first)).isEqualTo(ErrorCode.CORRUPT_MESSAGE);
        assertThat(first.get(PartitionProduceResponse.ERROR_MESSAGE)).contains("CRC32C");
        assertThat(error(second)).isEqualTo(ErrorCode.NONE);
        assertThat(second.get(PartitionProduceResponse.BASE_OFFSET)).isZero();

        assertThat(log("good", 0).logEndOffset()).isEqualTo(3);
        assertThat(StoredRecords.records(log("good", 0))).hasSize(3);
        assertThat(StoredRecords.records(log("good", 1))).hasSize(4);
        // the same connection keeps working
        Struct after = produceOne(V, "good", 0, plain(1));
        assertThat(error(after)).isEqualTo(ErrorCode.NONE);
        assertThat(after.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(3);
    }

    @Test
    void unknownTopicsPartitionsAndTopicIds() throws Exception {
        assertThat(error(produceOne(V, "missing", 0, plain(1)))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(error(produceOne(V, "good", 2, plain(1)))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(error(produceOne(V, "good", -1, plain(1)))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

        Struct byId = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, (short) 13,
            RawClient.produce((short) -1, UUID.randomUUID(), 0, plain(1))));
        assertThat(error(byId)).isEqualTo(ErrorCode.UNKNOWN_TOPIC_ID);
        UUID known = fixture.broker().logs().topic("good").topicId();
        Struct response = client.call(ApiKey.PRODUCE, (short) 13, RawClient.produce((short) -1, known, 1, plain(2)));
        assertThat(response.get(ProduceResponse.RESPONSES).get(0).get(TopicProduceResponse.TOPIC_ID)).isEqualTo(known);
        assertThat(error(RawClient.onlyPartition(response))).isEqualTo(ErrorCode.NONE);
        assertThat(log("good", 1).logEndOffset()).isEqualTo(2);
    }

    @Test
    void anOversizedBatchIsMessageTooLarge() throws Exception {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        builder.append(1L, null, ByteBuffer.allocate(2000));
        Struct partition = produceOne(V, "small", 0, builder.build());
        assertThat(error(partition)).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(partition.get(PartitionProduceResponse.ERROR_MESSAGE)).contains("max.message.bytes=1000");
        assertThat(log("small", 0).logEndOffset()).isZero();
    }

    @Test
    void invalidAcksAreRefusedForEveryPartition() throws Exception {
        Struct request = RawClient.produce((short) 2, "good", 0, plain(1));
        RawClient.addPartition(request, "good", 1, plain(1));
        for (Struct topic : client.call(ApiKey.PRODUCE, V, request).get(ProduceResponse.RESPONSES)) {
            for (Struct partition : topic.get(TopicProduceResponse.PARTITION_RESPONSES)) {
                assertThat(error(partition)).isEqualTo(ErrorCode.INVALID_REQUIRED_ACKS);
                assertThat(partition.get(PartitionProduceResponse.ERROR_MESSAGE)).contains("acks=2");
            }
        }
        assertThat(log("good", 0).logEndOffset()).isZero();
        assertThat(log("good", 1).logEndOffset()).isZero();
    }

    @Test
    void batchRulesOfKafkaProduceRequests() throws Exception {
        ByteBuffer control = new RecordBatchBuilder(Compression.none()).producer(5, (short) 0, 0).control(true)
            .append(1L, ByteBuffer.wrap(new byte[4]), ByteBuffer.wrap(new byte[6])).build();
        assertThat(error(produceOne(V, "good", 0, control))).isEqualTo(ErrorCode.INVALID_RECORD);

        ByteBuffer transactional = new RecordBatchBuilder(Compression.none()).producer(5, (short) 0, 0).transactional(true)
            .append(1L, null, ByteBuffer.wrap(new byte[6])).build();
        Struct txn = produceOne(V, "good", 0, transactional);
        assertThat(error(txn)).isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(txn.get(PartitionProduceResponse.ERROR_MESSAGE)).contains("names no transactional_id");

        ByteBuffer two = Records.concat(List.of(plain(1), plain(1)));
        assertThat(error(produceOne(V, "good", 0, two))).isEqualTo(ErrorCode.INVALID_RECORD);

        ByteBuffer zstd = new RecordBatchBuilder(Compression.zstd()).append(1L, null, ByteBuffer.wrap(new byte[100])).build();
        assertThat(error(produceOne((short) 6, "good", 0, zstd.duplicate()))).isEqualTo(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
        assertThat(error(produceOne((short) 7, "good", 0, zstd.duplicate()))).isEqualTo(ErrorCode.NONE);

        Struct empty = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V, RawClient.produce((short) -1, "good", 1, null)));
        assertThat(error(empty)).isEqualTo(ErrorCode.INVALID_RECORD);

        // a group look-up made the broker create __consumer_offsets; only its group coordinator writes there
        fixture.awaitOffsetsTopic();
        long offsetsEnd = log("__consumer_offsets", 0).logEndOffset();
        assertThat(error(produceOne(V, "__consumer_offsets", 0, plain(1)))).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(log("__consumer_offsets", 0).logEndOffset()).isEqualTo(offsetsEnd);

        assertThat(log("good", 0).logEndOffset()).as("only the v7 zstd batch").isEqualTo(1);
        assertThat(log("good", 1).logEndOffset()).isZero();
    }

    @Test
    void anInvalidRecordIsNamedByItsIndexInRecordErrors() throws Exception {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < 3; i++) {
            builder.append(1_000L, null, ByteBuffer.wrap(("value" + i).getBytes(StandardCharsets.UTF_8)));
        }
        ByteBuffer batch = builder.build();
        // record 1's offset delta (zigzag varint 1 = 0x02) becomes 3 (0x06); the CRC is made to match again
        int record1 = RecordBatch.RECORDS_OFFSET + 1 + batch.get(RecordBatch.RECORDS_OFFSET) / 2;
        int offsetDeltaAt = record1 + 1 + 1 + 1;
        assertThat(batch.get(offsetDeltaAt)).isEqualTo((byte) 0x02);
        batch.put(offsetDeltaAt, (byte) 0x06);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());

        Struct partition = produceOne(V, "good", 0, batch);
        assertThat(error(partition)).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(partition.get(PartitionProduceResponse.RECORD_ERRORS)).singleElement().satisfies(e -> {
            assertThat(e.get(BatchIndexAndErrorMessage.BATCH_INDEX)).isEqualTo(1);
            assertThat(e.get(BatchIndexAndErrorMessage.BATCH_INDEX_ERROR_MESSAGE)).contains("offset delta 3");
        });
        assertThat(log("good", 0).logEndOffset()).isZero();
    }

    @Test
    void acksZeroIsNotAnsweredAndAnErrorClosesTheConnection() throws Exception {
        client.send(ApiKey.PRODUCE, V, RawClient.produce((short) 0, "good", 0, plain(2)));
        Struct next = produceOne(V, "good", 0, plain(1));
        assertThat(error(next)).as("the first answer on the wire is the acks=-1 request's").isEqualTo(ErrorCode.NONE);
        assertThat(next.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(2);

        client.send(ApiKey.PRODUCE, V, RawClient.produce((short) 0, "missing", 0, plain(1)));
        assertThat(client.closedByBroker()).isTrue();
    }

    @Test
    void theRequestsTransactionalIdAloneChangesNothing() throws Exception {
        Struct request = RawClient.produce((short) -1, "good", 0, plain(1)).set(ProduceRequest.TRANSACTIONAL_ID, "txn-a");
        assertThat(error(RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V, request)))).isEqualTo(ErrorCode.NONE);
    }
}
