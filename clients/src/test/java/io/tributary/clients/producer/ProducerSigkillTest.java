package io.tributary.clients.producer;

import io.tributary.clients.serialization.LongSerializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.Await;
import io.tributary.server.ChildBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker process is killed with SIGKILL and restarted, twice, while our idempotent producer (acks=all) sends
 * sequenced records with batches in flight: every acknowledged record is in the log exactly once, in send order
 * per partition.
 *
 * <p>The broker runs with {@code log.flush.interval.messages=1}: every append is fsynced before acks=1/all answer
 * it, which is the setting that makes an acknowledgement mean "on disk" (docs/ARCHITECTURE.md, produce path).
 * A SIGKILL alone keeps what the kernel already has, so the setting is what the test relies on for
 * acknowledged records, not what it proves; what it proves is the producer side: retries after the crash are
 * recognised as duplicates (the broker rebuilds producer state from the recovered log) and order holds.
 */
class ProducerSigkillTest {
    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "sigkill";
    private static final int WINDOW = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordOnceAndInOrderAcrossKills() throws Exception {
        try (ChildBroker broker = new ChildBroker(dir, Map.of("log.flush.interval.messages", "1"))) {
            broker.start();
            Properties adminProps = new Properties();
            adminProps.put("bootstrap.servers", broker.bootstrap());
            try (Admin admin = Admin.create(adminProps)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("acks", "all");
            config.put("linger.ms", 2);
            config.put("batch.size", 8192);
            config.put("request.timeout.ms", 10_000);
            config.put("delivery.timeout.ms", 60_000);
            config.put("retry.backoff.ms", 20);
            config.put("retry.backoff.max.ms", 200);
            config.put("reconnect.backoff.max.ms", 200);
            ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger acknowledged = new AtomicInteger();
            CompletableFuture<Void> kills = new CompletableFuture<>();
            try (TributaryProducer<String, Long> producer = new TributaryProducer<>(config, new StringSerializer(), new LongSerializer())) {
                assertThat(producer.isIdempotent()).isTrue();
                for (long i = 0; i < RECORDS; i++) {
                    if (i == RECORDS / 4) {
                        Thread killer = new Thread(() -> {
                            try {
                                broker.kill();
                                broker.start();
                                Await.until("records acknowledged after the first kill", Duration.ofSeconds(30),
                                    () -> acknowledged.get() > RECORDS * 3 / 5);
                                broker.kill();
                                broker.start();
                                kills.complete(null);
                            } catch (Throwable t) {
                                kills.completeExceptionally(t);
                            }
                        }, "killer");
                        killer.start();
                    }
                    // At most WINDOW records unacknowledged: sending goes on through both kills, with batches in flight.
                    long sent = i;
                    if (sent - acknowledged.get() > WINDOW) {
                        Await.until("acknowledgements within " + WINDOW + " of record " + sent, Duration.ofSeconds(60),
                            () -> sent - acknowledged.get() <= WINDOW || !errors.isEmpty());
                    }
                    producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 30), i), (md, e) -> {
                        if (e != null) {
                            errors.add(e);
                        } else {
                            acknowledged.incrementAndGet();
                        }
                    });
                }
                kills.get(90, TimeUnit.SECONDS);
                producer.flush();
                // The kills hit batches in flight, which were sent again (and not duplicated, as checked below).
                assertThat(producer.retriedBatches()).isPositive();
            }
            assertThat(errors).isEmpty();
            assertThat(acknowledged.get()).isEqualTo(RECORDS);
            assertExactlyOnceInOrder(broker.bootstrap());
        }
    }

    private static void assertExactlyOnceInOrder(String bootstrap) {
        BitSet seen = new BitSet(RECORDS);
        Map<Integer, Long> lastPerPartition = new HashMap<>();
        int read = 0;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("records in the log").isEqualTo(RECORDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    long value = r.value();
                    assertThat(seen.get((int) value)).as("record %d seen twice", value).isFalse();
                    seen.set((int) value);
                    Long last = lastPerPartition.put(r.partition(), value);
                    assertThat(last == null || last < value).as("partition %d: %d after %d", r.partition(), value, last).isTrue();
                    read++;
                }
            }
        }
        assertThat(read).isEqualTo(RECORDS);
        assertThat(seen.cardinality()).isEqualTo(RECORDS);
    }
}
