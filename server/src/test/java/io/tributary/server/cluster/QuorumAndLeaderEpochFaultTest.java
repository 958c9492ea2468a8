package io.tributary.server.cluster;

import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Three brokers (child JVMs, all voters), one cluster for the class, in order:
 * <ol>
 *   <li>bad input on a cluster, after a leader change raised the leader epoch to 1: a consumer fetch with a stale
 *       current_leader_epoch gets FENCED_LEADER_EPOCH, one with a future epoch UNKNOWN_LEADER_EPOCH, a produce to a
 *       follower NOT_LEADER_OR_FOLLOWER with the current leader and its endpoint (KIP-951); nothing refused is
 *       written, nothing accepted is lost;</li>
 *   <li>the controller (Ratis leader) SIGKILLed: a new controller takes over, CreateTopics works again, and the topic
 *       made before keeps its records and its configs (ClusterControlIntegrationTest checks the partition count
 *       only);</li>
 *   <li>one voter left alone (the other two SIGKILLed) refuses metadata changes: CreateTopics fails with a retriable
 *       error or a timeout, the lone broker neither shows the topic nor makes its logs; once the others return, the
 *       topic is either absent or whole (every partition led, full ISR, on every broker), never half-made.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QuorumAndLeaderEpochFaultTest {
    private static final String TOPIC = "epochs";
    private static final int RECORDS = 20;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path root;
    private static ChildCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new ChildCluster(root, 3, Map.of("broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500", "auto.leader.rebalance.enable", "false"));
        cluster.startAll();
        admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster));
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3 && ClusterProbe.brokersEverywhere(cluster, 3))).isTrue();
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

    /**
     * Producer ids come from the controller's blocks: each broker answers InitProducerId with an id no other broker
     * gives. (With a counter per broker every broker started at 0, and two idempotent producers sharing an id had the
     * second one's batches taken for duplicates: acknowledged, never written.)
     */
    @Test
    @Order(0)
    void everyBrokerHandsOutProducerIdsNoOtherBrokerHandsOut() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (int id = 0; id < cluster.size(); id++) {
                try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
                    org.apache.kafka.common.requests.InitProducerIdResponse response = raw.send(
                        new org.apache.kafka.common.requests.InitProducerIdRequest.Builder(
                            new org.apache.kafka.common.message.InitProducerIdRequestData().setTransactionalId(null)
                                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)), (short) 4);
                    assertThat(response.error()).as("InitProducerId on broker %d", id).isEqualTo(Errors.NONE);
                    assertThat(ids.add(response.data().producerId()))
                        .as("producer id %d from broker %d not given before: %s", response.data().producerId(), id, ids).isTrue();
                }
            }
        }
    }

    @Test
    @Order(1)
    void staleAndFutureLeaderEpochsAndAProduceToAFollowerGetKafkasErrorsAndLoseNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(0, 1, 2)))
            .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
        ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 60_000, "every ISR full");
        produce(0, RECORDS / 2);
        // a leader change: broker 0 dies, 1 (next in the replica order) leads at epoch 1; 0 comes back as a follower
        cluster.kill(0);
        assertThat(ChildCluster.await(60_000, () -> leaderOn(1) == 1)).as("broker 1 leads").isTrue();
        cluster.start(0);
        ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 120_000, "every ISR full");
        produce(RECORDS / 2, RECORDS / 2);
        MetadataResponse.PartitionMetadata now = ClusterProbe.partitions(cluster, 1, TOPIC).get(0);
        assertThat(now.leaderId).contains(1);
        int epoch = now.leaderEpoch.orElseThrow();
        assertThat(epoch).isEqualTo(1);

        assertThat(fetch(1, epoch - 1).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(fetch(1, epoch + 1).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
        FetchResponseData.PartitionData current = fetch(1, epoch);
        assertThat(current.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(current.highWatermark()).isEqualTo(RECORDS);

        ProduceResponseData.PartitionProduceResponse refused;
        ProduceResponseData answer;
        try (RawKafkaConnection follower = RawKafkaConnection.open(cluster.node(0).kafkaPort())) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                    .setName(TOPIC).setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE,
                            new SimpleRecord("to-a-follower".getBytes(StandardCharsets.UTF_8)))))))
                    .iterator()));
            ProduceResponse response = follower.send(new ProduceRequest.Builder((short) 3, (short) 11, request), (short) 11);
            answer = response.data();
            refused = answer.responses().iterator().next().partitionResponses().get(0);
        }
        assertThat(refused.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(refused.currentLeader().leaderId()).isEqualTo(1);
        assertThat(refused.currentLeader().leaderEpoch()).isEqualTo(epoch);
        ProduceResponseData.NodeEndpoint leaderEndpoint = answer.nodeEndpoints().find(1);
        assertThat(leaderEndpoint).as("node_endpoints names the leader").isNotNull();
        assertThat(leaderEndpoint.port()).isEqualTo(cluster.node(1).kafkaPort());

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add("r-" + i);
        }
        assertThat(consume(TOPIC)).as("every acknowledged record, none refused").isEqualTo(expected);
    }

    @Test
    @Order(2)
    void aKilledControllerIsReplacedAndEarlierTopicsKeepTheirRecordsAndConfigs() throws Exception {
        int controller = ClusterProbe.awaitActiveController(cluster, 30_000); // the Ratis leader, not a broker for it
        cluster.kill(controller);
        assertThat(ChildCluster.await(60_000, () -> {
            try {
                int now = ClusterProbe.activeControllerExcept(cluster, controller);
                return now >= 0 && now != controller;
            } catch (Exception e) {
                return false;
            }
        })).as("a new controller after killing %d", controller).isTrue();
        admin.createTopics(List.of(new NewTopic("after-controller-kill", 2, (short) 2))).all().get(60, TimeUnit.SECONDS);
        assertThat(admin.describeTopics(List.of("after-controller-kill")).allTopicNames().get(30, TimeUnit.SECONDS)
            .get("after-controller-kill").partitions()).hasSize(2);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        Config configs = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(configs.get("min.insync.replicas").value()).isEqualTo("2");
        assertThat(consume(TOPIC)).hasSize(RECORDS).first().isEqualTo("r-0");
        cluster.start(controller);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3
            && ClusterProbe.isrEverywhere(cluster, TOPIC, 1, 3))).isTrue();
    }

    @Test
    @Order(3)
    void oneVoterAloneRefusesMetadataChangesAndNothingIsHalfCreated() throws Exception {
        int lone = 2;
        cluster.kill(0);
        cluster.kill(1);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(lone));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "40000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        try (Admin loneAdmin = Admin.create(props)) {
            Throwable refused = catchThrowable(() -> loneAdmin.createTopics(List.of(new NewTopic("lonely", 2, (short) 1)),
                new CreateTopicsOptions().timeoutMs(15_000)).all().get(90, TimeUnit.SECONDS));
            assertThat(refused).as("CreateTopics on a voter without a majority").isInstanceOf(ExecutionException.class);
            assertThat(refused.getCause()).isInstanceOfAny(RetriableException.class, TimeoutException.class);
            assertThat(ClusterProbe.partitions(cluster, lone, "lonely")).as("the lone broker shows no such topic").isEmpty();
            assertThat(Files.exists(cluster.node(lone).dir().resolve("data").resolve("lonely-0")))
                .as("no log of the refused topic").isFalse();
        }
        cluster.start(0);
        cluster.start(1);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3
            && ClusterProbe.isrEverywhere(cluster, TOPIC, 1, 3))).as("the quorum is back").isTrue();
        // whatever the lone voter had appended without a majority either never happened or happened whole
        boolean absentEverywhere = ChildCluster.await(10_000, () ->
            ClusterProbe.partitions(cluster, 0, "lonely").isEmpty() && ClusterProbe.partitions(cluster, 1, "lonely").isEmpty()
                && ClusterProbe.partitions(cluster, 2, "lonely").isEmpty());
        if (!absentEverywhere) {
            ClusterProbe.awaitIsrEverywhere(cluster, "lonely", 2, 1, 60_000,
                "a topic created after all is whole on every broker");
        }
        // and the quorum takes metadata changes again, once the controller counts the restarted brokers as unfenced
        // (a broker's DescribeCluster may be behind the controller's count; a refusal for too few brokers creates nothing,
        // so it is retried)
        assertThat(ChildCluster.await(90_000, () -> {
            try {
                admin.createTopics(List.of(new NewTopic("after-quorum-back", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                    return true;
                }
                if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException) {
                    return false;
                }
                throw new AssertionError(e);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        })).as("a topic of three replicas created once three brokers are unfenced").isTrue();
        ClusterProbe.awaitIsrEverywhere(cluster, "after-quorum-back", 1, 3, 60_000, "every ISR full");
        assertThat(consume(TOPIC)).hasSize(RECORDS);
    }

    private static int leaderOn(int id) {
        List<MetadataResponse.PartitionMetadata> partitions = ClusterProbe.partitions(cluster, id, TOPIC);
        return partitions.isEmpty() ? -1 : partitions.get(0).leaderId.orElse(-1);
    }

    private static void produce(int from, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, "r-" + i)).get(120, TimeUnit.SECONDS);
            }
        }
    }

    /** A consumer fetch (v12, by name) of partition 0 from offset 0 sent to broker {@code id}. */
    private static FetchResponseData.PartitionData fetch(int id, int currentLeaderEpoch) {
        try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
            FetchRequest.Builder builder = FetchRequest.Builder.forConsumer((short) 12, 100, 1, Map.of(
                new TopicPartition(TOPIC, 0), new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, -1, 1 << 20,
                    Optional.of(currentLeaderEpoch))));
            FetchResponse response = raw.send(builder, (short) 12);
            return response.data().responses().get(0).partitions().get(0);
        }
    }

    private static List<String> consume(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp, Duration.ofSeconds(60)) < end) {
                assertThat(System.nanoTime() - deadline).as("consumed %s up to %d in time", topic, end).isNegative();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
