package io.tributary.server.fetch;

import io.tributary.log.LeaderAppend;
import io.tributary.log.MarkerAppend;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsPartitionResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.EndTransactionMarker.ControlType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * read_committed over the wire, with transactions written straight through the log's API (as WriteTxnMarkers
 * will): Fetch stops at the last stable offset and lists the aborted transactions of what it returns, ListOffsets
 * answers the LSO as LATEST, and Apache Kafka's consumer with {@code isolation.level=read_committed} sees exactly
 * the committed records while read_uncommitted sees them all.
 *
 * <p>The partition, offset by offset: 0-1 plain, 2-4 producer 100 (aborted by the marker at 7), 5-6 producer 200
 * (left open), 7 ABORT of 100. LSO 5, log end 8.
 */
class TransactionalFetchTest {
    private static final String TOPIC = "txn";
    private static final long T = System.currentTimeMillis();

    private final BrokerFixture fixture = new BrokerFixture();
    private PartitionLog log;

    @BeforeEach
    void writeTransactions() {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 0));
        append(batch(-1, 0, 2, false, "plain"));
        append(batch(100, 0, 3, true, "aborted"));
        append(batch(200, 0, 2, true, "committed"));
        marker(100, ControlType.ABORT);
        assertThat(log.lastStableOffset()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(8);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static ByteBuffer batch(long producerId, int sequence, int count, boolean transactional, String prefix) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        if (producerId >= 0) {
            builder.producer(producerId, (short) 0, sequence).transactional(transactional);
        }
        for (int i = 0; i < count; i++) {
            builder.append(T, null, ByteBuffer.wrap((prefix + "-" + (sequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private void append(ByteBuffer batch) {
        LeaderAppend appended = log.appendAsLeader(log.validate(batch), LeaderEpochs.SINGLE_BROKER);
        assertThat(appended.appended()).as("appended: %s", appended).isNotNull();
    }

    private void marker(long producerId, ControlType type) {
        MarkerAppend appended = log.appendTransactionMarker(producerId, (short) 0, new EndTransactionMarker(type, 0),
            LeaderEpochs.SINGLE_BROKER);
        assertThat(appended.refusal()).isNull();
    }

    private Struct fetchPartition(int isolationLevel, long offset) {
        Struct request = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName(TOPIC, 0, offset, 1 << 20)))
            .set(FetchRequest.ISOLATION_LEVEL, (byte) isolationLevel);
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct response = raw.call(ApiKey.FETCH, (short) 12, request);
            return response.get(FetchResponse.RESPONSES).get(0).get(FetchableTopicResponse.PARTITIONS).get(0);
        }
    }

    private static long nextOffsetOf(ByteBuffer records) {
        long next = -1;
        int position = records.position();
        while (position < records.limit()) {
            RecordBatch batch = RecordBatch.at(records, position);
            next = batch.nextOffset();
            position += batch.sizeInBytes();
        }
        return next;
    }

    @Test
    void readCommittedFetchStopsAtTheLastStableOffsetWithTheAbortedTransactionsOfItsRange() {
        Struct committed = fetchPartition(1, 0);
        assertThat(committed.get(PartitionData.HIGH_WATERMARK)).isEqualTo(8);
        assertThat(committed.get(PartitionData.LAST_STABLE_OFFSET)).isEqualTo(5);
        assertThat(nextOffsetOf(committed.get(PartitionData.RECORDS))).as("batches up to the LSO only").isEqualTo(5);
        List<Struct> aborted = committed.get(PartitionData.ABORTED_TRANSACTIONS);
        assertThat(aborted).hasSize(1);
        assertThat(aborted.get(0).get(FetchResponse.AbortedTransaction.PRODUCER_ID)).isEqualTo(100);
        assertThat(aborted.get(0).get(FetchResponse.AbortedTransaction.FIRST_OFFSET)).isEqualTo(2);

        Struct atTheLso = fetchPartition(1, 5);
        assertThat(atTheLso.get(PartitionData.RECORDS) == null || !atTheLso.get(PartitionData.RECORDS).hasRemaining()).isTrue();
        assertThat(atTheLso.get(PartitionData.ABORTED_TRANSACTIONS)).isEmpty();

        Struct uncommitted = fetchPartition(0, 0);
        assertThat(uncommitted.get(PartitionData.LAST_STABLE_OFFSET)).as("reported for both isolation levels").isEqualTo(5);
        assertThat(uncommitted.get(PartitionData.ABORTED_TRANSACTIONS)).isNull();
        assertThat(nextOffsetOf(uncommitted.get(PartitionData.RECORDS))).isEqualTo(8);

        marker(200, ControlType.COMMIT);
        Struct afterCommit = fetchPartition(1, 5);
        assertThat(afterCommit.get(PartitionData.LAST_STABLE_OFFSET)).isEqualTo(9);
        assertThat(nextOffsetOf(afterCommit.get(PartitionData.RECORDS))).isEqualTo(9);
        assertThat(afterCommit.get(PartitionData.ABORTED_TRANSACTIONS)).as("producer 100's abort marker (7) is in the range")
            .hasSize(1);
        assertThat(fetchPartition(1, 8).get(PartitionData.ABORTED_TRANSACTIONS)).as("past that marker").isEmpty();
    }

    @Test
    void listOffsetsLatestIsTheLastStableOffsetForReadCommitted() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            for (int isolation = 0; isolation <= 1; isolation++) {
                Struct request = FetchRequests.listOffsets(TOPIC, 0, ListOffsetsHandler.LATEST)
                    .set(ListOffsetsRequest.ISOLATION_LEVEL, (byte) isolation);
                Struct response = raw.call(ApiKey.LIST_OFFSETS, (short) 9, request);
                Struct partition = response.get(ListOffsetsResponse.TOPICS).get(0).get(ListOffsetsTopicResponse.PARTITIONS).get(0);
                assertThat(partition.get(ListOffsetsPartitionResponse.OFFSET)).as("isolation %d", isolation)
                    .isEqualTo(isolation == 1 ? 5 : 8);
            }
        }
    }

    @Test
    void kafkasReadCommittedConsumerSeesOnlyCommittedRecordsAndWaitsAtTheLastStableOffset() {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.endOffsets(List.of(tp))).as("read_committed end offsets are the LSO").containsEntry(tp, 5L);
            List<String> values = values(Consumers.poll(consumer, 2, Duration.ofSeconds(30)));
            assertThat(values).containsExactly("plain-0", "plain-1");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < 5 && System.nanoTime() < deadline) {
                assertThat(consumer.poll(Duration.ofMillis(100))).as("nothing of the aborted transaction").isEmpty();
            }
            assertThat(consumer.position(tp)).as("stops at the LSO while producer 200's transaction is open").isEqualTo(5);
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();

            marker(200, ControlType.COMMIT);
            assertThat(values(Consumers.poll(consumer, 2, Duration.ofSeconds(30)))).containsExactly("committed-0", "committed-1");
        }
    }

    @Test
    void kafkasReadUncommittedConsumerSeesEveryRecord() {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(values(Consumers.poll(consumer, 7, Duration.ofSeconds(30)))).containsExactly("plain-0", "plain-1",
                "aborted-0", "aborted-1", "aborted-2", "committed-0", "committed-1");
        }
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }
}
