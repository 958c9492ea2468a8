package io.tributary.server;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker as a real process: SIGTERM stops it cleanly, SIGKILL loses nothing it acknowledged. */
class ProcessRestartTest {
    @TempDir
    Path dir;

    @Test
    void sigkillDuringAcksAllProductionLosesNoAcknowledgedRecord() throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>(); // "partition:offset" -> value
        try (ChildBroker broker = new ChildBroker(dir, Map.of("log.flush.interval.messages", "1", "num.partitions", "3"))) {
            broker.start();
            AtomicInteger acks = new AtomicInteger();
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
                for (int i = 0; i < 200_000 && acks.get() < 3_000; i++) {
                    String value = "value-" + i;
                    producer.send(new ProducerRecord<>("crash", "key-" + (i % 50), value), (metadata, error) -> {
                        if (error == null) {
                            acked.put(metadata.partition() + ":" + metadata.offset(), value);
                            acks.incrementAndGet();
                        }
                    });
                    if (i % 200 == 199) {
                        producer.flush();
                    }
                }
                broker.kill();
                producer.close(Duration.ZERO);
            }
            assertThat(acked).hasSizeGreaterThanOrEqualTo(3_000);

            broker.start(); // recovers the unclean log
            assertThat(broker.terminate()).isIn(0, 143);
        }
        assertThat(Files.exists(dir.resolve("data").resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isTrue();

        Map<String, String> stored = new HashMap<>();
        List<String> values = new ArrayList<>();
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir.resolve("data")), LogConfig.defaults()), Clock.systemUTC())) {
            for (int p = 0; p < 3; p++) {
                for (Record record : records(logs.log(new TopicPartition("crash", p)))) {
                    String value = StandardCharsets.UTF_8.decode(record.value()).toString();
                    stored.put(p + ":" + record.offset(), value);
                    values.add(value);
                }
            }
        }
        // every acknowledged record is there, at the offset it was acknowledged with ...
        acked.forEach((position, value) -> assertThat(stored).containsEntry(position, value));
        // ... and nothing is there twice
        assertThat(values).doesNotHaveDuplicates();
    }

    @Test
    void sigtermStopsCleanlyAndEverythingIsThereAfterARestart() throws Exception {
        try (ChildBroker broker = new ChildBroker(dir, Map.of())) {
            broker.start();
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>("graceful", "k" + i, "v" + i));
                }
                producer.flush();
            }
            assertThat(broker.terminate()).isIn(0, 143);
            assertThat(Files.exists(broker.logDir().resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isTrue();
            broker.start();
            assertThat(Files.exists(broker.logDir().resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isFalse();
            assertThat(broker.terminate()).isIn(0, 143);
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir.resolve("data")), LogConfig.defaults()), Clock.systemUTC())) {
            assertThat(records(logs.log(new TopicPartition("graceful", 0)))).hasSize(1000);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Every record of a partition, read straight from its log. */
    static List<Record> records(PartitionLog log) throws Exception {
        List<Record> records = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            try (LogSlice slice = log.read(next, 1 << 20, true)) {
                ByteBuffer bytes = slice.readIntoHeap();
                int position = 0;
                while (position < bytes.limit()) {
                    RecordBatch batch = RecordBatch.at(bytes, position);
                    records.addAll(RecordBatchReader.DEFAULT.read(batch));
                    position += batch.sizeInBytes();
                }
                next = slice.nextOffset();
            }
        }
        return records;
    }
}
