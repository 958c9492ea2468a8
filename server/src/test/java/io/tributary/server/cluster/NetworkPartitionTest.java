package io.tributary.server.cluster;

import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's network-fault "must show": a partition leader cut off from the other brokers by TCP proxies acknowledges
 * no acks=all write, the others elect a new leader, and when the network heals the old leader truncates its divergent
 * tail by leader epoch and follows.
 *
 * <p>How the cut is made (three brokers, all voters). Clients reach every broker directly (listener CLIENT). Between
 * brokers every path goes through a {@link TcpProxy}:
 * <ul>
 *   <li>the metadata quorum (Ratis): each node is started with its own {@code controller.quorum.voters}, naming its
 *       own real quorum port but, for every other node j, a proxy of its own towards j: one proxy per ordered pair.
 *       This works because Ratis keeps the address a server first learned for a peer id (its {@code PeerProxyMap}
 *       adds a peer of a replicated configuration only if absent), so each node keeps dialling through its own
 *       proxies; the nodes are never restarted here, which would be the moment that could change;</li>
 *   <li>replication: each broker has a second listener, REPLICATION, named by {@code inter.broker.listener.name} and
 *       advertised at a proxy, so followers fetch from a leader through the proxy in front of it.</li>
 * </ul>
 * Cutting the isolated broker's four quorum proxies (to and from each other node) and the proxy in front of its
 * replication listener leaves it running, reachable by clients, but deaf to the controller and to its followers. What
 * is not cut: the isolated broker's own fetches from leaders of other partitions (it follows none of this topic), which
 * change nothing here.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NetworkPartitionTest {
    private static final String TOPIC = "partitioned";
    private static final int SIZE = 3;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void anIsolatedLeaderAcknowledgesNoAcksAllWriteAndTruncatesItsDivergentTailOnHealing() throws Exception {
        int[] replicationPorts = io.tributary.server.LoopbackPorts.unused(SIZE);
        TcpProxy[][] quorum = new TcpProxy[SIZE][SIZE];
        TcpProxy[] replication = new TcpProxy[SIZE];
        AtomicReference<ChildCluster> clusterRef = new AtomicReference<>();
        Map<String, String> settings = Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500",
            "replica.fetch.wait.max.ms", "200", "replica.socket.timeout.ms", "5000", "auto.leader.rebalance.enable", "false",
            "listener.security.protocol.map", "CLIENT:PLAINTEXT,REPLICATION:PLAINTEXT",
            "inter.broker.listener.name", "REPLICATION");
        try (ChildCluster cluster = new ChildCluster(root, SIZE, settings,
            id -> nodeSettings(clusterRef.get(), id, quorum, replication, replicationPorts));
             AutoCloseable proxies = () -> closeAll(quorum, replication)) {
            clusterRef.set(cluster);
            for (int i = 0; i < SIZE; i++) {
                replication[i] = new TcpProxy(replicationPorts[i]);
                for (int j = 0; j < SIZE; j++) {
                    if (i != j) {
                        quorum[i][j] = new TcpProxy(cluster.node(j).quorumPort());
                    }
                }
            }
            cluster.startAll();
            try (Admin admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster))) {
                assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == SIZE && ClusterProbe.brokersEverywhere(cluster, SIZE))).isTrue();
                int controller = ClusterProbe.awaitActiveController(cluster, 30_000);
                int isolated = (controller + 1) % SIZE; // a partition leader that is not the controller
                List<Integer> replicas = new ArrayList<>(List.of(isolated, (isolated + 1) % SIZE, (isolated + 2) % SIZE));
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, replicas))
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
                ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 60_000, "every ISR full");
                int epochBefore = ClusterProbe.partitions(cluster, isolated, TOPIC).get(0).leaderEpoch.orElseThrow();

                int[] newLeader = {-1};
                List<String> acked = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean producing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> produceUntilStopped(cluster, producing, acked), "producer");
                producer.start();
                try {
                    assertThat(ChildCluster.await(60_000, () -> acked.size() >= 200)).as("acknowledged before the cut").isTrue();

                    // ---- cut the leader off from the other brokers (quorum both ways, its followers' fetches)
                    for (int j = 0; j < SIZE; j++) {
                        if (j != isolated) {
                            quorum[isolated][j].cut();
                            quorum[j][isolated].cut();
                        }
                    }
                    replication[isolated].cut();

                    // straight to the isolated leader: acks=all is never acknowledged; it appends, then times out
                    int timedOut = 0;
                    for (int attempt = 0; attempt < 3; attempt++) {
                        Errors error = produceDirectly(cluster.node(isolated).kafkaPort(), "isolated-" + attempt);
                        assertThat(error).as("acks=all write %d to the isolated leader", attempt).isNotEqualTo(Errors.NONE)
                            .isIn(Errors.REQUEST_TIMED_OUT, Errors.NOT_ENOUGH_REPLICAS, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                                Errors.NOT_LEADER_OR_FOLLOWER);
                        if (error == Errors.REQUEST_TIMED_OUT) {
                            timedOut++;
                        }
                    }
                    assertThat(timedOut).as("the isolated leader took the writes into its log (a divergent tail)").isPositive();

                    assertThat(ChildCluster.await(60_000, () -> {
                        for (int j = 0; j < SIZE; j++) {
                            if (j == isolated) {
                                continue;
                            }
                            List<MetadataResponse.PartitionMetadata> p = ClusterProbe.partitions(cluster, j, TOPIC);
                            if (p.isEmpty() || p.get(0).leaderId.orElse(-1) == isolated || p.get(0).leaderId.isEmpty()
                                || p.get(0).leaderEpoch.orElse(-1) <= epochBefore) {
                                return false;
                            }
                            newLeader[0] = p.get(0).leaderId.get();
                        }
                        return true;
                    })).as("the other brokers elect a new leader").isTrue();
                    assertThat(ChildCluster.await(60_000, () -> acked.size() >= 400 + 200))
                        .as("the producer goes on with the new leader %d", newLeader[0]).isTrue();

                    // ---- heal
                    for (int j = 0; j < SIZE; j++) {
                        if (j != isolated) {
                            quorum[isolated][j].heal();
                            quorum[j][isolated].heal();
                        }
                    }
                    replication[isolated].heal();
                    ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 120_000,
                        "the old leader follows and rejoins the ISR");
                    assertThat(ClusterProbe.partitions(cluster, isolated, TOPIC).get(0).leaderId.orElse(-1))
                        .isEqualTo(newLeader[0]);
                } finally {
                    producing.set(false);
                    producer.join(TimeUnit.MINUTES.toMillis(3));
                }
                assertThat(producer.isAlive()).isFalse();

                List<String> consumed = consume(cluster);
                assertThat(consumed).as("no write the isolated leader refused survives").noneMatch(v -> v.startsWith("isolated-"));
                List<String> sequenced = consumed.stream().filter(v -> v.startsWith("seq-")).toList();
                List<Integer> order = sequenced.stream().map(v -> Integer.parseInt(v.substring(4))).toList();
                for (int i = 1; i < order.size(); i++) {
                    assertThat(order.get(i)).as("once and in order at %d", i).isGreaterThan(order.get(i - 1));
                }
                assertThat(sequenced).as("every acknowledged record").containsAll(acked);

                // the replicas' whole logs are identical: the old leader's divergent tail is gone
                // follower fetches carry the last high watermark over and each broker checkpoints it: wait until every
                // broker's checkpoint holds the end offset consumers see
                long end = consumedEnd(cluster);
                assertThat(ChildCluster.await(60_000, () -> checkpointedHighWatermarks(cluster).stream().allMatch(hw -> hw >= end)))
                    .as("every broker's checkpointed high watermark reaches %d", end).isTrue();
                for (int id = 0; id < SIZE; id++) {
                    cluster.kill(id);
                }
                List<List<String>> logs = new ArrayList<>();
                for (int id = 0; id < SIZE; id++) {
                    logs.add(batches(cluster, id));
                }
                for (int id = 0; id < SIZE; id++) {
                    assertThat(logs.get(id)).as("log of broker %d (isolated: %d) against broker %d's", id, isolated, newLeader[0])
                        .isEqualTo(logs.get(newLeader[0]));
                }
            }
        }
    }

    private static Map<String, String> nodeSettings(ChildCluster cluster, int id, TcpProxy[][] quorum, TcpProxy[] replication,
                                                    int[] replicationPorts) {
        StringJoiner voters = new StringJoiner(",");
        for (int j = 0; j < SIZE; j++) {
            int port = j == id ? cluster.node(j).quorumPort() : quorum[id][j].port();
            voters.add(j + "@127.0.0.1:" + port);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("controller.quorum.voters", voters.toString());
        settings.put("listeners", "CLIENT://127.0.0.1:" + cluster.node(id).kafkaPort() + ",REPLICATION://127.0.0.1:"
            + replicationPorts[id]);
        settings.put("advertised.listeners", "CLIENT://127.0.0.1:" + cluster.node(id).kafkaPort()
            + ",REPLICATION://127.0.0.1:" + replication[id].port());
        return settings;
    }

    private static void closeAll(TcpProxy[][] quorum, TcpProxy[] replication) {
        for (TcpProxy[] row : quorum) {
            for (TcpProxy proxy : row) {
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
        for (TcpProxy proxy : replication) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /** An idempotent acks=all producer sending seq-0, seq-1... to partition 0 until told to stop; acked values collected. */
    private static void produceUntilStopped(ChildCluster cluster, AtomicBoolean producing, List<String> acked) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "8000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; producing.get() && i < 1_000_000; i++) {
                String value = "seq-" + i;
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value), (metadata, exception) -> {
                    if (exception == null) {
                        acked.add(value);
                    }
                });
                Thread.sleep(5); // a steady trickle through the cut and the healing
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One acks=all produce (v11, timeout 4 s) of {@code value} to partition 0, sent to the broker at {@code port}. */
    private static Errors produceDirectly(int port, String value) {
        try (RawKafkaConnection raw = RawKafkaConnection.open(port)) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(4_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                    .setName(TOPIC).setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE,
                            new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)))))))
                    .iterator()));
            ProduceResponse response = raw.send(new ProduceRequest.Builder((short) 3, (short) 11, request), (short) 11);
            return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
        }
    }

    private static List<String> consume(ChildCluster cluster) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (consumer.position(tp, Duration.ofSeconds(60)) < end) {
                assertThat(System.nanoTime() - deadline).as("consumed up to %d in time", end).isNegative();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /** Every batch of broker {@code id}'s copy of partition 0 (offsets, leader epoch, checksum), read with the log module. */
    /** The end offset of the partition as a consumer sees it (the leader's high watermark). */
    private static long consumedEnd(ChildCluster cluster) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            return consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
        }
    }

    /** Each broker's checkpointed high watermark of the partition, -1 where none is written yet. */
    private static List<Long> checkpointedHighWatermarks(ChildCluster cluster) {
        List<Long> highWatermarks = new ArrayList<>();
        for (int id = 0; id < SIZE; id++) {
            Long hw;
            try {
                hw = new io.tributary.log.checkpoint.OffsetCheckpointFile(cluster.node(id).dir().resolve("data")
                    .resolve("replication-offset-checkpoint")).read().get(new io.tributary.protocol.TopicPartition(TOPIC, 0));
            } catch (RuntimeException notWrittenYet) {
                hw = null;
            }
            highWatermarks.add(hw == null ? -1 : hw);
        }
        return highWatermarks;
    }

    private static List<String> batches(ChildCluster cluster, int id) {
        io.tributary.protocol.TopicPartition tp = new io.tributary.protocol.TopicPartition(TOPIC, 0);
        List<String> batches = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(cluster.node(id).dir().resolve("data").resolve(TOPIC + "-0"), tp,
            LogConfig.defaults(), 0, false, Clock.systemUTC(), Runnable::run)) {
            log.forEachBatchHeader(0, batch -> batches.add(batch.baseOffset() + ".." + batch.lastOffset() + " epoch "
                + batch.partitionLeaderEpoch() + " crc " + batch.checksum()));
        }
        return batches;
    }
}
