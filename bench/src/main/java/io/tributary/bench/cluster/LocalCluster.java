package io.tributary.bench.cluster;

import io.tributary.bench.compare.KafkaStorage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A local cluster of N nodes under test, Apache Kafka in KRaft combined mode (every node a broker and a controller
 * voter) or Tributary (every node a broker and a voter of its Ratis metadata quorum), each node a child JVM on
 * 127.0.0.1 with its own data directory under {@code workDir/node-ID}, a client port and a quorum port. Node ids
 * run from 1. A node can be SIGKILLed ({@link Process#destroyForcibly()}) and started again on the same data and
 * ports. Every started process is registered with a shutdown hook, so an interrupted run never leaves nodes behind.
 */
final class LocalCluster implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-cluster-reaper"));
    }

    enum Kind {
        KAFKA("kafka"), TRIBUTARY("tributary");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final Path workDir;
    private final Path kafkaLib;
    private final Path tributaryJar;
    private final List<String> jvmFlags;
    private final int[] clientPorts;
    private final int[] quorumPorts;
    private final Process[] processes;
    private final int[] starts;

    private LocalCluster(Kind kind, int size, Path workDir, Path kafkaLib, Path tributaryJar, List<String> jvmFlags) {
        this.kind = kind;
        this.workDir = workDir;
        this.kafkaLib = kafkaLib;
        this.tributaryJar = tributaryJar;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.clientPorts = new int[size + 1];
        this.quorumPorts = new int[size + 1];
        this.processes = new Process[size + 1];
        this.starts = new int[size + 1];
        for (int id = 1; id <= size; id++) {
            clientPorts[id] = KafkaStorage.freePort();
            quorumPorts[id] = KafkaStorage.freePort();
        }
    }

    /** Starts every node at once (a quorum needs a majority before anyone can register) and waits for their ports. */
    static LocalCluster start(Kind kind, int size, Path workDir, Path kafkaLib, Path tributaryJar, List<String> jvmFlags)
        throws IOException, InterruptedException {
        LocalCluster cluster = new LocalCluster(kind, size, workDir, kafkaLib, tributaryJar, jvmFlags);
        try {
            if (kind == Kind.KAFKA) {
                String clusterId = KafkaStorage.randomClusterId();
                for (int id = 1; id <= size; id++) {
                    cluster.formatKafka(id, clusterId);
                }
            }
            for (int id = 1; id <= size; id++) {
                cluster.launch(id);
            }
            for (int id = 1; id <= size; id++) {
                cluster.awaitListening(id);
            }
            return cluster;
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    Kind kind() {
        return kind;
    }

    int size() {
        return processes.length - 1;
    }

    String bootstrap() {
        StringJoiner joiner = new StringJoiner(",");
        for (int id = 1; id <= size(); id++) {
            joiner.add("127.0.0.1:" + clientPorts[id]);
        }
        return joiner.toString();
    }

    /** The live nodes' process ids, for CPU and memory readings. */
    List<Long> livePids() {
        List<Long> pids = new ArrayList<>();
        for (int id = 1; id <= size(); id++) {
            if (processes[id] != null && processes[id].isAlive()) {
                pids.add(processes[id].pid());
            }
        }
        return pids;
    }

    /** SIGKILL: no shutdown hook, no controlled shutdown, no flush. */
    void kill(int id) throws InterruptedException {
        Process process = processes[id];
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        LIVE.remove(process);
    }

    /** Starts node {@code id} again on its data and ports and waits for its client port. */
    void restart(int id) throws IOException, InterruptedException {
        launch(id);
        awaitListening(id);
    }

    private void launch(int id) throws IOException {
        Path dir = workDir.resolve("node-" + id);
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        if (kind == Kind.KAFKA) {
            command.addAll(List.of("-cp", kafkaLib.toAbsolutePath() + "/*", "kafka.Kafka", kafkaConfig(id).toString()));
        } else {
            // wall-clock times in the log, to line a failover's steps up with the harness's (slf4j-simple's default
            // is milliseconds since the start)
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
            command.addAll(List.of("-jar", tributaryJar.toAbsolutePath().toString(),
                "--override", "node.id=" + id,
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + clientPorts[id],
                "--override", "log.dirs=" + dir.resolve("data"),
                "--override", "controller.quorum.voters=" + voters(),
                "--override", "metrics.listener=",
                "--override", "console.listener=off"));
        }
        starts[id]++;
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("node-" + starts[id] + ".log").toFile()).start();
        LIVE.add(process);
        processes[id] = process;
    }

    private void awaitListening(int id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() - deadline < 0) {
            Process process = processes[id];
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.label + " node " + id + " exited with " + process.exitValue()
                    + "; see " + workDir.resolve("node-" + id));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", clientPorts[id]), 200);
                return;
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException(kind.label + " node " + id + " did not listen on " + clientPorts[id] + " within 120 s");
    }

    private String voters() {
        StringJoiner joiner = new StringJoiner(",");
        for (int id = 1; id <= size(); id++) {
            joiner.add(id + "@127.0.0.1:" + quorumPorts[id]);
        }
        return joiner.toString();
    }

    /** A combined broker+controller KRaft node with a static voter set; internal topics replicated three times. */
    private Path kafkaConfig(int id) throws IOException {
        Path dir = workDir.resolve("node-" + id);
        Path file = dir.resolve("server.properties");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            Files.writeString(file, String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + id,
                "controller.quorum.voters=" + voters(),
                "listeners=PLAINTEXT://127.0.0.1:" + clientPorts[id] + ",CONTROLLER://127.0.0.1:" + quorumPorts[id],
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPorts[id],
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=" + Math.min(3, size()),
                "transaction.state.log.replication.factor=" + Math.min(3, size()),
                "transaction.state.log.min.isr=" + Math.min(2, size()),
                ""));
        }
        return file;
    }

    private void formatKafka(int id, String clusterId) throws IOException, InterruptedException {
        KafkaStorage.format(kafkaLib, kafkaConfig(id), clusterId, workDir.resolve("node-" + id).resolve("format.log"));
    }

    /** SIGTERM to every node, then SIGKILL to those still running after 30 s. */
    @Override
    public void close() throws InterruptedException {
        for (int id = 1; id <= size(); id++) {
            if (processes[id] != null) {
                processes[id].destroy();
            }
        }
        for (int id = 1; id <= size(); id++) {
            Process process = processes[id];
            if (process != null) {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                LIVE.remove(process);
            }
        }
    }
}
