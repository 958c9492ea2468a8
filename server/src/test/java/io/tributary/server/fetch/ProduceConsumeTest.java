package io.tributary.server.fetch;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's producer and consumer together: the produce path wakes the consumer's parked fetch
 * through the log's append event, so a record produced during a long poll arrives promptly.
 */
class ProduceConsumeTest {
    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aProducedRecordWakesAConsumerInALongPoll() throws Exception {
        fixture.broker().logs().createTopic("live", 1, Map.of());
        TopicPartition tp = new TopicPartition("live", 0);
        KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20_000));
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            // The consumer only sends fetches while it polls: produce from another thread once its fetch is parked.
            CompletableFuture<Long> sentAt = CompletableFuture.supplyAsync(() -> {
                Await.until("the consumer's fetch is parked", Duration.ofSeconds(20),
                    () -> fixture.broker().fetchPurgatory().parkedCount() == 1);
                long at = System.nanoTime();
                producer.send(new ProducerRecord<>("live", 0, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));
                return at;
            });
            List<ConsumerRecord<byte[], byte[]>> records = Consumers.poll(consumer, 1, Duration.ofSeconds(30));
            long receivedAt = System.nanoTime();
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.offset()).isZero();
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("v");
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(receivedAt - sentAt.get(1, TimeUnit.SECONDS))).as("ms from send to receipt, max wait 20000")
                .isLessThan(5_000);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofMillis(200)));
        }
    }
}
