package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our consumers and Kafka's in one group, over a real broker: the partitions are shared (each owned by exactly
 * one member) through joins and leaves, under eager and cooperative rebalancing; and a group survives a broker
 * restart, resuming from its committed offsets.
 */
class ConsumerGroupInteropTest {
    private static final String TOPIC = "shared";
    private static final int PARTITIONS = 6;
    private BrokerFixture broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0", "group.min.session.timeout.ms", "1000"));
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing every member matters more than one failure.
            }
        }
        broker.close();
    }

    /** A member of either kind, polled by the test thread in turn. */
    interface Member {
        void poll(Map<String, Set<String>> seen);

        Set<String> assignment();

        void close();
    }

    private Member ours(String group, String strategy, String name) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("partition.assignment.strategy", strategy);
        c.put("session.timeout.ms", "6000");
        c.put("heartbeat.interval.ms", "200");
        c.put("fetch.max.wait.ms", "50");
        c.put("auto.commit.interval.ms", "100");
        TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        toClose.add(consumer);
        return new Member() {
            public void poll(Map<String, Set<String>> seen) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> seen.computeIfAbsent(r.value(), v -> ConcurrentHashMap.newKeySet()).add(name));
            }

            public Set<String> assignment() {
                Set<String> result = new HashSet<>();
                consumer.assignment().forEach(tp -> result.add(tp.toString()));
                return result;
            }

            public void close() {
                consumer.close(Duration.ofSeconds(10));
            }
        };
    }

    private Member kafkas(String group, String strategy, String name) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy.equals("cooperative-sticky")
            ? org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName()
            : org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "200");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        p.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "100");
        var consumer = new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        toClose.add(consumer);
        return new Member() {
            public void poll(Map<String, Set<String>> seen) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> seen.computeIfAbsent(r.value(), v -> ConcurrentHashMap.newKeySet()).add(name));
            }

            public Set<String> assignment() {
                Set<String> result = new HashSet<>();
                consumer.assignment().forEach(tp -> result.add(tp.toString()));
                return result;
            }

            public void close() {
                consumer.close(Duration.ofSeconds(10));
            }
        };
    }

    private void produce(int from, int count) {
        Properties p = broker.clientProperties();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "v" + i));
            }
            producer.flush();
        }
    }

    /** Polls every member until their assignments cover every partition exactly once. */
    private static void awaitSharedExactlyOnce(List<Member> members, Map<String, Set<String>> seen) {
        Await.until("the partitions shared exactly once by " + members.size() + " members", Duration.ofSeconds(40), () -> {
            members.forEach(m -> m.poll(seen));
            List<String> all = new ArrayList<>();
            members.forEach(m -> all.addAll(m.assignment()));
            return all.size() == PARTITIONS && new HashSet<>(all).size() == PARTITIONS
                && members.stream().allMatch(m -> !m.assignment().isEmpty());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void oursAndKafkasShareOneGroupThroughJoinsAndLeaves(String strategy) {
        String group = "mixed-" + strategy;
        Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        produce(0, 60);
        List<Member> members = new ArrayList<>();
        members.add(ours(group, strategy, "ours-1"));
        members.add(kafkas(group, strategy, "kafka-1"));
        awaitSharedExactlyOnce(members, seen);
        members.add(ours(group, strategy, "ours-2"));
        members.add(kafkas(group, strategy, "kafka-2"));
        awaitSharedExactlyOnce(members, seen);
        produce(60, 60);
        Await.until("all 120 records consumed", Duration.ofSeconds(30), () -> {
            members.forEach(m -> m.poll(seen));
            return seen.size() == 120;
        });
        // A Kafka member and one of ours leave; the two left take over everything.
        members.remove(3).close();
        members.remove(0).close();
        awaitSharedExactlyOnce(members, seen);
        produce(120, 60);
        Await.until("all 180 records consumed", Duration.ofSeconds(30), () -> {
            members.forEach(m -> m.poll(seen));
            return seen.size() == 180;
        });
        // Members commit as they go (auto-commit, and on revocation), so a record is consumed by one member only,
        // except those between an auto-commit and a rebalance, which a new owner may see again.
        long twice = seen.values().stream().filter(s -> s.size() > 1).count();
        assertThat(twice).isLessThan(30);
    }

    @Test
    void aGroupSurvivesABrokerRestartAndResumesFromItsCommittedOffsets() {
        String group = "restart";
        produce(0, 300);
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        c.put("session.timeout.ms", "6000");
        c.put("heartbeat.interval.ms", "200");
        c.put("fetch.max.wait.ms", "50");
        c.put("max.poll.records", "50");
        c.put("request.timeout.ms", "3000");
        TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        toClose.add(consumer);
        consumer.subscribe(List.of(TOPIC));
        Set<String> consumed = new HashSet<>();
        List<String> all = new ArrayList<>();
        Await.until("150 records consumed and committed", Duration.ofSeconds(30), () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                consumed.add(r.value());
                all.add(r.value());
            });
            consumer.commitSync();
            return consumed.size() >= 150;
        });
        broker.restart();
        produce(300, 100);
        Await.until("all 400 records consumed after the restart", Duration.ofSeconds(60), () -> {
            try {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    consumed.add(r.value());
                    all.add(r.value());
                });
                consumer.commitSync(Duration.ofSeconds(2));
            } catch (io.tributary.clients.errors.TributaryException e) {
                // The broker is coming back; the consumer rediscovers the coordinator and retries.
            }
            return consumed.size() == 400;
        });
        // Duplicates only from records polled but not yet committed when the broker went away.
        assertThat(all.size() - consumed.size()).isLessThanOrEqualTo(50 * PARTITIONS);
        Set<TopicPartition> partitions = consumer.assignment();
        assertThat(partitions).hasSize(PARTITIONS);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertThat(total).isEqualTo(400);
    }
}
