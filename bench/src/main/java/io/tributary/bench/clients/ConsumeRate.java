package io.tributary.bench.clients;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Reads a whole topic from the beginning with Apache Kafka's consumer, by assignment (no consumer group),
 * and reports records/s and MB/s: the consume-back rate of any Kafka-protocol broker.
 */
@Command(name = "consume-rate", mixinStandardHelpOptions = true,
    description = "Read N records of a topic from the beginning (assign + seek, no group) and report the rate.")
public final class ConsumeRate implements Callable<Integer> {
    @Option(names = "--bootstrap-server", required = true, description = "host:port of the broker.")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "Topic to read.")
    String topic;

    @Option(names = "--num-records", required = true, description = "Records to read.")
    long records;

    @Option(names = "--timeout-ms", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMs = 120_000;

    @Override
    public Integer call() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(50 * 1024 * 1024));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + timeoutMs * 1_000_000;
            while (read < records) {
                if (System.nanoTime() > deadline) {
                    System.out.printf("timed out after %d of %d records%n", read, records);
                    return 1;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    bytes += record.serializedValueSize() + Math.max(0, record.serializedKeySize());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("consumed %d records, %.1f MB in %.2f s: %.0f records/s, %.1f MB/s%n",
                read, bytes / 1e6, seconds, read / seconds, bytes / 1e6 / seconds);
            return 0;
        }
    }
}
