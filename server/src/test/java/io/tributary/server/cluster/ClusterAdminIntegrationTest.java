package io.tributary.server.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import io.tributary.server.RawKafkaConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leader elections and partition reassignments on three brokers (child JVMs), driven through kafka-clients' Admin and
 * through Kafka's own CLI tools (kafka-topics, kafka-reassign-partitions, kafka-leader-election run in-process with
 * Exit made to throw): preferred election after a leader kill and restart moves leadership back; reassignments of a
 * single replica and of a replica pair move while an idempotent acks=all producer keeps writing, and a consumer
 * afterwards reads every acknowledged record exactly once; a reassignment held back by a paused target broker is
 * listed with its adding and removing replicas and can be cancelled; bad input gets Kafka's error codes. One cluster
 * serves the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterAdminIntegrationTest {
    @TempDir
    static Path root;
    private static ChildCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        // a session of 10 s: a broker paused for a reassignment stays unfenced long enough to be named as its target
        cluster = new ChildCluster(root, 3, Map.of("broker.session.timeout.ms", "10000",
            "broker.heartbeat.interval.ms", "500", "auto.leader.rebalance.enable", "false",
            "offsets.topic.num.partitions", "3"));
        cluster.startAll();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        admin = Admin.create(props);
        assertTrue(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3), "three brokers registered and unfenced");
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

    private static TopicPartitionInfo partition(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic);
        return description.partitions().get(0);
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static boolean holds(String topic, java.util.function.Predicate<TopicPartitionInfo> condition) {
        try {
            return condition.test(partition(topic));
        } catch (Exception e) {
            return false;
        }
    }

    /** The active controller (the Ratis leader), through DescribeCluster's controllers endpoint type. */
    private static int controller() throws Exception {
        return ClusterProbe.awaitActiveController(cluster, 30_000);
    }

    /**
     * The cluster id every broker reports, once they all agree: through Metadata and DescribeCluster (raw, each broker
     * alone) and its meta.properties, confirmed; then an Admin bootstrapped from each broker alone sees it too.
     */
    private static String awaitOneClusterId() throws Exception {
        String[] agreed = {null};
        assertTrue(ChildCluster.await(90_000, () -> {
            Set<String> ids = new java.util.HashSet<>();
            for (int id = 0; id < cluster.size(); id++) {
                try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(id).kafkaPort())) {
                    ids.add(String.valueOf(((MetadataResponse) raw.send(new MetadataRequest.Builder(List.of(), false),
                        (short) 12)).clusterId()));
                    ids.add(String.valueOf(((org.apache.kafka.common.requests.DescribeClusterResponse) raw.send(
                        new org.apache.kafka.common.requests.DescribeClusterRequest.Builder(
                            new org.apache.kafka.common.message.DescribeClusterRequestData()), (short) 0))
                        .data().clusterId()));
                    String meta = Files.readString(cluster.node(id).dir().resolve("data").resolve("meta.properties"));
                    if (!meta.contains("cluster.id.confirmed=true")) {
                        return false;
                    }
                    ids.add(meta.lines().filter(l -> l.startsWith("cluster.id=")).findFirst().orElse("none").substring(11));
                } catch (RuntimeException | IOException e) {
                    return false;
                }
            }
            agreed[0] = ids.size() == 1 ? ids.iterator().next() : null;
            return agreed[0] != null;
        }), "every broker reports one cluster id");
        for (int id = 0; id < cluster.size(); id++) {
            try (Admin alone = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(id)))) {
                assertThat(alone.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).as("broker %d", id)
                    .isEqualTo(agreed[0]);
            }
        }
        return agreed[0];
    }

    @Test
    @Order(1)
    void preferredElectionMovesLeadershipBackAfterTheLeaderRestarts() throws Exception {
        // one id for the cluster, agreed by its quorum, though each node generated its own at its first start
        String clusterId = awaitOneClusterId();
        admin.createTopics(List.of(new NewTopic("elect", 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
        // the describe below asks one broker, which may not have applied the create's image yet (see the CLI test)
        ClusterProbe.awaitIsrEverywhere(cluster, "elect", 1, 3, 60_000, "topic elect created");
        TopicPartition tp = new TopicPartition("elect", 0);
        TopicPartitionInfo before = partition("elect");
        int preferred = before.replicas().get(0).id();
        assertEquals(preferred, before.leader().id());

        assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions().get(30, TimeUnit.SECONDS)
            .get(tp)).as("the preferred replica leads already").containsInstanceOf(ElectionNotNeededException.class);

        cluster.kill(preferred);
        assertTrue(ChildCluster.await(60_000, () -> holds("elect", p -> p.leader() != null
            && p.leader().id() != preferred)), "another replica leads while the preferred one is down");
        assertTrue(ChildCluster.await(30_000, () -> holds("elect", p -> !ids(p.isr()).contains(preferred))),
            "the killed broker leaves the ISR");
        // Metadata lists the fenced broker's replica as offline while it is down
        int live = preferred == 0 ? 1 : 0;
        try (RawKafkaConnection raw = RawKafkaConnection.open(cluster.node(live).kafkaPort())) {
            MetadataResponse response = raw.send(new MetadataRequest.Builder(List.of("elect"), false), (short) 12);
            MetadataResponse.PartitionMetadata described = response.topicMetadata().iterator().next()
                .partitionMetadata().get(0);
            assertThat(described.offlineReplicaIds).containsExactly(preferred);
            assertThat(described.replicaIds).contains(preferred);
            // the controller Metadata names is a broker it lists (a live one, as Kafka's KRaft brokers answer)
            assertThat(response.controller()).as("controller among %s", response.brokers()).isNotNull();
        }
        cluster.start(preferred);
        assertTrue(ChildCluster.await(90_000, () -> holds("elect", p -> ids(p.isr()).contains(preferred))),
            "the restarted broker catches up and rejoins the ISR");
        assertThat(partition("elect").leader().id()).as("no automatic rebalance in this cluster").isNotEqualTo(preferred);
        assertThat(awaitOneClusterId()).as("the same id after a restart").isEqualTo(clusterId);

        Map<TopicPartition, Optional<Throwable>> elected = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp))
            .partitions().get(60, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), elected.get(tp));
        assertTrue(ChildCluster.await(30_000, () -> holds("elect", p -> p.leader().id() == preferred)),
            "the preferred replica leads again");

        assertThat(admin.electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions().get(30, TimeUnit.SECONDS)
            .get(tp)).as("an unclean election where a leader exists").containsInstanceOf(ElectionNotNeededException.class);

        TopicPartition missing = new TopicPartition("elect", 7);
        Optional<Throwable> unknown = admin.electLeaders(ElectionType.PREFERRED, Set.of(missing)).partitions()
            .get(30, TimeUnit.SECONDS).get(missing);
        assertThat(unknown).containsInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    @Order(2)
    void reassignmentsMoveReplicasWhileAProducerWritesAndLoseNothing() throws Exception {
        int controller = controller();
        // the broker that joins the pair is paused for a while, so it must not be the controller
        int joining = controller == 2 ? 1 : 2;
        List<Integer> others = Stream.of(0, 1, 2).filter(id -> id != joining).toList();
        int leaving = others.get(0);
        int staying = others.get(1);
        admin.createTopics(List.of(
            new NewTopic("move-one", Map.of(0, List.of(leaving))),
            new NewTopic("move-pair", Map.of(0, List.of(leaving, staying))),
            new NewTopic("cancelled", Map.of(0, List.of(staying))))).all().get(60, TimeUnit.SECONDS);

        try (Writer writer = new Writer(List.of("move-one", "move-pair"))) {
            writer.awaitAcked(500, 60_000);
            // a single replica moves to another broker
            admin.alterPartitionReassignments(Map.of(new TopicPartition("move-one", 0),
                Optional.of(new NewPartitionReassignment(List.of(staying))))).all().get(60, TimeUnit.SECONDS);
            assertTrue(ChildCluster.await(60_000, () -> holds("move-one", p -> ids(p.replicas()).equals(List.of(staying))
                && p.leader() != null && p.leader().id() == staying)), "move-one now lives on broker " + staying);

            // a pair {leaving, staying} moves to {staying, joining} while joining is paused: the move waits for it
            cluster.pause(joining);
            try {
                admin.alterPartitionReassignments(Map.of(
                    new TopicPartition("move-pair", 0), Optional.of(new NewPartitionReassignment(List.of(staying, joining))),
                    new TopicPartition("cancelled", 0), Optional.of(new NewPartitionReassignment(List.of(joining))))).all()
                    .get(60, TimeUnit.SECONDS);
                Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments()
                    .get(30, TimeUnit.SECONDS);
                PartitionReassignment pair = ongoing.get(new TopicPartition("move-pair", 0));
                assertThat(pair).as("listed during the move: " + ongoing).isNotNull();
                assertThat(pair.replicas()).containsExactly(staying, joining, leaving);
                assertThat(pair.addingReplicas()).containsExactly(joining);
                assertThat(pair.removingReplicas()).containsExactly(leaving);
                assertThat(ongoing).containsKey(new TopicPartition("cancelled", 0));

                // cancelling returns to the original replica
                admin.alterPartitionReassignments(Map.of(new TopicPartition("cancelled", 0), Optional.empty())).all()
                    .get(60, TimeUnit.SECONDS);
                assertThat(admin.listPartitionReassignments(Set.of(new TopicPartition("cancelled", 0))).reassignments()
                    .get(30, TimeUnit.SECONDS)).isEmpty();
            } finally {
                cluster.resume(joining);
            }
            // (described only now: a describe may go to any broker, and a paused one would not answer)
            assertThat(ids(partition("cancelled").replicas())).containsExactly(staying);
            assertTrue(ChildCluster.await(90_000, () -> holds("move-pair", p ->
                ids(p.replicas()).equals(List.of(staying, joining)) && ids(p.isr()).containsAll(List.of(staying, joining))
                    && p.leader() != null && p.leader().id() == staying)),
                "move-pair now lives on " + staying + " and " + joining + ": " + partition("move-pair"));
            assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS)).isEmpty();
            writer.awaitAcked(writer.acked() + 500, 60_000);
        } // the writer stops and waits for its last sends here

        for (String topic : List.of("move-one", "move-pair")) {
            Map<String, Integer> read = readAll(topic);
            Set<String> acked = Writer.ACKED.get(topic);
            assertThat(acked).as("acknowledged writes to " + topic).isNotEmpty();
            for (String value : acked) {
                assertThat(read.get(value)).as("acknowledged record " + value + " of " + topic + " read once")
                    .isEqualTo(1);
            }
            assertThat(read.values()).as("no record of " + topic + " twice").allMatch(count -> count == 1);
        }
        // the brokers that left delete their copies (the log stays, empty)
        assertTrue(ChildCluster.await(30_000, () -> localBytes(leaving, "move-one") == 0
            && localBytes(leaving, "move-pair") == 0), "broker " + leaving + " deleted its old replicas");
    }

    /** Bytes of the segment files of partition 0 of {@code topic} on broker {@code id}. */
    private static long localBytes(int id, String topic) {
        Path dir = cluster.node(id).dir().resolve("data").resolve(topic + "-0");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Map<String, Integer> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp, Duration.ofSeconds(30)) < end && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(record.value(), 1, Integer::sum);
                }
            }
            assertThat(consumer.position(tp)).as("read " + topic + " to its end").isEqualTo(end);
        }
        return counts;
    }

    /**
     * An idempotent acks=all producer writing numbered records round the given topics on its own thread until closed;
     * records the values the broker acknowledged.
     */
    private static final class Writer implements AutoCloseable {
        static final Map<String, Set<String>> ACKED = new ConcurrentHashMap<>();
        private final KafkaProducer<String, String> producer;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Writer(List<String> topics) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(props);
            topics.forEach(t -> ACKED.put(t, Collections.newSetFromMap(new ConcurrentHashMap<>())));
            thread = new Thread(() -> {
                long i = 0;
                // bounded: at most 2 million sends, and in-flight sends are throttled by the producer's buffer
                while (running.get() && i < 2_000_000) {
                    String topic = topics.get((int) (i % topics.size()));
                    String value = topic + "#" + i++;
                    producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, error) -> {
                        if (error == null) {
                            ACKED.get(topic).add(value);
                        }
                    });
                    if (i % 50 == 0) {
                        try {
                            Thread.sleep(5); // a steady trickle, not a flood, on a shared 2-core machine
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "reassignment-writer");
            thread.setDaemon(true);
            thread.start();
        }

        int acked() {
            return ACKED.values().stream().mapToInt(Set::size).sum();
        }

        void awaitAcked(int count, long timeoutMs) throws InterruptedException {
            assertTrue(ChildCluster.await(timeoutMs, () -> acked() >= count), "acknowledged " + acked() + " of "
                + count + " records in time");
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            producer.flush();
            producer.close(Duration.ofSeconds(60));
        }
    }

    @Test
    @Order(3)
    void badReassignmentsGetKafkasErrorCodes() throws Exception {
        admin.createTopics(List.of(new NewTopic("bad-input", Map.of(0, List.of(0, 1))))).all().get(60, TimeUnit.SECONDS);
        TopicPartition tp = new TopicPartition("bad-input", 0);
        assertRefused(InvalidReplicaAssignmentException.class, Map.of(tp,
            Optional.of(new NewPartitionReassignment(List.of(0, 7)))));
        assertRefused(InvalidReplicaAssignmentException.class, Map.of(tp,
            Optional.of(new NewPartitionReassignment(List.of(0, 1, 2, 3)))));
        assertRefused(InvalidReplicaAssignmentException.class, Map.of(tp,
            Optional.of(new NewPartitionReassignment(List.of(1, 1)))));
        assertRefused(UnknownTopicOrPartitionException.class, Map.of(new TopicPartition("bad-input", 4),
            Optional.of(new NewPartitionReassignment(List.of(0)))));
        assertRefused(UnknownTopicOrPartitionException.class, Map.of(new TopicPartition("no-such-topic", 0),
            Optional.of(new NewPartitionReassignment(List.of(0)))));
        assertRefused(NoReassignmentInProgressException.class, Map.of(tp, Optional.empty()));
        assertThat(ids(partition("bad-input").replicas())).as("nothing changed").containsExactly(0, 1);
    }

    private static void assertRefused(Class<? extends Throwable> expected,
                                      Map<TopicPartition, Optional<NewPartitionReassignment>> request) {
        ExecutionException refused = assertThrows(ExecutionException.class, () ->
            admin.alterPartitionReassignments(request).all().get(60, TimeUnit.SECONDS));
        assertInstanceOf(expected, refused.getCause(), String.valueOf(refused.getCause()));
    }

    // ---- Kafka's CLI tools

    /** Runs a tool's main in-process with Exit made to throw; returns its exit code and what it printed. */
    private record ToolRun(int exitCode, String output) {
    }

    private static final class ToolExit extends RuntimeException {
        final int code;

        ToolExit(int code) {
            super("exit " + code);
            this.code = code;
        }
    }

    private static synchronized ToolRun runTool(ToolMain main, String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        // the first exit counts: a tool may exit from a finally block, and its caller catches our throw and exits again
        int[] firstExit = {-1};
        Exit.setExitProcedure((status, message) -> {
            if (firstExit[0] < 0) {
                firstExit[0] = status;
            }
            throw new ToolExit(status);
        });
        int code = 0;
        try {
            System.setOut(capture);
            main.run(args);
        } catch (ToolExit exit) {
            code = firstExit[0];
        } catch (Exception e) {
            throw new AssertionError("tool failed: " + printed.toString(StandardCharsets.UTF_8), e);
        } finally {
            System.setOut(out);
            Exit.resetExitProcedure();
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        return new ToolRun(code, output);
    }

    @FunctionalInterface
    private interface ToolMain {
        void run(String[] args) throws Exception;
    }

    @Test
    @Order(4)
    void kafkasCliDescribesReassignsAndElects() throws Exception {
        admin.createTopics(List.of(new NewTopic("cli", Map.of(0, List.of(1, 0))))).all().get(60, TimeUnit.SECONDS);
        // CreateTopics waits for the controller's commit and for the broker it went to; the others apply the new image
        // a moment later, and the tool asks whichever broker it picks, once (it failed on a loaded run: "Topic 'cli'
        // does not exist as expected"). Kafka's own brokers learn new topics just as asynchronously.
        ClusterProbe.awaitIsrEverywhere(cluster, "cli", 1, 2, 60_000, "topic cli created");
        ToolRun described = runTool(org.apache.kafka.tools.TopicCommand::main, "--bootstrap-server", cluster.bootstrap(),
            "--describe", "--topic", "cli");
        assertEquals(0, described.exitCode(), described.output());
        assertThat(described.output()).contains("Topic: cli").containsPattern("Replicas: 1,0\\s+Isr: (0,1|1,0)");

        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("cli", 0, null, "cli#" + i)).get(60, TimeUnit.SECONDS);
            }
        }
        Path plan = root.resolve("reassignment.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"cli\",\"partition\":0,\"replicas\":[2,1]}]}");
        ToolRun executed = runTool(org.apache.kafka.tools.reassign.ReassignPartitionsCommand::main,
            "--bootstrap-server", cluster.bootstrap(), "--reassignment-json-file", plan.toString(), "--execute");
        assertEquals(0, executed.exitCode(), executed.output());
        assertThat(executed.output()).contains("Successfully started partition reassignment");
        assertTrue(ChildCluster.await(90_000, () -> {
            ToolRun verified = runTool(org.apache.kafka.tools.reassign.ReassignPartitionsCommand::main,
                "--bootstrap-server", cluster.bootstrap(), "--reassignment-json-file", plan.toString(), "--verify");
            return verified.output().contains("Reassignment of partition cli-0 is completed");
        }), "kafka-reassign-partitions --verify reports the move complete");
        assertThat(ids(partition("cli").replicas())).containsExactly(2, 1);
        Map<String, Integer> read = readAll("cli");
        for (int i = 0; i < 200; i++) {
            assertThat(read.get("cli#" + i)).as("record " + i + " after the move").isEqualTo(1);
        }

        // the leader stays on 1 after the move (it was not removed); preferred election moves it to 2
        assertTrue(ChildCluster.await(60_000, () -> holds("cli", p -> ids(p.isr()).containsAll(List.of(1, 2)))));
        ToolRun elected = runTool(org.apache.kafka.tools.LeaderElectionCommand::main, "--bootstrap-server",
            cluster.bootstrap(), "--election-type", "preferred", "--all-topic-partitions");
        assertEquals(0, elected.exitCode(), elected.output());
        assertThat(elected.output()).contains("Successfully completed leader election (PREFERRED)");
        assertTrue(ChildCluster.await(30_000, () -> holds("cli", p -> p.leader() != null && p.leader().id() == 2)));
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
