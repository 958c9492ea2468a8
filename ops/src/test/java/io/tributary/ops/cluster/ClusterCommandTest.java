package io.tributary.ops.cluster;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary cluster up/status/down} with real child JVMs (-Xmx256m) on free ports, {@code topics describe}
 * of a replicated topic on that cluster, the foreground launcher stopping its nodes on SIGTERM, and the answers to
 * bad input.
 */
class ClusterCommandTest {
    private static final String[] SMALL_NODES = {"--jvm-option=-Xmx256m", "--jvm-option=-XX:+UseSerialGC",
        "--jvm-option=-XX:TieredStopAtLevel=1"};

    @TempDir
    Path tmp;

    private final List<Long> pidsToReap = new ArrayList<>();

    @AfterEach
    void reap() {
        // Whatever a failed test left running dies here (the pids come from the cluster's own pids file).
        for (long pid : pidsToReap) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                LocalNodes.awaitExit(h, 10_000);
            });
        }
    }

    /** A base port with {@code count} consecutive free ports on 127.0.0.1 (bounded search). */
    static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                base = any.getLocalPort();
            }
            if (base + count > 65_535) {
                continue;
            }
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found in 50 tries");
    }

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private List<Long> pids(Path dataDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("cluster.pids"), StandardCharsets.UTF_8)) {
            pids.add(Long.parseLong(line.trim().split("\\s+")[1]));
        }
        pidsToReap.addAll(pids);
        return pids;
    }

    /** The last lines of every node's output, for a failed start (the temporary directory goes with the test). */
    private static String nodeLogTails(Path dataDir) {
        StringBuilder tails = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            Path log = dataDir.resolve("node-" + id).resolve("broker.log");
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                tails.append("\n--- ").append(log).append('\n')
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            } catch (IOException e) {
                tails.append("\n--- ").append(log).append(": ").append(e);
            }
        }
        return tails.toString();
    }

    @Test
    void threeNodesUpStatusReplicatedTopicAndDown() throws Exception {
        int base = freePortRange(6);
        Path dataDir = tmp.resolve("data");
        String bootstrap = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2);

        CommandRun up = CommandRun.of(args(new String[] {"cluster", "up", "--nodes", "3", "--base-port", Integer.toString(base),
            "--data-dir", dataDir.toString(), "--detach", "--timeout", "150"}, SMALL_NODES));
        List<Long> pids = Files.exists(dataDir.resolve("cluster.pids")) ? pids(dataDir) : List.of();
        assertThat(up.exit()).as(() -> up + nodeLogTails(dataDir)).isZero();
        assertThat(up.out()).contains("Cluster ready: 3 broker(s), bootstrap servers " + bootstrap);
        assertThat(pids).hasSize(3).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(dataDir.resolve("node-1/data")).isDirectory();
        assertThat(dataDir.resolve("node-3/broker.log")).exists();

        CommandRun status = CommandRun.of("cluster", "status", "-b", "127.0.0.1:" + (base + 1));
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("3 broker\\(s\\), controller [123] \\(127\\.0\\.0\\.1:\\d+\\)")
            .containsPattern("\\n\\s*1\\s+127\\.0\\.0\\.1:" + base + "\\s+-")
            .containsPattern("\\n\\s*2\\s+127\\.0\\.0\\.1:" + (base + 1) + "\\s+-")
            .containsPattern("\\n\\s*3\\s+127\\.0\\.0\\.1:" + (base + 2) + "\\s+-")
            .contains("controller\n", "Offline partitions: 0");
        assertThat(status.out().split("controller\n", -1)).as("exactly one broker row is the controller").hasSize(2);

        CommandRun created = CommandRun.of("topics", "create", "replicated", "--partitions", "2", "--replication-factor", "3",
            "-b", bootstrap);
        assertThat(created.exit()).as(created.toString()).isZero();
        CommandRun described = CommandRun.of("topics", "describe", "replicated", "-b", bootstrap);
        assertThat(described.exit()).as(described.toString()).isZero();
        // PARTITION LEADER REPLICAS ISR ...: three replicas each, the leader one of them, every replica in the ISR.
        assertThat(described.out()).contains("Topic replicated: 2 partition(s)")
            .containsPattern("\\n\\s*0\\s+[123]\\s+\\[[123], [123], [123]\\]\\s+\\[[123], [123], [123]\\]\\s")
            .containsPattern("\\n\\s*1\\s+[123]\\s+\\[[123], [123], [123]\\]\\s+\\[[123], [123], [123]\\]\\s");
        CommandRun json = CommandRun.of("cluster", "status", "-b", bootstrap, "-o", "json");
        assertThat(json.out()).contains("\"offlinePartitions\":[]").containsPattern("\"controller\":[123]")
            .containsPattern("\"topics\":[1-9]");

        CommandRun again = CommandRun.of(args(new String[] {"cluster", "up", "--nodes", "3", "--base-port", Integer.toString(base),
            "--data-dir", dataDir.toString()}, SMALL_NODES));
        assertThat(again.exit()).isEqualTo(Tributary.FAILED);
        assertThat(again.err()).contains("already running", "cluster down");

        CommandRun down = CommandRun.of("cluster", "down", "--data-dir", dataDir.toString());
        assertThat(down.exit()).as(down.toString()).isZero();
        assertThat(down.out()).contains("Stopping node 1", "Stopping node 2", "Stopping node 3", "Stopped 3 node(s).");
        assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(dataDir.resolve("cluster.pids")).doesNotExist();
        assertThat(CommandRun.of("cluster", "down", "--data-dir", dataDir.toString()).out()).contains("No node of the cluster");
    }

    @Test
    void foregroundLauncherStopsItsNodesOnSigterm() throws Exception {
        int base = freePortRange(2);
        Path dataDir = tmp.resolve("fg");
        Path output = tmp.resolve("launcher.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Tributary.class.getName(),
            "cluster", "up", "--nodes", "1", "--base-port", Integer.toString(base), "--data-dir", dataDir.toString(),
            "--timeout", "120"));
        command.addAll(List.of(SMALL_NODES));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        pidsToReap.add(launcher.pid());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (System.nanoTime() - deadline < 0 && launcher.isAlive()
                && !Files.readString(output).contains("Press Ctrl-C")) {
                launcher.waitFor(200, TimeUnit.MILLISECONDS); // polling pace against the deadline
            }
            assertThat(Files.readString(output)).as("launcher output").contains("Cluster ready: 1 broker(s), bootstrap servers 127.0.0.1:" + base);
            List<Long> pids = pids(dataDir);
            assertThat(pids).hasSize(1);
            ProcessHandle node = ProcessHandle.of(pids.get(0)).orElseThrow();
            assertThat(launcher.descendants().map(ProcessHandle::pid)).contains(node.pid());

            launcher.destroy(); // SIGTERM, as a service manager or `kill` sends it
            assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher exits").isTrue();
            assertThat(LocalNodes.awaitExit(node, 10_000)).as("node stopped").isTrue();
            assertThat(Files.readString(output)).contains("Stopping node 1", "Cluster stopped");
            assertThat(dataDir.resolve("cluster.pids")).doesNotExist();
        } finally {
            launcher.destroyForcibly();
        }
    }

    @Test
    void badInputNamesTheValueAndTheLimit() throws Exception {
        Path dataDir = tmp.resolve("bad");

        CommandRun none = CommandRun.of("cluster", "up", "--nodes", "0", "--data-dir", dataDir.toString());
        assertThat(none.exit()).isEqualTo(Tributary.USAGE);
        assertThat(none.err()).contains("--nodes must be between 1 and 9, got 0");
        CommandRun many = CommandRun.of("cluster", "up", "--nodes", "12", "--data-dir", dataDir.toString());
        assertThat(many.err()).contains("--nodes must be between 1 and 9, got 12");

        CommandRun highPort = CommandRun.of("cluster", "up", "--nodes", "3", "--base-port", "65533", "--data-dir", dataDir.toString());
        assertThat(highPort.exit()).isEqualTo(Tributary.USAGE);
        assertThat(highPort.err()).contains("--base-port must be between 1024 and 65530 for 3 node(s)", "got 65533");

        CommandRun owned = CommandRun.of("cluster", "up", "--override", "node.id=7", "--data-dir", dataDir.toString());
        assertThat(owned.exit()).isEqualTo(Tributary.USAGE);
        assertThat(owned.err()).contains("node.id");

        int base = freePortRange(4);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 2)); // node 1's quorum port
            CommandRun busy = CommandRun.of("cluster", "up", "--nodes", "2", "--base-port", Integer.toString(base),
                "--data-dir", dataDir.toString());
            assertThat(busy.exit()).isEqualTo(Tributary.FAILED);
            assertThat(busy.err()).contains("port " + (base + 2) + " (the quorum port of node 1) is in use",
                "ports " + base + "-" + (base + 3), "--base-port");
        }
        assertThat(dataDir).as("nothing written for a refused start").doesNotExist();

        Path other = tmp.resolve("other");
        new ClusterLayout(other, 5, 19092).record();
        CommandRun different = CommandRun.of("cluster", "up", "--nodes", "3", "--base-port", Integer.toString(base),
            "--data-dir", other.toString());
        assertThat(different.exit()).isEqualTo(Tributary.FAILED);
        assertThat(different.err()).contains("holds a different cluster: 5 node(s) on ports 19092-19101",
            "asked for 3 node(s) on ports " + base + "-" + (base + 5));

        Path broker = tmp.resolve("single");
        Files.createDirectories(broker.resolve("events-0"));
        CommandRun foreign = CommandRun.of("cluster", "up", "--nodes", "1", "--base-port", Integer.toString(base),
            "--data-dir", broker.toString());
        assertThat(foreign.exit()).isEqualTo(Tributary.FAILED);
        assertThat(foreign.err()).contains("holds something other than a local cluster", "events-0");

        CommandRun noCluster = CommandRun.of("cluster", "down", "--data-dir", tmp.resolve("nothing").toString());
        assertThat(noCluster.exit()).isEqualTo(Tributary.FAILED);
        assertThat(noCluster.err()).contains("no local cluster in", "nothing");

        CommandRun unreachable = CommandRun.of("cluster", "status", "-b", "127.0.0.1:" + base);
        assertThat(unreachable.exit()).isEqualTo(Tributary.FAILED);
        assertThat(unreachable.err()).contains("cannot reach broker at 127.0.0.1:" + base);
    }
}
