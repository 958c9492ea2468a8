package io.tributary.clients.producer;

import io.tributary.clients.serialization.LongSerializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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
 * The fault tests' common run: our idempotent producer sends the values 0..records-1 (keys over 30 values) while
 * a broker fault strikes twice, then Kafka's consumer reads the topic back and checks that every value is there
 * exactly once and each partition holds its values in send order.
 */
final class SequencedSendThroughFaults {
    /** A broker fault, such as a restart or a SIGKILL and a start. */
    interface Fault {
        void strike() throws Exception;
    }

    private SequencedSendThroughFaults() {
    }

    /**
     * Sends {@code records} sequenced records with at most {@code window} unacknowledged; the fault strikes once
     * a quarter of them are sent and again once three fifths are acknowledged, so both hit batches in flight.
     * Asserts that every record was acknowledged without error and that the faults caused retries.
     */
    static void send(Map<String, Object> producerConfig, String topic, int records, int window, Fault fault,
                     Duration faultsTimeout) throws Exception {
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<Void> faults = new CompletableFuture<>();
        try (TributaryProducer<String, Long> producer = new TributaryProducer<>(producerConfig, new StringSerializer(), new LongSerializer())) {
            assertThat(producer.isIdempotent()).isTrue();
            for (long i = 0; i < records; i++) {
                if (i == records / 4) {
                    Thread striker = new Thread(() -> {
                        try {
                            fault.strike();
                            Await.until("records acknowledged after the first fault", Duration.ofSeconds(30),
                                () -> acknowledged.get() > records * 3 / 5);
                            fault.strike();
                            faults.complete(null);
                        } catch (Throwable t) {
                            faults.completeExceptionally(t);
                        }
                    }, "fault");
                    striker.start();
                }
                // At most `window` records unacknowledged: sending goes on through both faults, with batches in flight.
                long sent = i;
                if (sent - acknowledged.get() > window) {
                    Await.until("acknowledgements within " + window + " of record " + sent, Duration.ofSeconds(60),
                        () -> sent - acknowledged.get() <= window || !errors.isEmpty());
                }
                producer.send(new ProducerRecord<>(topic, "key-" + (i % 30), i), (md, e) -> {
                    if (e != null) {
                        errors.add(e);
                    } else {
                        acknowledged.incrementAndGet();
                    }
                });
            }
            faults.get(faultsTimeout.toMillis(), TimeUnit.MILLISECONDS);
            producer.flush();
            // The faults hit batches in flight, which were sent again (and not duplicated, as checked after).
            assertThat(producer.retriedBatches()).isPositive();
        }
        assertThat(errors).isEmpty();
        assertThat(acknowledged.get()).isEqualTo(records);
    }

    /** Reads {@code topic} back with Kafka's consumer: each of the values 0..records-1 once, in order per partition. */
    static void assertExactlyOnceInOrder(String bootstrap, String topic, int partitionCount, int records) {
        BitSet seen = new BitSet(records);
        Map<Integer, Long> lastPerPartition = new HashMap<>();
        int read = 0;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("records in the log").isEqualTo(records);
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
        assertThat(read).isEqualTo(records);
        assertThat(seen.cardinality()).isEqualTo(records);
    }
}
