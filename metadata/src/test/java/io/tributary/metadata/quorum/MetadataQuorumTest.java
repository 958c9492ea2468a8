package io.tributary.metadata.quorum;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The quorum over real Ratis servers on 127.0.0.1: one node, and three in this JVM. Timeouts are sized for a loaded
 * 2-core machine; every wait has a deadline. Measurements are printed (QUORUM-MEASURE lines), never asserted.
 */
class MetadataQuorumTest {
    /** How long anything that should happen may take on a loaded machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSingleNodeQuorumStartsAppliesAndRestartsFromItsLog() throws Exception {
        MetadataQuorumConfig config = MetadataQuorumConfig.single(1, dir);
        MetadataImage before;
        long lastIndex;
        long started = System.nanoTime();
        try (MetadataQuorum quorum = MetadataQuorum.start(config)) {
            await("the single node leads", quorum::isLeader);
            measure("single-node start to leader ready", started);
            List<List<MetadataRecord>> heard = new CopyOnWriteArrayList<>();
            quorum.addListener((image, records) -> heard.add(records));

            long[] latencies = new long[30];
            for (int i = 0; i < latencies.length; i++) {
                long t = System.nanoTime();
                quorum.submit(List.of(topic(i))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                latencies[i] = System.nanoTime() - t;
            }
            report("single-node commit of one record", latencies);
            assertThat(quorum.image().topics()).hasSize(30);
            assertThat(quorum.image().topic("t7").topicId()).isEqualTo(new UUID(0, 7));
            assertThat(heard).hasSize(30);
            assertThat(heard.get(3)).containsExactly(topic(3));
            before = quorum.image();
            lastIndex = quorum.lastAppliedIndex();
        }
        assertThat(Files.isDirectory(dir.resolve("__cluster_metadata").resolve(
            MetadataQuorum.GROUP_ID.getUuid().toString()))).as("Ratis' files under metadata.log.dir").isTrue();

        long restarted = System.nanoTime();
        try (MetadataQuorum again = MetadataQuorum.start(config)) {
            await("the restarted node leads", again::isLeader);
            measure("single-node restart (30 entries) to leader ready", restarted);
            assertThat(again.restoredSnapshotIndex()).as("no snapshot was taken").isEqualTo(-1);
            await("the log is replayed", () -> again.image().equals(before));
            assertThat(again.lastAppliedIndex()).isGreaterThanOrEqualTo(lastIndex);
            again.submit(List.of(topic(100))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(again.image().topic("t100")).isNotNull();
        }
    }

    @Test
    void aSingleNodeQuorumRestartsFromASnapshot() throws Exception {
        MetadataQuorumConfig config = MetadataQuorumConfig.single(1, dir).withSnapshotEveryEntries(10);
        MetadataImage before;
        try (MetadataQuorum quorum = MetadataQuorum.start(config)) {
            await("the single node leads", quorum::isLeader);
            for (int i = 0; i < 25; i++) {
                quorum.submit(List.of(topic(i))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            Path sm = dir.resolve("__cluster_metadata").resolve(MetadataQuorum.GROUP_ID.getUuid().toString())
                .resolve("sm");
            await("a snapshot is written", () -> snapshotFiles(sm) > 0);
            before = quorum.image();
        }
        List<MetadataImage> loaded = new CopyOnWriteArrayList<>();
        try (MetadataQuorum again = MetadataQuorum.start(config, (image, records) -> {
            if (records.isEmpty()) {
                loaded.add(image);
            }
        })) {
            await("the restarted node leads", again::isLeader);
            assertThat(again.restoredSnapshotIndex()).as("restored from a snapshot").isGreaterThan(0);
            await("the image is back", () -> again.image().equals(before));
            assertThat(loaded).as("the listener heard the snapshot's image").hasSize(1);
            assertThat(loaded.get(0).topics()).as("topics in the snapshot").isNotEmpty();
        }
    }

    private static long snapshotFiles(Path sm) {
        if (!Files.isDirectory(sm)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(sm)) {
            return files.filter(f -> f.getFileName().toString().startsWith("snapshot.")
                && !f.getFileName().toString().endsWith(".md5") && !f.getFileName().toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void threeNodesApplyTheSameRecordsInOrderSurviveTheLeadersLossAndRefuseWritesAlone() throws Exception {
        int[] ports = freePorts(3);
        List<String> voters = List.of("1@127.0.0.1:" + ports[0], "2@127.0.0.1:" + ports[1], "3@127.0.0.1:" + ports[2]);
        List<MetadataQuorum> nodes = new ArrayList<>();
        List<List<MetadataRecord>> heard = new ArrayList<>();
        try {
            long started = System.nanoTime();
            for (int id = 1; id <= 3; id++) {
                MetadataQuorum node = MetadataQuorum.start(config(id, voters));
                List<MetadataRecord> log = new CopyOnWriteArrayList<>();
                node.addListener((image, records) -> log.addAll(records));
                nodes.add(node);
                heard.add(log);
            }
            MetadataQuorum leader = awaitLeader(nodes);
            measure("three-node start to leader ready", started);

            long[] latencies = new long[20];
            for (int i = 0; i < latencies.length; i++) {
                long t = System.nanoTime();
                leader.submit(List.of(topic(i))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                latencies[i] = System.nanoTime() - t;
            }
            report("three-node commit of one record", latencies);
            leader.submit(List.of(topic(20), topic(21), topic(22))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            MetadataImage expected = leader.image();
            for (int n = 0; n < 3; n++) {
                MetadataQuorum node = nodes.get(n);
                await("node " + node.nodeId() + " applied every record", () -> node.image().equals(expected));
            }
            for (List<MetadataRecord> log : heard) {
                assertThat(log).as("records in the leader's order on every node").isEqualTo(heard.get(nodes.indexOf(leader)));
            }
            MetadataQuorum follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            assertThatThrownBy(() -> follower.submit(List.of(topic(99))).join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(QuorumWriteException.class,
                    e -> assertThat(e.reason()).isEqualTo(QuorumWriteException.Reason.NOT_LEADER));

            // The leader goes away: the other two elect one of themselves, which takes writes.
            long lost = System.nanoTime();
            leader.close();
            nodes.remove(leader);
            MetadataQuorum second = awaitLeader(nodes);
            measure("leader closed to new leader ready", lost);
            second.submit(List.of(topic(30))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            for (MetadataQuorum node : nodes) {
                await("node " + node.nodeId() + " applied the new leader's record",
                    () -> node.image().topic("t30") != null);
                assertThat(node.image().topic("t22")).as("records from before the failover").isNotNull();
            }

            // One node alone: no majority, so its write is refused within the write timeout (or at once when it
            // is not the leader any more) and never applied.
            MetadataQuorum other = nodes.stream().filter(n -> n != second).findFirst().orElseThrow();
            other.close();
            nodes.remove(other);
            MetadataQuorum alone = second;
            long refusedStart = System.nanoTime();
            assertThatThrownBy(() -> alone.submit(List.of(topic(40))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOf(QuorumWriteException.class);
            long refusedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedStart);
            assertThat(refusedMs).as("refused within the write timeout and a margin").isLessThan(
                config(1, voters).writeTimeout().toMillis() + 10_000);
            assertThat(alone.image().topic("t40")).isNull();
        } finally {
            for (MetadataQuorum node : nodes) {
                node.close();
            }
        }
    }

    @Test
    void anObserverAppliesTheLogFromASnapshotNeverVotesAndCatchesUpAfterARestart() throws Exception {
        int[] ports = freePorts(3);
        List<String> voters = List.of("1@127.0.0.1:" + ports[0], "2@127.0.0.1:" + ports[1], "3@127.0.0.1:" + ports[2]);
        List<MetadataQuorum> nodes = new ArrayList<>();
        MetadataQuorum observer = null;
        try {
            for (int id = 1; id <= 3; id++) {
                nodes.add(MetadataQuorum.start(config(id, voters).withSnapshotEveryEntries(10)));
            }
            MetadataQuorum leader = awaitLeader(nodes);
            // More entries than a snapshot interval before the observer exists: the leader has purged the log the
            // observer would need, so it must be sent a snapshot.
            for (int i = 0; i < 25; i++) {
                leader.submit(List.of(topic(i))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            MetadataQuorumConfig observerConfig = observerConfig(4, voters);
            assertThat(observerConfig.isCluster()).isTrue();
            observer = MetadataQuorum.start(observerConfig);
            assertThat(observer.isObserver()).isTrue();
            MetadataQuorum watching = observer;
            await("the observer applied the voters' records", () -> watching.image().equals(leader.image()));
            leader.submit(List.of(topic(50))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            await("the observer applies new records", () -> watching.image().topic("t50") != null);
            assertThat(watching.isLeader()).isFalse();
            await("the observer knows the leader", () -> watching.leaderId() == leader.nodeId());
            assertThatThrownBy(() -> watching.submit(List.of(topic(99))).join()).cause()
                .isInstanceOf(QuorumWriteException.class);

            // Restarted, the observer finds itself in the configuration Ratis kept and catches up on what it missed.
            observer.close();
            observer = null;
            leader.submit(List.of(topic(60))).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            observer = MetadataQuorum.start(observerConfig);
            MetadataQuorum back = observer;
            await("the restarted observer caught up", () -> back.image().topic("t60") != null);

            // The observer does not count towards a majority: with two of three voters gone, the last voter and the
            // observer together cannot commit, and nothing is applied anywhere.
            MetadataQuorum survivor = nodes.get(0);
            for (MetadataQuorum node : List.copyOf(nodes.subList(1, 3))) {
                node.close();
                nodes.remove(node);
            }
            assertThatThrownBy(() -> survivor.submit(List.of(topic(70))).get(DEADLINE.toMillis(),
                TimeUnit.MILLISECONDS)).cause().isInstanceOf(QuorumWriteException.class);
            assertThat(back.isLeader()).as("an observer never leads").isFalse();
            assertThat(back.image().topic("t70")).isNull();
            assertThat(survivor.image().topic("t70")).isNull();
        } finally {
            if (observer != null) {
                observer.close();
            }
            for (MetadataQuorum node : nodes) {
                node.close();
            }
        }
    }

    private MetadataQuorumConfig observerConfig(int id, List<String> voters) {
        List<QuorumVoter> parsed = voters.stream().map(QuorumVoter::parse).toList();
        return new MetadataQuorumConfig(id, parsed, new QuorumVoter(id, "127.0.0.1", 0), dir.resolve("node-" + id),
            9_000, 2_000, Duration.ofMillis(1_000), Duration.ofSeconds(8), 10);
    }

    private MetadataQuorumConfig config(int id, List<String> voters) {
        List<QuorumVoter> parsed = voters.stream().map(QuorumVoter::parse).toList();
        return new MetadataQuorumConfig(id, parsed, null, dir.resolve("node-" + id), 9_000, 2_000, Duration.ofMillis(1_000),
            Duration.ofSeconds(8), MetadataQuorumConfig.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    private static MetadataQuorum awaitLeader(List<MetadataQuorum> nodes) {
        MetadataQuorum[] found = new MetadataQuorum[1];
        await("a leader among " + nodes.size() + " nodes", () -> {
            for (MetadataQuorum node : nodes) {
                if (node.isLeader()) {
                    found[0] = node;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }
    @Test
    void theFirstControllerWritesItsClusterIdAndALaterOneKeepsIt() throws Exception {
        MetadataQuorumConfig config = MetadataQuorumConfig.single(1, dir);
        try (MetadataQuorum quorum = MetadataQuorum.start(config);
             QuorumController controller = new QuorumController(quorum, settings("first-node-id-aaaaaaaa"))) {
            await("the controller writes its cluster id", () -> "first-node-id-aaaaaaaa".equals(quorum.image().clusterId()));
            assertThat(controller.handle(new ControllerRequest.Register(1, List.of(), null))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).accepted()).isTrue();
            assertThat(quorum.image().clusterId()).isEqualTo("first-node-id-aaaaaaaa");
        }
        // the restarted quorum replays the id; its controller, proposing another, leaves it
        try (MetadataQuorum again = MetadataQuorum.start(config);
             QuorumController controller = new QuorumController(again, settings("another-id-bbbbbbbbbbb"))) {
            await("the restarted node leads", again::isLeader);
            assertThat(controller.handle(new ControllerRequest.Register(1, List.of(), null))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).accepted()).isTrue();
            assertThat(again.image().clusterId()).isEqualTo("first-node-id-aaaaaaaa");
            assertThat(again.image().broker(1)).isNotNull();
        }
    }

    private static QuorumController.Settings settings(String clusterId) {
        return new QuorumController.Settings(60_000, false, Duration.ZERO, Duration.ofSeconds(30), 2_000, false, clusterId);
    }

    private static Topic topic(int i) {
        return new Topic(new UUID(0, i), "t" + i);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Timed out after " + DEADLINE + " waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static void measure(String what, long startNanos) {
        System.out.printf("QUORUM-MEASURE %s: %d ms%n", what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
            - startNanos));
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("QUORUM-MEASURE %s over %d sequential writes: median %.2f ms, max %.2f ms%n", what,
            sorted.length, sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

}
