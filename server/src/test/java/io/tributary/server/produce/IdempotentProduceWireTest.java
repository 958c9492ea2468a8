package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.Record;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotent producers at the wire level: retries, gaps, fencing, and state across restarts. */
class IdempotentProduceWireTest {
    static final String TOPIC = "idem";
    static final short V = 9; // by name, flexible, with error_message
    BrokerFixture fixture = new BrokerFixture(Map.of());

    @BeforeEach
    void createTopic() {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    PartitionLog log() {
        return fixture.broker().logs().log(new TopicPartition(TOPIC, 0));
    }

    Struct produce(RawClient client, long pid, short epoch, int seq, int count) throws IOException {
        return produce(client, V, pid, epoch, seq, count);
    }

    Struct produce(RawClient client, short version, long pid, short epoch, int seq, int count) throws IOException {
        ByteBuffer batch = RawClient.batch(pid, epoch, seq, count);
        Struct request = version >= 13
            ? RawClient.produce((short) -1, fixture.broker().logs().topic(TOPIC).topicId(), 0, batch)
            : RawClient.produce((short) -1, TOPIC, 0, batch);
        return RawClient.onlyPartition(client.call(ApiKey.PRODUCE, version, request));
    }

    static void assertAppendedAt(Struct partition, long baseOffset) {
        assertThat(ErrorCode.forCode(RawClient.errorOf(partition))).as(String.valueOf(partition)).isEqualTo(ErrorCode.NONE);
        assertThat(partition.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(baseOffset);
    }

    static void assertError(Struct partition, ErrorCode expected) {
        assertThat(ErrorCode.forCode(RawClient.errorOf(partition))).as(String.valueOf(partition)).isEqualTo(expected);
        assertThat(partition.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(-1L);
    }

    @Test
    void aResentBatchIsAnsweredWithItsOriginalOffsetAndStoredOnce() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            long[] id = client.initProducerId();
            assertThat(id[1]).isZero();
            short epoch = (short) id[1];
            assertAppendedAt(produce(client, id[0], epoch, 0, 10), 0);
            assertAppendedAt(produce(client, id[0], epoch, 10, 5), 10);
            assertAppendedAt(produce(client, id[0], epoch, 10, 5), 10); // retry of the last batch
            assertAppendedAt(produce(client, id[0], epoch, 0, 10), 0);  // retry of an older one of the last five
            assertAppendedAt(produce(client, id[0], epoch, 15, 1), 15);

            assertThat(log().logEndOffset()).isEqualTo(16);
            List<Record> stored = StoredRecords.records(log());
            assertThat(stored).extracting(r -> StandardCharsets.UTF_8.decode(r.value()).toString())
                .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(16).map(i -> "v" + i).toList());
        }
    }

