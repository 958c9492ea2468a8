package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceResponse.BatchIndexAndErrorMessage;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.BrokerFixture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a Produce request whose batch has a correct CRC32C and a compression flag over bytes that are not what
 * the flag promises (garbage, a truncated stream, a decompression bomb, records that disagree with the header) is
 * refused, nothing of it is stored, and Apache Kafka's consumer still reads the partition from offset 0 to its
 * end. The same for CreateTime timestamps just inside and just outside the topic's window.
 */
class CompressedPayloadProperties {
    static final short V = 11;
    static final String PAYLOADS = "payloads";
    static final String WINDOW = "window";
    static final long WINDOW_MS = 600_000;
    static final int MAX_DECOMPRESSED = 1 << 20;

    static BrokerFixture fixture;
    static RawClient client;
    static KafkaConsumer<byte[], byte[]> consumer;
    static final Map<String, List<String>> stored = Map.of(PAYLOADS, new ArrayList<>(), WINDOW, new ArrayList<>());
    static int sequence;

    @BeforeContainer
    static void start() throws IOException {
        fixture = new BrokerFixture(Map.of("log.decompressed.batch.max.bytes", Integer.toString(MAX_DECOMPRESSED)));
        fixture.broker().logs().createTopic(PAYLOADS, 1, Map.of());
        fixture.broker().logs().createTopic(WINDOW, 1, Map.of("message.timestamp.before.max.ms", Long.toString(WINDOW_MS),
            "message.timestamp.after.max.ms", Long.toString(WINDOW_MS)));
        client = new RawClient(fixture.port());
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "payload-reader");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterContainer
    static void stop() throws IOException {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        if (client != null) {
            client.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    enum Damage { GARBAGE, TRUNCATED, ZERO_BOMB, RECORD_BOMB, COUNT_TOO_HIGH, COUNT_TOO_LOW, TRAILING_GARBAGE, BAD_OFFSET_DELTA }

    @Provide
    Arbitrary<CompressionType> codecs() {
        return Arbitraries.of(CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD);
    }

    @Property(tries = 40)
    void aDamagedCompressedBatchIsRefusedAndThePartitionStaysReadable(@ForAll("codecs") CompressionType codec,
                                                                      @ForAll Damage damage, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        PartitionLog log = log(PAYLOADS);
        long endBefore = log.logEndOffset();
        long sizeBefore = log.sizeInBytes();

        Struct answer = produce(PAYLOADS, damaged(codec, damage, random));

        assertThat(ErrorCode.forCode(RawClient.errorOf(answer))).as("%s %s", codec, damage)
            .isIn(ErrorCode.CORRUPT_MESSAGE, ErrorCode.INVALID_RECORD);
        assertThat(answer.get(PartitionProduceResponse.ERROR_MESSAGE)).isNotBlank();
        assertThat(log.logEndOffset()).isEqualTo(endBefore);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);

        appendGood(PAYLOADS, codec, System.currentTimeMillis(), endBefore);
        assertConsumerReadsToTheEnd(PAYLOADS);
    }

    @Property(tries = 20)
    void timestampsAtTheEdgesOfTheWindow(@ForAll("codecs") CompressionType codec, @ForAll boolean future,
                                         @ForAll boolean inside, @ForAll("margins") long margin) throws Exception {
        PartitionLog log = log(WINDOW);
        long endBefore = log.logEndOffset();
        long now = System.currentTimeMillis();
        // The margin (30-120 s) dwarfs the time between this clock read and the broker's.
        long distance = inside ? WINDOW_MS - margin : WINDOW_MS + margin;
        long edge = future ? now + distance : now - distance;
        List<String> values = List.of("w" + sequence++, "w" + sequence++, "w" + sequence++);
        ByteBuffer batch = batch(codec, new long[] {now, edge, now}, values);

        Struct answer = produce(WINDOW, batch);
        if (inside) {
            assertThat(ErrorCode.forCode(RawClient.errorOf(answer))).isEqualTo(ErrorCode.NONE);
            assertThat(answer.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(endBefore);
            stored.get(WINDOW).addAll(values);
        } else {
            assertThat(ErrorCode.forCode(RawClient.errorOf(answer))).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
            assertThat(answer.get(PartitionProduceResponse.RECORD_ERRORS)).singleElement().satisfies(error -> {
                assertThat(error.get(BatchIndexAndErrorMessage.BATCH_INDEX)).as("the record's index in the batch").isEqualTo(1);
                assertThat(error.get(BatchIndexAndErrorMessage.BATCH_INDEX_ERROR_MESSAGE)).contains("Timestamp " + edge);
            });
            assertThat(log.logEndOffset()).isEqualTo(endBefore);
        }
        assertConsumerReadsToTheEnd(WINDOW);
    }

    @Provide
    Arbitrary<Long> margins() {
        return Arbitraries.longs().between(30_000, 120_000);
    }

    static PartitionLog log(String topic) {
        return fixture.broker().logs().log(new TopicPartition(topic, 0));
    }

    static Struct produce(String topic, ByteBuffer batch) throws IOException {
        return RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V, RawClient.produce((short) -1, topic, 0, batch)));
    }

