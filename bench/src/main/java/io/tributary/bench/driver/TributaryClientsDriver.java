package io.tributary.bench.driver;

import io.tributary.clients.Headers;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.consumer.WakeupException;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.ByteArrayDeserializer;
import io.tributary.clients.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver over Tributary's own clients ({@code TributaryProducer}, {@code TributaryConsumer}), with the
 * same settings the kafka-clients driver uses, so a comparison of the two measures the clients. Tributary has
 * no admin client yet: topics are created through Apache Kafka's, which is not part of what is measured.
 */
final class TributaryClientsDriver implements BenchDriver {
    private final String bootstrap;
    private final KafkaClientsDriver admin;

    TributaryClientsDriver(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = new KafkaClientsDriver(bootstrap);
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public void createTopic(String topic, int partitions) throws Exception {
        admin.createTopic(topic, partitions);
    }

    @Override
    public BenchProducer producer(ProducerSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "-1".equals(settings.acks()) ? "all" : settings.acks());
        config.put("compression.type", settings.compression());
        config.put("batch.size", settings.batchSize());
        config.put("linger.ms", (long) settings.lingerMs());
        config.put("enable.idempotence", "all".equals(settings.acks()) || "-1".equals(settings.acks()));
        TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        return new BenchProducer() {
            @Override
            public void send(String topic, byte[] key, byte[] value, String headerKey, byte[] headerValue, Completion completion) {
                Headers headers = new Headers().add(headerKey, headerValue);
                producer.send(new ProducerRecord<>(topic, null, null, key, value, headers),
                    (metadata, error) -> completion.completed(error));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }

    @Override
    public BenchConsumer consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("max.poll.records", 5000);
        config.put("fetch.max.bytes", 50 * 1024 * 1024);
        config.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", "earliest");
        TributaryConsumer<byte[], byte[]> consumer = new TributaryConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new BenchConsumer() {
            private final RecordView view = new RecordView();

            @Override
            public void assign(String topic, List<Integer> partitions) {
                List<TopicPartition> assigned = new ArrayList<>();
                partitions.forEach(p -> assigned.add(new TopicPartition(topic, p)));
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
            }

            @Override
            public int poll(Duration timeout, Visitor visitor) {
                int count = 0;
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
                        view.record = record;
                        visitor.visit(view);
                        count++;
                    }
                } catch (WakeupException woken) {
                    // asked to stop by wakeup(): the caller checks its own flag
                }
                return count;
            }

            @Override
            public void wakeup() {
                consumer.wakeup();
            }

            @Override
            public void close() {
                consumer.close(Duration.ofSeconds(10));
            }
        };
    }

    /** A reusable view of the record being visited. */
    private static final class RecordView implements BenchConsumer.ConsumedRecord {
        ConsumerRecord<byte[], byte[]> record;

        @Override
        public String topic() {
            return record.topic();
        }

        @Override
        public int partition() {
            return record.partition();
        }

        @Override
        public long offset() {
            return record.offset();
        }

        @Override
        public long timestamp() {
            return record.timestamp();
        }

        @Override
        public int size() {
            return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        }

        @Override
        public byte[] header(String key) {
            return record.headers().lastValue(key);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
