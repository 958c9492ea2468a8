package io.tributary.bench.driver;

import java.util.List;
import java.util.Locale;

/**
 * The client library a benchmark drives a broker with: creates topics, producers and consumers for one
 * bootstrap address. The harness measures through this interface only, so the same workload runs with any
 * client against any Kafka-protocol broker.
 *
 * <p>Design note: the surface is what a workload needs and nothing more — send bytes with a key and headers
 * and hear about the acknowledgement; assign partitions and poll records with their headers — so a new
 * client library is one small adapter.
 */
public interface BenchDriver extends AutoCloseable {

    /** The names {@link #open} accepts. */
    List<String> NAMES = List.of("kafka", "tributary");

    /** "kafka" for Apache Kafka's Java client, "tributary" for Tributary's own. */
    String name();

    /** Creates a topic and waits until every partition has a leader. */
    void createTopic(String topic, int partitions) throws Exception;

    BenchProducer producer(ProducerSettings settings);

    BenchConsumer consumer();

    @Override
    void close();

    /** @throws IllegalArgumentException naming the driver and the known ones */
    static BenchDriver open(String name, String bootstrap) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "kafka":
                return new KafkaClientsDriver(bootstrap);
            case "tributary":
                return new TributaryClientsDriver(bootstrap);
            default:
                throw new IllegalArgumentException("driver '" + name + "' is not one of " + NAMES);
        }
    }
}
