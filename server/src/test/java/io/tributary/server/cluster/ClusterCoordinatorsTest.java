package io.tributary.server.cluster;

import io.tributary.server.RawKafkaConnection;
import io.tributary.server.group.CoordinatorLocator;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinators of a 3-broker cluster (child JVMs): FindCoordinator, asked of any broker, names the leader of the
 * key's partition of {@code __consumer_offsets} / {@code __transaction_state}, and the others answer NOT_COORDINATOR;
 * producer ids handed out by different brokers never collide; a transaction over partitions led by three different
 * brokers commits and aborts on all of them (markers sent to the other leaders). One cluster serves the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterCoordinatorsTest {
    static final int INTERNAL_PARTITIONS = 6;
    /** Every node: quick fencing, small fully replicated internal topics (explicit, so never capped). */
    static final Map<String, String> SETTINGS = Map.of(
        "broker.session.timeout.ms", "3000",
        "broker.heartbeat.interval.ms", "500",
        "offsets.topic.replication.factor", "3",
        "offsets.topic.num.partitions", Integer.toString(INTERNAL_PARTITIONS),
        "transaction.state.log.replication.factor", "3",
        "transaction.state.log.num.partitions", Integer.toString(INTERNAL_PARTITIONS));

    @TempDir
    static Path root;
    private static ChildCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ChildCluster(root, 3, SETTINGS);
        cluster.startAll();
        admin = admin(cluster);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3))).as("three brokers registered and unfenced").isTrue();
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

    static Admin admin(ChildCluster cluster) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(props);
    }

    /** The leader of each partition of {@code topic}, or null while it is not described (not created yet). */
    static Map<Integer, Integer> leaders(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Map<Integer, Integer> leaders = new HashMap<>();
            for (TopicPartitionInfo p : description.partitions()) {
                leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id());
            }
            return leaders;
        } catch (Exception e) {
            return null;
        }
    }

    /** FindCoordinator v4 with a batch of keys, asked of node {@code id}. */
    static Map<String, FindCoordinatorResponseData.Coordinator> findCoordinators(ChildCluster cluster, int id, byte keyType,
                                                                                List<String> keys) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
            FindCoordinatorResponse response = connection.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(keyType).setCoordinatorKeys(keys)), (short) 4);
            Map<String, FindCoordinatorResponseData.Coordinator> byKey = new HashMap<>();
            response.data().coordinators().forEach(c -> byKey.put(c.key(), c));
            return byKey;
        }
    }

    @Test
    @Order(1)
    void findCoordinatorOnEveryBrokerNamesTheLeaderOfTheKeysPartition() throws Exception {
        List<String> keys = List.of("orders", "payments", "audit", "billing", "search", "fraud", "mail", "stats");
        for (byte keyType : new byte[]{0, 1}) {
            String topic = keyType == 0 ? "__consumer_offsets" : "__transaction_state";
            // the first FindCoordinator may find the topic missing (COORDINATOR_NOT_AVAILABLE) while it is created
            // (asked first: a FindCoordinator is what creates __transaction_state)
            assertThat(ChildCluster.await(90_000, () -> {
                boolean found = findCoordinators(cluster, 0, keyType, keys).values().stream()
                    .allMatch(c -> c.errorCode() == Errors.NONE.code());
                Map<Integer, Integer> leaders = leaders(admin, topic);
                return found && leaders != null && leaders.values().stream().allMatch(l -> l >= 0);
            })).as("%s exists with a leader per partition and coordinators are found", topic).isTrue();
            Map<Integer, Integer> leaders = leaders(admin, topic);
            assertThat(leaders).hasSize(INTERNAL_PARTITIONS);
            for (int asked = 0; asked < cluster.size(); asked++) {
                Map<String, FindCoordinatorResponseData.Coordinator> found = findCoordinators(cluster, asked, keyType, keys);
                for (String key : keys) {
                    FindCoordinatorResponseData.Coordinator c = found.get(key);
                    int leader = leaders.get(CoordinatorLocator.partitionFor(key, INTERNAL_PARTITIONS));
                    assertThat(c.errorCode()).as("%s asked of %d", key, asked).isEqualTo(Errors.NONE.code());
                    assertThat(c.nodeId()).as("coordinator of %s (%s) asked of node %d", key, topic, asked).isEqualTo(leader);
                    assertThat(c.port()).as("the coordinator's endpoint").isEqualTo(cluster.node(leader).kafkaPort());
                }
            }
            assertThat(keys.stream().map(k -> leaders.get(CoordinatorLocator.partitionFor(k, INTERNAL_PARTITIONS))).distinct().count())
                .as("the keys are coordinated by more than one broker").isGreaterThan(1);
        }
    }

    @Test
    @Order(2)
    void aBrokerThatDoesNotLeadTheKeysPartitionAnswersNotCoordinator() {
        String group = "orders";
        int coordinator = findCoordinators(cluster, 0, (byte) 0, List.of(group)).get(group).nodeId();
        String txnId = "payments";
        int txnCoordinator = findCoordinators(cluster, 0, (byte) 1, List.of(txnId)).get(txnId).nodeId();
        for (int id = 0; id < cluster.size(); id++) {
            try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
                HeartbeatResponse heartbeat = connection.send(new HeartbeatRequest.Builder(new HeartbeatRequestData()
                    .setGroupId(group).setGenerationId(1).setMemberId("m")), (short) 4);
                if (id != coordinator) {
                    assertThat(heartbeat.error()).as("heartbeat of %s at node %d", group, id).isEqualTo(Errors.NOT_COORDINATOR);
                } else {
                    assertThat(heartbeat.error()).as("the coordinator serves the group (and knows no such member)")
                        .isNotEqualTo(Errors.NOT_COORDINATOR).isNotEqualTo(Errors.NONE);
                }
                if (id != txnCoordinator) {
                    InitProducerIdResponse init = connection.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                        .setTransactionalId(txnId).setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)),
                        (short) 4);
                    assertThat(init.error()).as("InitProducerId of %s at node %d", txnId, id).isEqualTo(Errors.NOT_COORDINATOR);
                }
            }
        }
    }

    @Test
    @Order(3)
    void producerIdsHandedOutByDifferentBrokersNeverCollide() throws Exception {
        Set<Long> seen = new HashSet<>();
        Map<Integer, List<Long>> byBroker = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int id = 0; id < cluster.size(); id++) {
                long producerId = initIdempotent(cluster, id);
                assertThat(seen.add(producerId)).as("producer id %d (node %d) handed out twice", producerId, id).isTrue();
                byBroker.computeIfAbsent(id, k -> new ArrayList<>()).add(producerId);
            }
        }
        // each broker takes its own block of 1000 from the quorum
        for (int a = 0; a < cluster.size(); a++) {
            for (int b = a + 1; b < cluster.size(); b++) {
                assertThat(byBroker.get(a).get(0) / 1000).as("blocks of nodes %d and %d", a, b).isNotEqualTo(byBroker.get(b).get(0) / 1000);
            }
        }
    }

    static long initIdempotent(ChildCluster cluster, int id) throws InterruptedException {
        long[] producerId = {-1};
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
            // a retriable answer (no block from the controller yet) is asked again until the deadline
            boolean granted = ChildCluster.await(30_000, () -> {
                InitProducerIdResponse response = connection.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId(null).setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)), (short) 4);
                if (response.error() == Errors.NONE) {
                    producerId[0] = response.data().producerId();
                    return true;
                }
                assertThat(response.error().exception()).as("InitProducerId at node %d", id)
                    .isInstanceOf(org.apache.kafka.common.errors.RetriableException.class);
                return false;
            });
            assertThat(granted).as("node %d hands out a producer id within 30 s", id).isTrue();
        }
        return producerId[0];
    }

    @Test
    @Order(4)
    void aTransactionOverPartitionsLedByThreeBrokersCommitsAndAbortsOnEachOfThem() throws Exception {
        String topic = "spread";
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(60, TimeUnit.SECONDS);
        assertThat(ChildCluster.await(60_000, () -> {
            Map<Integer, Integer> leaders = leaders(admin, topic);
            return leaders != null && new HashSet<>(leaders.values()).size() == 3;
        })).as("the three partitions are led by three brokers").isTrue();
        try (KafkaProducer<String, String> producer = transactionalProducer(cluster, "spread-writer")) {
            producer.initTransactions();
            writeTransaction(producer, topic, "committed-1", true);
            writeTransaction(producer, topic, "aborted", false);
            writeTransaction(producer, topic, "committed-2", true);
        }
        List<String> committed = readAll(cluster, topic, "read_committed", 9);
        assertThat(committed).containsExactlyInAnyOrder(
            "committed-1-0", "committed-1-1", "committed-1-2", "committed-2-0", "committed-2-1", "committed-2-2");
        List<String> uncommitted = readAll(cluster, topic, "read_uncommitted", 9);
        assertThat(uncommitted).as("the aborted records were written to every partition").contains("aborted-0", "aborted-1", "aborted-2");
    }

    private static void writeTransaction(KafkaProducer<String, String> producer, String topic, String name, boolean commit) throws Exception {
        producer.beginTransaction();
        for (int p = 0; p < 3; p++) {
            producer.send(new ProducerRecord<>(topic, p, name, name + "-" + p)).get(60, TimeUnit.SECONDS);
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    static KafkaProducer<String, String> transactionalProducer(ChildCluster cluster, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /**
     * Every record of {@code topic} visible at {@code isolation} (read up to the end offsets, which for read_committed
     * are the last stable offsets); reads at least {@code atLeast} records' worth of offsets, bounded in time.
     */
    static List<String> readAll(ChildCluster cluster, String topic, String isolation, int atLeast) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(60)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() - deadline < 0) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    done &= consumer.position(tp, Duration.ofSeconds(30)) >= end.get(tp);
                }
                if (done && end.values().stream().mapToLong(Long::longValue).sum() >= atLeast) {
                    return values;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
                if (done) {
                    end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
                }
            }
        }
        throw new AssertionError("could not read " + topic + " to its end in time; read " + values.size() + " records");
    }
}
