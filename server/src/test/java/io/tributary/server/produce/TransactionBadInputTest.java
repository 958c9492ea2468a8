package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the transaction APIs over a raw connection, each answered with Kafka's error code and losing nothing
 * already committed: EndTxn for an unknown transactional id, AddPartitionsToTxn with a stale epoch, a transactional
 * batch to a partition its transaction never added (protocol 1: Produce v11), a transaction.timeout.ms above
 * transaction.max.timeout.ms; and a hanging transaction (data in a partition that no coordinator knows) found with
 * DescribeProducers and aborted as Kafka's kafka-transactions tool does (Admin.abortTransaction: WriteTxnMarkers).
 */
class TransactionBadInputTest {
    private static final String TOPIC = "bad";
    private final BrokerFixture fixture = new BrokerFixture(Map.of("transaction.state.log.num.partitions", "2",
        "offsets.topic.num.partitions", "2", "transaction.max.timeout.ms", "60000"));

    @AfterEach
    void close() {
        fixture.close();
    }

    private PartitionLog log() {
        return fixture.broker().logs().log(new TopicPartition(TOPIC, 0));
    }

    private static Struct init(RawClient client, String id, int timeoutMs) throws Exception {
        return client.call(ApiKey.INIT_PRODUCER_ID, (short) 5, InitProducerIdRequest.SCHEMA.newStruct()
            .set(InitProducerIdRequest.TRANSACTIONAL_ID, id).set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, timeoutMs));
    }

    private static short addPartition(RawClient client, short version, String id, long producerId, short epoch) throws Exception {
        Struct request = AddPartitionsToTxnRequest.SCHEMA.newStruct()
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID, id)
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_ID, producerId)
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_EPOCH, epoch);
        request.add(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS).set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME, TOPIC)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.PARTITIONS, 0);
        Struct response = client.call(ApiKey.ADD_PARTITIONS_TO_TXN, version, request);
        return response.get(AddPartitionsToTxnResponse.RESULTS_BY_TOPIC_V3_AND_BELOW).get(0)
            .get(AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION).get(0)
            .get(AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE);
    }

    private static short endTxn(RawClient client, short version, String id, long producerId, short epoch, boolean commit) throws Exception {
        return client.call(ApiKey.END_TXN, version, EndTxnRequest.SCHEMA.newStruct().set(EndTxnRequest.TRANSACTIONAL_ID, id)
            .set(EndTxnRequest.PRODUCER_ID, producerId).set(EndTxnRequest.PRODUCER_EPOCH, epoch).set(EndTxnRequest.COMMITTED, commit))
            .get(EndTxnResponse.ERROR_CODE);
    }

    private static ByteBuffer transactional(long producerId, short epoch, int sequence, String value) {
        return new RecordBatchBuilder(Compression.none()).producer(producerId, epoch, sequence).transactional(true)
            .append(System.currentTimeMillis(), null, ByteBuffer.wrap(value.getBytes())).build();
    }

    private static short produceTransactional(RawClient client, short version, String id, ByteBuffer batch) throws Exception {
        Struct request = RawClient.produce((short) -1, TOPIC, 0, batch).set(ProduceRequest.TRANSACTIONAL_ID, id);
        return RawClient.errorOf(RawClient.onlyPartition(client.call(ApiKey.PRODUCE, version, request)));
    }

    /**
     * As a client's FindCoordinator does: __transaction_state is created on the first look-up (as in Kafka), and the
     * raw requests below go straight to this broker, so they wait until it coordinates each of their ids.
     */
    private void awaitCoordinatorOf(String... transactionalIds) {
        try (Admin admin = fixture.admin()) {
            for (String id : transactionalIds) {
                Await.until("the transaction coordinator to serve " + id, Duration.ofSeconds(60), () -> {
                    try {
                        admin.describeTransactions(List.of(id)).description(id).get(20, TimeUnit.SECONDS);
                        return true;
                    } catch (java.util.concurrent.ExecutionException e) {
                        // not found: the coordinator of its partition is loaded and answers for it
                        return e.getCause() instanceof org.apache.kafka.common.errors.TransactionalIdNotFoundException;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
    }

    @Test
    void badTransactionRequestsGetKafkasCodesAndLoseNothingCommitted() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        awaitCoordinatorOf("nobody", "too-long", "txn");
        try (RawClient client = new RawClient(fixture.port())) {
            // EndTxn for a transactional id the coordinator never saw
            assertThat(endTxn(client, (short) 4, "nobody", 42, (short) 0, true)).isEqualTo(ErrorCode.INVALID_PRODUCER_ID_MAPPING.code());

            // transaction.timeout.ms above transaction.max.timeout.ms
            assertThat(init(client, "too-long", 60_001).get(InitProducerIdResponse.ERROR_CODE))
                .isEqualTo(ErrorCode.INVALID_TRANSACTION_TIMEOUT.code());

            // a committed transaction first (protocol 1: AddPartitionsToTxn v3, Produce v11, EndTxn v4)
            Struct granted = init(client, "txn", 30_000);
            long producerId = granted.get(InitProducerIdResponse.PRODUCER_ID);
            short epoch = granted.get(InitProducerIdResponse.PRODUCER_EPOCH);
            assertThat(addPartition(client, (short) 3, "txn", producerId, epoch)).isEqualTo(ErrorCode.NONE.code());
            assertThat(produceTransactional(client, (short) 11, "txn", transactional(producerId, epoch, 0, "kept"))).isEqualTo(ErrorCode.NONE.code());
            assertThat(endTxn(client, (short) 4, "txn", producerId, epoch, true)).isEqualTo(ErrorCode.NONE.code());
            long committedEnd = log().logEndOffset();
            assertThat(log().lastStableOffset()).isEqualTo(committedEnd);

            // a transactional batch for a partition the (new) transaction never added: INVALID_TXN_STATE, nothing written
            assertThat(produceTransactional(client, (short) 11, "txn", transactional(producerId, epoch, 1, "unadded")))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE.code());
            // ... and without a transactional id in the request
            assertThat(produceTransactional(client, (short) 11, null, transactional(producerId, epoch, 1, "no-id")))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE.code());
            assertThat(log().logEndOffset()).isEqualTo(committedEnd);

            // a new producer of the id bumps the epoch: the old epoch is stale
            Struct again = init(client, "txn", 30_000);
            assertThat(again.get(InitProducerIdResponse.PRODUCER_EPOCH)).isEqualTo((short) (epoch + 1));
            assertThat(addPartition(client, (short) 3, "txn", producerId, epoch)).isEqualTo(ErrorCode.PRODUCER_FENCED.code());
            assertThat(addPartition(client, (short) 1, "txn", producerId, epoch)).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH.code());
            assertThat(endTxn(client, (short) 4, "txn", producerId, epoch, true)).isEqualTo(ErrorCode.PRODUCER_FENCED.code());
            // EndTxn with no transaction open (protocol 1)
            assertThat(endTxn(client, (short) 4, "txn", producerId, (short) (epoch + 1), true)).isEqualTo(ErrorCode.INVALID_TXN_STATE.code());

            assertThat(log().logEndOffset()).isEqualTo(committedEnd);
            assertThat(log().lastStableOffset()).isEqualTo(committedEnd);
        }
    }

    @Test
    void aHangingTransactionIsListedByDescribeProducersAndAbortedByTheAdminClient() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        // data of a transaction no coordinator knows (its coordinator's state was lost): it holds the LSO back forever
        PartitionLog log = log();
        log.append(transactional(777, (short) 3, 0, "hanging"), LeaderEpochs.SINGLE_BROKER);
        assertThat(log.lastStableOffset()).isZero();
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(TOPIC, 0);
        try (Admin admin = fixture.admin()) {
            List<ProducerState> producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get(30, TimeUnit.SECONDS).activeProducers();
            assertThat(producers).hasSize(1);
            ProducerState hanging = producers.get(0);
            assertThat(hanging.producerId()).isEqualTo(777);
            assertThat(hanging.producerEpoch()).isEqualTo(3);
            assertThat(hanging.currentTransactionStartOffset()).hasValue(0L);

            // kafka-transactions.sh abort --topic bad --partition 0 --producer-id 777 --producer-epoch 3 --coordinator-epoch 0
            admin.abortTransaction(new AbortTransactionSpec(tp, 777, (short) 3, 0)).all().get(30, TimeUnit.SECONDS);
        }
        Await.until("the ABORT marker moves the LSO", Duration.ofSeconds(30), () -> log.lastStableOffset() == log.logEndOffset());
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.collectAbortedTransactions(0, 2)).hasSize(1);
    }
}
