package io.tributary.server.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinators of a 3-broker cluster (child JVMs) survive the SIGKILL of their broker: a running 3-member
 * kafka-clients consumer group, each member committing after every poll, moves to another coordinator with its committed
 * offsets intact, processes every record at least once and re-reads only records at or after the last commit of their
 * partition; a transactional producer writing to partitions led by three brokers loses its coordinator between its
 * sends and its commit, continues (re-initialised when fenced), and a read_committed consumer sees every committed
 * transaction exactly once and nothing of any other. The killed brokers are restarted and hand out new producer ids.
 * One cluster serves the class; {@code -Pfault-injection} runs more records.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class CoordinatorFailoverTest {
    private static final boolean LONG = Boolean.getBoolean("tributary.faultInjection");
    private static final int RECORDS = LONG ? 6_000 : 900;
    private static final int TRANSACTIONS = LONG ? 120 : 24;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path root; // kept when a test fails: the brokers' logs are read from it
    private static ChildCluster cluster;
    private static Admin admin;
    private static final Set<Long> producerIds = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ChildCluster(root, 3, ClusterCoordinatorsTest.SETTINGS);
        cluster.startAll();
        admin = ClusterCoordinatorsTest.admin(cluster);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3))).as("three brokers registered and unfenced").isTrue();
        for (int id = 0; id < cluster.size(); id++) {
            producerIds.add(ClusterCoordinatorsTest.initIdempotent(cluster, id));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get(60, TimeUnit.SECONDS);
        assertThat(ChildCluster.await(60_000, () -> {
            Map<Integer, Integer> leaders = ClusterCoordinatorsTest.leaders(admin, topic);
            return leaders != null && leaders.size() == 3 && leaders.values().stream().allMatch(l -> l >= 0);
        })).as("%s has a leader per partition", topic).isTrue();
    }

    /** Restarts the killed node and waits until all three brokers are registered again. */
    private static void restart(int node) throws Exception {
        cluster.start(node);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3))).as("node %d is back", node).isTrue();
        long producerId = ClusterCoordinatorsTest.initIdempotent(cluster, node);
        assertThat(producerIds.add(producerId)).as("producer id %d from restarted node %d is new", producerId, node).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------
    // consumer group

    /** What the members saw, shared by their threads. */
    private static final class GroupLedger {
        final Map<TopicPartition, Set<Long>> processed = new ConcurrentHashMap<>();
        /** Per partition the highest offset a member's commitSync returned for. */
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();

        int distinct() {
            return processed.values().stream().mapToInt(Set::size).sum();
        }
    }

    @Test
    @Order(1)
    void aConsumerGroupMovesWithItsCommittedOffsetsWhenItsCoordinatorIsKilled() throws Exception {
        String topic = "work";
        String group = "crash-group";
        createTopic(topic);
        produce(topic, 0, RECORDS / 2);
        GroupLedger ledger = new GroupLedger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            Thread member = new Thread(() -> consume(topic, group, ledger, stop), "member-" + m);
            member.setDaemon(true);
            member.start();
            members.add(member);
        }
        int killed = -1;
        try {
            assertThat(ChildCluster.await(120_000, () -> members(group) == 3 && ledger.distinct() >= RECORDS / 4
                && !ledger.committed.isEmpty())).as("three members consume and commit").isTrue();
            killed = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).coordinator().id();
            cluster.kill(killed);
            int gone = killed;
            produce(topic, RECORDS / 2, RECORDS);
            assertThat(ChildCluster.await(180_000, () -> ledger.distinct() == RECORDS))
                .as("every record processed (so far %d of %d)", ledger.distinct(), RECORDS).isTrue();
            ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS).get(group);
            assertThat(after.coordinator().id()).as("the group moved off the killed node").isNotEqualTo(gone);
            // the last commit of each partition covers everything (members commit after every poll)
            assertThat(ChildCluster.await(60_000, () -> committedEqualsEnd(group, topic))).as("committed offsets reach the log ends").isTrue();
        } finally {
            stop.set(true);
            for (Thread member : members) {
                member.join(60_000);
            }
        }
        assertThat(ledger.violations).as("re-deliveries below the last commit of their partition").isEmpty();
        restart(killed);
    }

    private static int members(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean committedEqualsEnd(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() == e.getValue().offset());
        } catch (Exception e) {
            return false;
        }
    }

    private static void produce(String topic, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, Integer.toString(i))));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(150, TimeUnit.SECONDS);
            }
        }
    }

    /** One member: poll, note each record, commitSync; a re-delivered record must lie at or after its partition's last commit. */
    private static void consume(String topic, String group, GroupLedger ledger, AtomicBoolean stop) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "25");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (KafkaException e) {
                    continue; // a coordinator or leader moving: poll again
                }
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    boolean first = ledger.processed.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(record.offset());
                    long lastCommit = ledger.committed.getOrDefault(tp, 0L);
                    if (!first && record.offset() < lastCommit) {
                        ledger.violations.add(tp + "@" + record.offset() + " re-delivered below the last commit " + lastCommit);
                    }
                    next.put(tp, new OffsetAndMetadata(record.offset() + 1));
                }
                try {
                    consumer.commitSync(next);
                    next.forEach((tp, offset) -> ledger.committed.merge(tp, offset.offset(), Math::max));
                } catch (KafkaException e) {
                    // not committed (rebalance, coordinator moving): these records may come again, which is allowed
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // transactions

    @Test
    @Order(2)
    void aTransactionalProducerContinuesWhenItsCoordinatorIsKilledMidTransaction() throws Exception {
        String topic = "eos";
        String transactionalId = "eos-writer";
        createTopic(topic);
        Set<String> committed = new HashSet<>();
        Set<String> aborted = new HashSet<>();
        Set<String> uncertain = new HashSet<>();
        int killed = -1;
        KafkaProducer<String, String> producer = ClusterCoordinatorsTest.transactionalProducer(cluster, transactionalId);
        try {
            producer.initTransactions();
            int killAt = TRANSACTIONS / 3;
            for (int t = 0; t < TRANSACTIONS; t++) {
                String name = "t" + t;
                boolean abort = t % 5 == 4; // every fifth is aborted on purpose
                try {
                    producer.beginTransaction();
                    for (int p = 0; p < 3; p++) {
                        producer.send(new ProducerRecord<>(topic, p, name, name + "-p" + p)).get(120, TimeUnit.SECONDS);
                    }
                    if (t == killAt) {
                        killed = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                            .get(30, TimeUnit.SECONDS).coordinatorId();
                        cluster.kill(killed); // between the sends and the commit: the next coordinator must finish it
                    }
                    if (abort) {
                        producer.abortTransaction();
                        aborted.add(name);
                    } else {
                        commitWithRetries(producer);
                        committed.add(name);
                    }
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    uncertain.add(name); // fenced: as Kafka documents, close and start a new producer
                    producer.close(Duration.ofSeconds(5));
                    producer = ClusterCoordinatorsTest.transactionalProducer(cluster, transactionalId);
                    producer.initTransactions();
                } catch (KafkaException | java.util.concurrent.ExecutionException e) {
                    uncertain.add(name);
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException cannotAbort) {
                        producer.close(Duration.ofSeconds(5));
                        producer = ClusterCoordinatorsTest.transactionalProducer(cluster, transactionalId);
                        producer.initTransactions();
                    }
                }
            }
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
        assertThat(killed).as("the coordinator was killed mid-stream").isGreaterThanOrEqualTo(0);
        assertThat(committed.size()).as("most transactions committed").isGreaterThan(TRANSACTIONS / 2);
        List<String> read = ClusterCoordinatorsTest.readAll(cluster, topic, "read_committed", committed.size() * 3);
        Map<String, Integer> count = new HashMap<>();
        for (String value : read) {
            count.merge(value, 1, Integer::sum);
        }
        count.forEach((value, n) -> assertThat(n).as("%s read %d times", value, n).isEqualTo(1));
        Map<String, Integer> perTransaction = new HashMap<>();
        for (String value : read) {
            perTransaction.merge(value.substring(0, value.indexOf('-')), 1, Integer::sum);
        }
        for (String name : committed) {
            assertThat(perTransaction.get(name)).as("records of committed %s", name).isEqualTo(3);
        }
        for (String name : aborted) {
            assertThat(perTransaction).as("aborted %s is invisible", name).doesNotContainKey(name);
        }
        perTransaction.forEach((name, n) -> {
            assertThat(committed.contains(name) || uncertain.contains(name)).as("%s was committed or its outcome unknown", name).isTrue();
            assertThat(n).as("%s is all or nothing", name).isEqualTo(3);
        });
        restart(killed);
    }

    /** commitTransaction may time out while the coordinator moves; Kafka's producer lets it be called again. */
    private static void commitWithRetries(KafkaProducer<String, String> producer) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }
}
