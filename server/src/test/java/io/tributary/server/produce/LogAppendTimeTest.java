package io.tributary.server.produce;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LogAppendTime topic stamps the broker's clock: Apache Kafka's producer is told that time, and Kafka's
 * consumer reads it (with timestamp type LogAppendTime) instead of the producer's timestamps, for every codec.
 */
class LogAppendTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void theConsumerSeesTheBrokersAppendTime(String codec) throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(Map.of())) {
            fixture.broker().logs().createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
            Properties producerProperties = new Properties();
            producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
            producerProperties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 50);
            long before = System.currentTimeMillis();
            List<RecordMetadata> sent = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
                List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    // a producer timestamp from 1970 and one far in the future: both replaced by the broker's time
                    long timestamp = i % 2 == 0 ? 1_000L + i : before + 86_400_000L;
                    futures.add(producer.send(new ProducerRecord<>("stamped", 0, timestamp, null, ("v" + i).getBytes())));
                }
                for (java.util.concurrent.Future<RecordMetadata> future : futures) {
                    sent.add(future.get(30, TimeUnit.SECONDS));
                }
            }
            long after = System.currentTimeMillis();

            Properties consumerProperties = new Properties();
            consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
                TopicPartition partition = new TopicPartition("stamped", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (read.size() < 5 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                }
                assertThat(read).hasSize(5).allSatisfy(record -> {
                    assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
                    assertThat(record.timestamp()).isBetween(before, after);
                });
                for (int i = 0; i < 5; i++) {
                    assertThat(read.get(i).timestamp()).as("the time the producer was told for record %d", i)
                        .isEqualTo(sent.get(i).timestamp());
                }
            }
        }
    }
}