    @Test
    void aSequenceGapIsRefusedAndNothingIsWritten() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            long[] id = client.initProducerId();
            short epoch = (short) id[1];
            assertAppendedAt(produce(client, id[0], epoch, 0, 3), 0);
            Struct gap = produce(client, id[0], epoch, 5, 2);
            assertError(gap, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(gap.get(PartitionProduceResponse.ERROR_MESSAGE)).contains("starts at 5", "expected 3");
            assertThat(log().logEndOffset()).isEqualTo(3);
            // The connection and the producer carry on at the expected sequence.
            assertAppendedAt(produce(client, id[0], epoch, 3, 2), 3);
        }
    }

    @Test
    void epochRulesFenceOldEpochsAndNewEpochsStartAtZero() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            long pid = client.initProducerId()[0];
            assertAppendedAt(produce(client, pid, (short) 0, 0, 2), 0);
            assertError(produce(client, pid, (short) 1, 2, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertAppendedAt(produce(client, pid, (short) 1, 0, 1), 2);
            assertError(produce(client, pid, (short) 0, 2, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
            // a retry of a batch of the old epoch is no longer recognised: the epoch is fenced
            assertError(produce(client, pid, (short) 0, 0, 2), ErrorCode.INVALID_PRODUCER_EPOCH);
            assertThat(log().logEndOffset()).isEqualTo(3);
        }
    }

    @Test
    void anUnknownProducerMustStartAtSequenceZero() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            assertError(produce(client, (short) 13, 424_242L, (short) 0, 5, 1), ErrorCode.UNKNOWN_PRODUCER_ID);
            assertError(produce(client, (short) 4, 424_242L, (short) 0, 5, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(log().logEndOffset()).isZero();
            assertAppendedAt(produce(client, (short) 3, 424_242L, (short) 0, 0, 1), 0);
        }
    }

    @Test
    void producerStateSurvivesACleanRestartThroughItsSnapshot() throws Exception {
        long[] id;
        try (RawClient client = new RawClient(fixture.port())) {
            id = client.initProducerId();
            assertAppendedAt(produce(client, id[0], (short) id[1], 0, 4), 0);
            assertAppendedAt(produce(client, id[0], (short) id[1], 4, 4), 4);
        }
        fixture.restart();
        assertThat(snapshots()).as("a clean stop writes a snapshot at the log end").containsExactly("00000000000000000008.snapshot");
        assertRetriesAfterRestartKeepTheirOffsets(id);
    }

    @Test
    void producerStateIsRebuiltFromTheLogWithoutASnapshot() throws Exception {
        long[] id;
        try (RawClient client = new RawClient(fixture.port())) {
            id = client.initProducerId();
            assertAppendedAt(produce(client, id[0], (short) id[1], 0, 4), 0);
            assertAppendedAt(produce(client, id[0], (short) id[1], 4, 4), 4);
        }
        fixture.broker().close();
        for (String snapshot : snapshots()) {
            Files.delete(log().dir().resolve(snapshot));
        }
        fixture.start();
        assertRetriesAfterRestartKeepTheirOffsets(id);
    }

    private void assertRetriesAfterRestartKeepTheirOffsets(long[] id) throws IOException {
        try (RawClient client = new RawClient(fixture.port())) {
            assertAppendedAt(produce(client, id[0], (short) id[1], 4, 4), 4);
            assertAppendedAt(produce(client, id[0], (short) id[1], 0, 4), 0);
            assertError(produce(client, id[0], (short) id[1], 9, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertAppendedAt(produce(client, id[0], (short) id[1], 8, 1), 8);
            long[] next = client.initProducerId();
            assertThat(next[0]).as("producer ids are never reused across restarts").isNotEqualTo(id[0]);
        }
        assertThat(log().logEndOffset()).isEqualTo(9);
    }

    private List<String> snapshots() throws IOException {
        Path dir = log().dir();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snapshot")).sorted().toList();
        }
    }

    @Test
    void logAppendTimeIsAnsweredAndRepeatedForARetry() throws Exception {
        fixture.broker().logs().createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        try (RawClient client = new RawClient(fixture.port())) {
            long[] id = client.initProducerId();
            long before = System.currentTimeMillis();
            Struct first = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V,
                RawClient.produce((short) -1, "stamped", 0, RawClient.batch(id[0], (short) id[1], 0, 3))));
            long appendTime = first.get(PartitionProduceResponse.LOG_APPEND_TIME_MS);
            assertThat(appendTime).isBetween(before, System.currentTimeMillis());
            Struct retry = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V,
                RawClient.produce((short) -1, "stamped", 0, RawClient.batch(id[0], (short) id[1], 0, 3))));
            assertThat(retry.get(PartitionProduceResponse.BASE_OFFSET)).isZero();
            assertThat(retry.get(PartitionProduceResponse.LOG_APPEND_TIME_MS)).isEqualTo(appendTime);
            // create-time topics answer -1
            Struct plain = produce(client, id[0], (short) id[1], 0, 1);
            assertThat(plain.get(PartitionProduceResponse.LOG_APPEND_TIME_MS)).isEqualTo(-1L);
        }
    }

    @Test
    void batchesWithoutAProducerIdAreNeverDeduplicated() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            ByteBuffer batch = RawClient.batch(-1, (short) -1, -1, 2);
            for (long expected : new long[] {0, 2}) {
                Struct partition = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V,
                    RawClient.produce((short) 1, TOPIC, 0, batch.duplicate())));
                assertAppendedAt(partition, expected);
            }
        }
    }
}
