package io.tributary.server.produce;

import io.tributary.server.Await;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's producer against the broker, for every codec and acks setting: every record is stored
 * once, byte for byte (key, value, headers), and records of one key keep their order. The log is read
 * back directly, through the log's reads and the protocol's record reader, and then through Apache
 * Kafka's consumer (assign + seek), which must see exactly the stored records.
 *
 * <p>acks=all runs with idempotence on (the producer's default); acks 0 and 1 cannot be idempotent, so
 * the producer turns idempotence off for them, as it does by default when acks is not "all".
 */
class KafkaProducerIntegrationTest {
    static final int PARTITIONS = 4;
    static final int KEYS = 37;
    static BrokerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new BrokerFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            for (String acks : List.of("0", "1", "all")) {
                int records = codec.equals("lz4") && acks.equals("all") ? 100_000 : 5_000;
                all.add(Arguments.of(codec, acks, records));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} acks={1} {2} records")
    @MethodSource("configurations")
    void everyRecordIsStoredOnceByteForByteInKeyOrder(String codec, String acks, int count) throws Exception {
        String topic = "produce-" + codec + "-" + acks;
        fixture.broker().logs().createTopic(topic, PARTITIONS, Map.of());
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                Expected e = expected(i);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, e.key, e.value);
                for (Map.Entry<String, byte[]> h : e.headers) {
                    record.headers().add(new RecordHeader(h.getKey(), h.getValue()));
                }
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        failures.add(exception);
                    }
                });
            }
            producer.flush();
        }
        assertThat(failures).isEmpty();
        List<PartitionLog> logs = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            logs.add(fixture.broker().logs().log(new TopicPartition(topic, p)));
        }
        if (acks.equals("0")) {
            // Nothing acknowledges acks=0 records: wait for the broker to have appended them all.
            Await.until("all " + count + " acks=0 records appended", Duration.ofSeconds(30), () -> logs.stream().mapToLong(PartitionLog::logEndOffset).sum() >= count);
        }
        assertThat(logs.stream().mapToLong(PartitionLog::logEndOffset).sum()).isEqualTo(count);

        for (PartitionLog log : logs) {
            for (ByteBuffer batch : StoredRecords.batches(log)) {
                RecordBatch header = RecordBatch.at(batch, 0);
                assertThat(header.compressionType().name()).isEqualToIgnoringCase(codec);
                // idempotence is on exactly when acks=all: then every batch carries the id InitProducerId gave
                assertThat(header.producerId() >= 0).as("producer id %d", header.producerId()).isEqualTo(acks.equals("all"));
            }
        }

        boolean[] seen = new boolean[count];
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Integer> lastIndexOfKey = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (Record stored : StoredRecords.records(logs.get(p))) {
                byte[] value = bytes(stored.value());
                int i = ByteBuffer.wrap(value).getInt();
                assertThat(i).isBetween(0, count - 1);
                assertThat(seen[i]).as("record %d stored twice", i).isFalse();
                seen[i] = true;
                Expected e = expected(i);
                assertThat(bytes(stored.key())).isEqualTo(e.key);
                assertThat(value).isEqualTo(e.value);
                List<Header> headers = stored.headers();
                assertThat(headers).hasSize(e.headers.size());
                for (int h = 0; h < headers.size(); h++) {
                    assertThat(headers.get(h).key()).isEqualTo(e.headers.get(h).getKey());
                    assertThat(headers.get(h).value() == null ? null : bytes(headers.get(h).value())).isEqualTo(e.headers.get(h).getValue());
                }
                String key = new String(e.key, StandardCharsets.UTF_8);
                Integer firstPartition = partitionOfKey.putIfAbsent(key, p);
                assertThat(firstPartition == null || firstPartition == p).as("key %s in one partition", key).isTrue();
                Integer previous = lastIndexOfKey.put(key, i);
                assertThat(previous == null || previous < i).as("key %s: record %d after %d", key, i, previous).isTrue();
            }
        }
        for (int i = 0; i < count; i++) {
            assertThat(seen[i]).as("record %d stored", i).isTrue();
        }
        assertConsumerReadsBackWhatIsStored(topic, logs);
    }

    /** KafkaConsumer (assign + seek) returns exactly the stored records: offsets, keys, values, headers. */
    private static void assertConsumerReadsBackWhatIsStored(String topic, List<PartitionLog> logs) throws Exception {
        Properties props = fixture.clientProperties();
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (int p = 0; p < PARTITIONS; p++) {
                org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, p);
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                List<Record> stored = StoredRecords.records(logs.get(p));
                int next = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (next < stored.size()) {
                    assertThat(System.nanoTime()).as("partition %d read back within 60 s", p).isLessThan(deadline);
                    for (ConsumerRecord<byte[], byte[]> read : consumer.poll(Duration.ofMillis(500))) {
                        Record expected = stored.get(next++);
                        assertThat(read.offset()).isEqualTo(expected.offset());
                        assertThat(read.key()).isEqualTo(bytes(expected.key()));
                        assertThat(read.value()).isEqualTo(bytes(expected.value()));
                        List<Header> headers = expected.headers();
                        org.apache.kafka.common.header.Header[] got = read.headers().toArray();
                        assertThat(got).hasSize(headers.size());
                        for (int h = 0; h < got.length; h++) {
                            assertThat(got[h].key()).isEqualTo(headers.get(h).key());
                            assertThat(got[h].value()).isEqualTo(headers.get(h).value() == null ? null : bytes(headers.get(h).value()));
                        }
                    }
                }
            }
        }
    }

    private record Expected(byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }

    /** Record i: a key of 37, a value of 4-300 bytes starting with i, and up to three headers (one null-valued). */
    static Expected expected(int i) {
        Random random = new Random(i * 7919L + 17);
        byte[] key = ("key-" + (i % KEYS)).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + random.nextInt(297)];
        random.nextBytes(value);
        ByteBuffer.wrap(value).putInt(i);
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        headers.add(Map.entry("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        if (i % 3 == 0) {
            byte[] blob = new byte[random.nextInt(40)];
            random.nextBytes(blob);
            headers.add(Map.entry("blob", blob));
        }
        if (i % 5 == 0) {
            headers.add(new java.util.AbstractMap.SimpleEntry<>("nothing", null));
        }
        return new Expected(key, value, headers);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
