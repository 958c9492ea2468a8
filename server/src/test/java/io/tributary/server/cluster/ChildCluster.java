package io.tributary.server.cluster;

import io.tributary.server.ChildBroker;
import io.tributary.server.Main;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * N brokers as child JVMs (the real {@code Main}, -Xmx256m) on 127.0.0.1 with free Kafka and quorum ports
 * ({@link io.tributary.server.LoopbackPorts}), every one a voter of the metadata quorum, for tests that must crash
 * brokers for real: {@link #kill} (SIGKILL), {@link #pause}/{@link #resume} (SIGSTOP/SIGCONT), {@link #stop}
 * (SIGTERM: controlled shutdown), {@link #start} again on the same data directory and ports. Each node's output goes to {@code <root>/node-<id>/broker-<n>.log}.
 * Node ids are 0..N-1. Every wait is bounded.
 */
public final class ChildCluster implements AutoCloseable {
    /** One node's fixed identity: its id, Kafka port, quorum port and data directory. */
    public record NodeSpec(int id, int kafkaPort, int quorumPort, Path dir) {
    }

    private final List<NodeSpec> nodes = new ArrayList<>();
    private final Map<String, String> overrides;
    private final java.util.function.IntFunction<Map<String, String>> nodeOverrides;
    private final Process[] processes;
    private final int[] starts;
    private final boolean[] paused;

    /** @param overrides extra broker settings for every node (e.g. broker.session.timeout.ms) */
    public ChildCluster(Path root, int size, Map<String, String> overrides) {
        this(root, size, overrides, id -> Map.of());
    }

    /**
     * @param nodeOverrides settings for one node, applied last (they win over the fixture's listeners and voters, e.g.
     *                      a node's own view of the voters through proxies); asked at each start of the node
     */
    public ChildCluster(Path root, int size, Map<String, String> overrides,
                        java.util.function.IntFunction<Map<String, String>> nodeOverrides) {
        this.nodeOverrides = nodeOverrides;
        int[] ports = io.tributary.server.LoopbackPorts.unused(2 * size);
        for (int id = 0; id < size; id++) {
            nodes.add(new NodeSpec(id, ports[2 * id], ports[2 * id + 1], root.resolve("node-" + id)));
        }
        this.overrides = new LinkedHashMap<>(overrides);
        this.processes = new Process[size];
        this.starts = new int[size];
        this.paused = new boolean[size];
    }

    public int size() {
        return nodes.size();
    }

    public NodeSpec node(int id) {
        return nodes.get(id);
    }

    /** host:port of every node, for bootstrap.servers. */
    public String bootstrap() {
        StringJoiner joiner = new StringJoiner(",");
        nodes.forEach(n -> joiner.add("127.0.0.1:" + n.kafkaPort()));
        return joiner.toString();
    }

    /** host:port of the listed nodes only (a client that must not reach the others). */
    public String bootstrap(int... ids) {
        StringJoiner joiner = new StringJoiner(",");
        for (int id : ids) {
            joiner.add("127.0.0.1:" + nodes.get(id).kafkaPort());
        }
        return joiner.toString();
    }

    private String voters() {
        StringJoiner joiner = new StringJoiner(",");
        nodes.forEach(n -> joiner.add(n.id() + "@127.0.0.1:" + n.quorumPort()));
        return joiner.toString();
    }

    /** Starts every node (all at once, since a quorum needs a majority before anyone can register). */
    public void startAll() throws IOException, InterruptedException {
        for (NodeSpec n : nodes) {
            launch(n.id());
        }
        for (NodeSpec n : nodes) {
            awaitAnswering(n.id());
        }
    }

    /** Starts node {@code id} (again, on the same data and ports) and waits until it answers. */
    public void start(int id) throws IOException, InterruptedException {
        launch(id);
        awaitAnswering(id);
    }

    private void launch(int id) throws IOException {
        NodeSpec n = nodes.get(id);
        java.nio.file.Files.createDirectories(n.dir());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            // the replication and controller decisions at info in the node's log: what a failed fault test is read from
            "-Dorg.slf4j.simpleLogger.log.io.tributary.server.replica=info",
            "-Dorg.slf4j.simpleLogger.log.io.tributary.metadata.quorum=info",
            "-Dorg.slf4j.simpleLogger.log.io.tributary.server.cluster=info",
            "-cp", classpath, Main.class.getName(),
            "--override", "node.id=" + id,
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + n.kafkaPort(),
            "--override", "log.dirs=" + n.dir().resolve("data"),
            "--override", "controller.quorum.voters=" + voters(),
            "--override", "metrics.listener=",
            "--override", "console.listener=off"));
        overrides.forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        nodeOverrides.apply(id).forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        starts[id]++;
        paused[id] = false;
        processes[id] = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log(id).toFile())
            .start();
    }

    /** Up to 90 s: a node of a cluster starting on a loaded 2-core machine. */
    private void awaitAnswering(int id) throws InterruptedException {
        NodeSpec n = nodes.get(id);
        ChildBroker.awaitAnswering("Node " + id, processes[id], n.kafkaPort(), log(id), java.time.Duration.ofSeconds(90));
    }

    /** The output of node {@code id}'s latest start. */
    public Path log(int id) {
        return nodes.get(id).dir().resolve("broker-" + starts[id] + ".log");
    }

    /** Whether node {@code id}'s process exists (it may be paused). */
    public boolean isAlive(int id) {
        return processes[id] != null && processes[id].isAlive();
    }

    /** Whether node {@code id} is alive and not paused: whether it can answer a request now. */
    public boolean isRunning(int id) {
        return isAlive(id) && !paused[id];
    }

    /** SIGKILL: no shutdown hook, no controlled shutdown, no flush. */
    public void kill(int id) throws InterruptedException {
        Process process = processes[id];
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: the broker's shutdown hook runs (controlled shutdown); waits up to 60 s for it to exit. */
    public void stop(int id) throws InterruptedException {
        Process process = processes[id];
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGSTOP: the process freezes (no heartbeats, no Raft traffic) until {@link #resume}. */
    public void pause(int id) throws IOException, InterruptedException {
        signal(id, "STOP");
        paused[id] = true;
    }

    /** SIGCONT. */
    public void resume(int id) throws IOException, InterruptedException {
        signal(id, "CONT");
        paused[id] = false;
    }

    private void signal(int id, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[id].pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + processes[id].pid() + " failed");
        }
    }

    /** Waits (polling every 100 ms, up to {@code timeoutMs}) until {@code condition} holds; false on timeout. */
    public static boolean await(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100); // polling pace, not synchronisation: the condition is re-checked against a deadline
        }
        return condition.getAsBoolean();
    }

    /** Kills every node still running (SIGCONT first, so a paused one can die). */
    @Override
    public void close() throws InterruptedException {
        for (int id = 0; id < processes.length; id++) {
            if (processes[id] != null && processes[id].isAlive()) {
                try {
                    resume(id);
                } catch (IOException | RuntimeException ignored) {
                    // it dies below anyway
                }
                kill(id);
            }
        }
    }
}
