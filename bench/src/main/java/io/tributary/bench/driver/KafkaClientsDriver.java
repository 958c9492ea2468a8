package io.tributary.bench.driver;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The driver over Apache Kafka's Java client (kafka-clients). */
final class KafkaClientsDriver implements BenchDriver {
    /**
     * The producer-metrics a latency investigation needs: how long records wait in the accumulator (linger included),
     * how long a produce request takes from send to response, how full requests and batches are, and throttling. Those
     * are windowed by the client (2 samples of 30 s by default), so they cover the last 30-60 s of the producer.
     */
    static final Set<String> PRODUCER_METRICS = Set.of("record-queue-time-avg", "record-queue-time-max",
        "request-latency-avg", "request-latency-max", "records-per-request-avg", "batch-size-avg", "batch-size-max",
        "produce-throttle-time-avg", "produce-throttle-time-max", "requests-in-flight", "bufferpool-wait-ratio");

    private final String bootstrap;
    private final Admin admin;

    KafkaClientsDriver(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        this.admin = Admin.create(props);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            // A fresh KRaft broker answers CreateTopics before every partition has a leader in its metadata.
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            if (description.partitions().size() == partitions
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no leader for every partition after 30 s: " + description);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Override
    public BenchProducer producer(ProducerSettings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, settings.acks());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(settings.batchSize()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(settings.lingerMs()));
        // acks=0/1 with idempotence would be refused; the harness measures plain delivery either way.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString("all".equals(settings.acks()) || "-1".equals(settings.acks())));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        return new BenchProducer() {
            @Override
            public void send(String topic, byte[] key, byte[] value, String headerKey, byte[] headerValue, Completion completion) {
                List<Header> headers = List.of(new RecordHeader(headerKey, headerValue));
                producer.send(new ProducerRecord<>(topic, null, null, key, value, headers),
                    (metadata, error) -> completion.completed(error));
            }

            @Override
            public Map<String, Double> metrics() {
                return producerMetrics(producer.metrics());
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

    /** {@link #PRODUCER_METRICS} and any latency percentile of the group producer-metrics, finite values only. */
    static Map<String, Double> producerMetrics(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> out = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            boolean wanted = PRODUCER_METRICS.contains(name.name()) || name.name().contains("percentile");
            if ("producer-metrics".equals(name.group()) && wanted && metric.metricValue() instanceof Number n
                && Double.isFinite(n.doubleValue())) {
                out.put(name.name(), n.doubleValue());
            }
        });
        return out;
    }

    @Override
    public BenchConsumer consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(50 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
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

    /** A reusable view of the record being visited: the consumer already made it, no copy is needed. */
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
            Header header = record.headers().lastHeader(key);
            return header == null ? null : header.value();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "kafka-clients driver for " + bootstrap;
    }
}
