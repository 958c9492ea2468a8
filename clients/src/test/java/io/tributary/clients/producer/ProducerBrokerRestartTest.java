package io.tributary.clients.producer;

import io.tributary.clients.serialization.LongSerializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

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
 * The broker is restarted twice while our idempotent producer sends 100,000 sequenced records: afterwards
 * every record is in the log exactly once, and each partition holds its records in send order.
 */
class ProducerBrokerRestartTest {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "restarts";
    private static final int WINDOW = 4_000;

    @Test
    void everyRecordExactlyOnceAndInOrderAcrossRestarts() throws Exception {
        try (BrokerFixture broker = new BrokerFixture()) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("linger.ms", 1);
            config.put("batch.size", 8192);
            config.put("request.timeout.ms", 10_000);
            config.put("retry.backoff.ms", 20);
            config.put("retry.backoff.max.ms", 200);
            config.put("reconnect.backoff.max.ms", 200);
            ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger acknowledged = new AtomicInteger();
            CompletableFuture<Void> restarts = new CompletableFuture<>();
            try (TributaryProducer<String, Long> producer = new TributaryProducer<>(config, new StringSerializer(), new LongSerializer())) {
                assertThat(producer.isIdempotent()).isTrue();
                for (long i = 0; i < RECORDS; i++) {
                    if (i == RECORDS / 4) {
                        Thread restarter = new Thread(() -> {
                            try {
                                broker.restart();
                                Await.until("records acknowledged after the first restart", Duration.ofSeconds(30),
                                    () -> acknowledged.get() > RECORDS * 3 / 5);
                                broker.restart();
                                restarts.complete(null);
                            } catch (Throwable t) {
                                restarts.completeExceptionally(t);
                            }
                        }, "restarter");
                        restarter.start();
                    }
                    // At most WINDOW records unacknowledged: sending goes on through both restarts, with batches in flight.
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
                restarts.get(60, TimeUnit.SECONDS);
                producer.flush();
                // The restarts hit batches in flight, which were sent again (and not duplicated, as checked below).
                assertThat(producer.retriedBatches()).isPositive();
            }
            assertThat(errors).isEmpty();
            assertThat(acknowledged.get()).isEqualTo(RECORDS);

            BitSet seen = new BitSet(RECORDS);
            Map<Integer, Long> lastPerPartition = new HashMap<>();
            int read = 0;
            Properties props = broker.clientProperties();
            try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(TOPIC, p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long total = ends.values().stream().mapToLong(Long::longValue).sum();
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
}
