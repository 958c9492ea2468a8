package io.tributary.clients.producer;

import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A broker set up for transactions, and our clients configured for them, for the transaction tests. */
final class TransactionTestSupport {
    /** Small internal topics, no rebalance delay: transactions and groups start quickly in tests. */
    static final Map<String, String> BROKER_SETTINGS = Map.of(
        "transaction.state.log.num.partitions", "4",
        "offsets.topic.num.partitions", "4",
        "group.initial.rebalance.delay.ms", "0");
    static final Duration WAIT = Duration.ofSeconds(60);

    private TransactionTestSupport() {
    }

    static void createTopic(BrokerFixture broker, String name, int partitions) throws Exception {
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    static Map<String, Object> producerConfig(BrokerFixture broker, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("transactional.id", transactionalId);
        config.put("max.block.ms", 30_000);
        config.put("linger.ms", 0);
        return config;
    }

    static TributaryProducer<String, String> producer(BrokerFixture broker, String transactionalId) {
        return new TributaryProducer<>(producerConfig(broker, transactionalId), new StringSerializer(), new StringSerializer());
    }

    static TributaryConsumer<String, String> consumer(BrokerFixture broker, String isolation, String group) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("isolation.level", isolation);
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", false);
        config.put("fetch.max.wait.ms", 100);
        if (group != null) {
            config.put("group.id", group);
        }
        return new TributaryConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Every record of {@code topic} our consumer returns with the given isolation, from the beginning up to the end
     * offsets it sees when it starts (the last stable offsets under read_committed), in partition then offset order.
     */
    static List<ConsumerRecord<String, String>> readAll(BrokerFixture broker, String topic, int partitions, String isolation) {
        try (TributaryConsumer<String, String> consumer = consumer(broker, isolation, null)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> read = new HashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!all.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Did not reach the end offsets " + ends + " of " + topic + " (" + isolation + ") in " + WAIT);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    read.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
                }
            }
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            for (TopicPartition tp : all) {
                out.addAll(read.getOrDefault(tp, List.of()));
            }
            return out;
        }
    }

    static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