    /** Appends two well-formed records compressed with {@code codec}; they must land at {@code expectedOffset}. */
    static void appendGood(String topic, CompressionType codec, long timestamp, long expectedOffset) throws IOException {
        List<String> values = List.of("g" + sequence++, "g" + sequence++);
        Struct answer = produce(topic, batch(codec, new long[] {timestamp, timestamp}, values));
        assertThat(ErrorCode.forCode(RawClient.errorOf(answer))).isEqualTo(ErrorCode.NONE);
        assertThat(answer.get(PartitionProduceResponse.BASE_OFFSET)).isEqualTo(expectedOffset);
        stored.get(topic).addAll(values);
    }

    /** Kafka's consumer reads the partition from offset 0 and gets exactly the stored records, up to the end. */
    static void assertConsumerReadsToTheEnd(String topic) {
        org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        List<String> expected = stored.get(topic);
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (read.size() < expected.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                read.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        assertThat(read).isEqualTo(expected);
        assertThat(consumer.position(partition)).isEqualTo(log(topic).logEndOffset());
    }

    static ByteBuffer batch(CompressionType codec, long[] timestamps, List<String> values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.of(codec));
        for (int i = 0; i < values.size(); i++) {
            builder.append(timestamps[i], null, ByteBuffer.wrap(values.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    /** A batch flagged {@code codec} whose records section is damaged as {@code damage} says, with a matching CRC. */
    static ByteBuffer damaged(CompressionType codec, Damage damage, Random random) {
        long now = System.currentTimeMillis();
        int count = 1 + random.nextInt(20);
        byte[] records = uncompressedSection(count, random.nextInt(200), now);
        byte[] payload;
        int declared = count;
        switch (damage) {
            case GARBAGE -> {
                payload = new byte[random.nextInt(2000)];
                random.nextBytes(payload);
            }
            case TRUNCATED -> {
                byte[] whole = compress(codec, records);
                payload = Arrays.copyOf(whole, random.nextInt(whole.length));
            }
            case ZERO_BOMB -> payload = compress(codec, new byte[(4 + random.nextInt(12)) << 20]);
            case RECORD_BOMB -> {
                // one well-formed record whose value alone is larger than the decompression limit
                declared = 1;
                payload = compress(codec, uncompressedSection(1, MAX_DECOMPRESSED + random.nextInt(MAX_DECOMPRESSED), now));
            }
            case COUNT_TOO_HIGH -> {
                declared = count + 1 + random.nextInt(3);
                payload = compress(codec, records);
            }
            case COUNT_TOO_LOW -> {
                records = uncompressedSection(count + 1, 20, now);
                payload = compress(codec, records);
            }
            case TRAILING_GARBAGE -> {
                byte[] garbage = new byte[1 + random.nextInt(50)];
                random.nextBytes(garbage);
                byte[] joined = Arrays.copyOf(records, records.length + garbage.length);
                System.arraycopy(garbage, 0, joined, records.length, garbage.length);
                payload = compress(codec, joined);
            }
            case BAD_OFFSET_DELTA -> {
                // record 0's offset delta (its 4th byte after a 1-byte length, attributes and a 1-byte timestamp delta)
                // becomes 5 (zigzag 10)
                records = uncompressedSection(count, 10, now);
                records[3] = 10;
                payload = compress(codec, records);
            }
            default -> throw new IllegalStateException();
        }
        return withHeader(codec, payload, declared, now);
    }

    static byte[] uncompressedSection(int count, int valueSize, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, null, ByteBuffer.wrap(new byte[valueSize]));
        }
        ByteBuffer batch = builder.build();
        byte[] section = new byte[batch.remaining() - RecordBatch.HEADER_SIZE];
        batch.position(RecordBatch.HEADER_SIZE).get(section);
        return section;
    }

    static byte[] compress(CompressionType codec, byte[] section) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Compression.of(codec).compress(ByteBuffer.wrap(section), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static ByteBuffer withHeader(CompressionType codec, byte[] payload, int count, long timestamp) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + payload.length);
        batch.putLong(0L).putInt(RecordBatch.HEADER_SIZE + payload.length - RecordBatch.LOG_OVERHEAD).putInt(-1)
            .put(RecordBatch.MAGIC).putInt(0).putShort((short) codec.id).putInt(count - 1).putLong(timestamp)
            .putLong(timestamp).putLong(RecordBatch.NO_PRODUCER_ID).putShort(RecordBatch.NO_PRODUCER_EPOCH)
            .putInt(RecordBatch.NO_SEQUENCE).putInt(count).put(payload);
        batch.flip();
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());
        return batch;
    }
}
