package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code compression.type} at topic level: Apache Kafka's producer sends none, gzip, lz4 and zstd into topics configured
 * for each codec (and "producer"); every stored batch carries the topic's codec (read back from the segment through the
 * log), and Apache Kafka's consumer reads the records the producer sent — keys, values, headers, timestamps. Retries of
 * a re-encoded idempotent batch, driven on the wire, are recognised as duplicates.
 */
class RecompressionIntegrationTest {
    static final int RECORDS = 600;
    static BrokerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new BrokerFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Stream<Arguments> codecs() {
        List<Arguments> all = new ArrayList<>();
        for (String sent : List.of("none", "gzip", "lz4", "zstd")) {
            for (String topic : List.of("uncompressed", "gzip", "lz4", "zstd", "producer")) {
                all.add(Arguments.of(sent, topic));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "producer {0} into compression.type={1}")
    @MethodSource("codecs")
    void storedBatchesCarryTheTopicsCodecAndConsumersReadWhatWasSent(String sent, String topicCodec) throws Exception {
        String topic = "recompress-" + sent + "-" + topicCodec;
        fixture.broker().logs().createTopic(topic, 1, Map.of("compression.type", topicCodec));
        long now = System.currentTimeMillis();
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, sent);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "8192");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, now - RECORDS + i, key(i), value(i));
                record.headers().add(new RecordHeader("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                if (i % 4 == 0) {
                    record.headers().add(new RecordHeader("empty", null));
                }
                producer.send(record);
            }
            producer.flush();
        }

        PartitionLog log = fixture.broker().logs().log(new TopicPartition(topic, 0));
        assertThat(log.logEndOffset()).isEqualTo(RECORDS);
        CompressionType expected = topicCodec.equals("producer") ? CompressionType.forName(sent)
            : topicCodec.equals("uncompressed") ? CompressionType.NONE : CompressionType.forName(topicCodec);
        List<ByteBuffer> batches = StoredRecords.batches(log);
        assertThat(batches).isNotEmpty();
        for (ByteBuffer batch : batches) {
            RecordBatch header = RecordBatch.at(batch, 0);
            assertThat(header.compressionType()).as("stored batch %s", header).isEqualTo(expected);
            assertThat(header.isChecksumValid()).isTrue();
            assertThat(header.producerId()).as("idempotence (the producer's default) is kept").isNotNegative();
        }

        Properties consumerProps = fixture.clientProperties();
        consumerProps.put("max.poll.records", "1000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            int next = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (next < RECORDS) {
                assertThat(System.nanoTime()).as("read back within 60 s").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> read : consumer.poll(Duration.ofMillis(500))) {
                    int i = next++;
                    assertThat(read.offset()).isEqualTo(i);
                    assertThat(read.timestamp()).isEqualTo(now - RECORDS + i);
                    assertThat(read.key()).isEqualTo(key(i));
                    assertThat(read.value()).isEqualTo(value(i));
                    assertThat(read.headers().lastHeader("index").value()).isEqualTo(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                    assertThat(read.headers().toArray()).hasSize(i % 4 == 0 ? 2 : 1);
                    if (i % 4 == 0) {
                        assertThat(read.headers().lastHeader("empty").value()).isNull();
                    }
                }
            }
        }
    }

    @Test
    void aRetryOfARecompressedBatchIsADuplicateAndKeepsItsSequences() throws Exception {
        String topic = "recompress-retry";
        fixture.broker().logs().createTopic(topic, 1, Map.of("compression.type", "zstd", "compression.zstd.level", "7"));
        try (RawClient client = new RawClient(fixture.port())) {
            long[] id = client.initProducerId();
            short epoch = (short) id[1];
            ByteBuffer first = gzipBatch(id[0], epoch, 0, 10);
            ByteBuffer second = RawClient.batch(id[0], epoch, 10, 5);
            assertAppendedAt(produce(client, first.duplicate()), 0);
            assertAppendedAt(produce(client, second.duplicate()), 10);
            assertAppendedAt(produce(client, second.duplicate()), 10); // retry of the last batch
            assertAppendedAt(produce(client, first.duplicate()), 0);   // retry of an older one
            assertAppendedAt(produce(client, RawClient.batch(id[0], epoch, 15, 1)), 15);

            PartitionLog log = fixture.broker().logs().log(new TopicPartition(topic, 0));
            assertThat(log.logEndOffset()).isEqualTo(16);
            List<ByteBuffer> batches = StoredRecords.batches(log);
            assertThat(batches).hasSize(3);
            int[] baseSequences = {0, 10, 15};
            for (int b = 0; b < batches.size(); b++) {
                RecordBatch header = RecordBatch.at(batches.get(b), 0);
                assertThat(header.compressionType()).isEqualTo(CompressionType.ZSTD);
                assertThat(header.producerId()).isEqualTo(id[0]);
                assertThat(header.producerEpoch()).isEqualTo(epoch);
                assertThat(header.baseSequence()).isEqualTo(baseSequences[b]);
            }
            List<Record> stored = StoredRecords.records(log);
            assertThat(stored).extracting(r -> StandardCharsets.UTF_8.decode(r.value()).toString())
                .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(16).map(i -> "v" + i).toList());
            assertThat(stored).extracting(Record::offset).containsExactlyElementsOf(Stream.iterate(0L, i -> i + 1).limit(16).toList());
        }
    }

    @Test
    void aConfigChangeAppliesToNewAppendsOnly() throws Exception {
        String topic = "recompress-change";
        fixture.broker().logs().createTopic(topic, 1, Map.of("compression.type", "lz4"));
        try (RawClient client = new RawClient(fixture.port())) {
            assertAppendedAt(produce(client, topic, RawClient.batch(-1, (short) -1, 0, 3)), 0);
            fixture.broker().logs().setTopicConfig(topic, Map.of("compression.type", "gzip"));
            assertAppendedAt(produce(client, topic, RawClient.batch(-1, (short) -1, 3, 3)), 3);
        }
        List<ByteBuffer> batches = StoredRecords.batches(fixture.broker().logs().log(new TopicPartition(topic, 0)));
        assertThat(batches).extracting(b -> RecordBatch.at(b, 0).compressionType())
            .containsExactly(CompressionType.LZ4, CompressionType.GZIP);
    }

    private static ByteBuffer gzipBatch(long producerId, short epoch, int baseSequence, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.gzip()).producer(producerId, epoch, baseSequence);
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(("v" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private static Struct produce(RawClient client, ByteBuffer batch) throws Exception {
        return produce(client, "recompress-retry", batch);
    }

    private static Struct produce(RawClient client, String topic, ByteBuffer batch) throws Exception {
        return RawClient.onlyPartition(client.call(ApiKey.PRODUCE, (short) 9, RawClient.produce((short) -1, topic, 0, batch)));
    }

    private static void assertAppendedAt(Struct partition, long baseOffset) {
        assertThat(ErrorCode.forCode(RawClient.errorOf(partition))).as(String.valueOf(partition)).isEqualTo(ErrorCode.NONE);
        assertThat(partition.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(baseOffset);
    }

    private static byte[] key(int i) {
        return ("key-" + (i % 17)).getBytes(StandardCharsets.UTF_8);
    }

    /** Compressible but not trivial: a repeated phrase and a few random bytes. */
    private static byte[] value(int i) {
        Random random = new Random(i);
        byte[] tail = new byte[8];
        random.nextBytes(tail);
        String text = ("record " + i + " ").repeat(1 + i % 20);
        byte[] head = text.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[head.length + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(tail, 0, value, head.length, tail.length);
        return value;
    }
}
