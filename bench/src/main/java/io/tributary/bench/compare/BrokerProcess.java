package io.tributary.bench.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One broker under test, Apache Kafka or Tributary, as a child JVM on 127.0.0.1 with a fresh data directory
 * and a free port. Start-up is timed from launching the broker's JVM to the first accepted TCP connection
 * (Kafka's one-off {@code StorageTool format} runs before, untimed, as a separate JVM). Both brokers get the
 * same JVM flags. Every started process is registered with a shutdown hook, so an interrupted comparison
 * never leaves a broker running.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-broker-reaper"));
    }

    enum Kind {
        KAFKA("kafka"), TRIBUTARY("tributary");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final Process process;
    private final int port;
    private final double startupSeconds;
    private final Path log;

    private BrokerProcess(Kind kind, Process process, int port, double startupSeconds, Path log) {
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.startupSeconds = startupSeconds;
        this.log = log;
    }

    /**
     * Starts the broker in {@code workDir} (created; must not hold data) and waits at most 120 s for its port.
     *
     * @param kafkaLib     the Apache Kafka server jars (bench/kafka-server/target/lib)
     * @param tributaryJar server/target/tributary-server.jar
     */
    static BrokerProcess start(Kind kind, Path workDir, Path kafkaLib, Path tributaryJar, List<String> jvmFlags)
        throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path dataDir = workDir.resolve("data");
        int port = KafkaStorage.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        if (kind == Kind.KAFKA) {
            Path config = kafkaConfig(workDir, dataDir, port, KafkaStorage.freePort());
            String classpath = kafkaLib.toAbsolutePath() + "/*";
            KafkaStorage.format(kafkaLib, config, KafkaStorage.randomClusterId(), workDir.resolve("format.log"));
            command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
        } else {
            command.addAll(List.of("-jar", tributaryJar.toAbsolutePath().toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dataDir,
                // No metrics HTTP listener: its fixed port could clash with a broker already running here. The
                // meters themselves stay on, as Kafka's JMX metrics do.
                "--override", "metrics.listener="));
        }
        Path log = workDir.resolve("broker.log");
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.add(process);
        long deadline = launched + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!process.isAlive()) {
                LIVE.remove(process);
                throw new IllegalStateException(kind.label + " exited with " + process.exitValue() + " before listening; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return new BrokerProcess(kind, process, port, (System.nanoTime() - launched) / 1e9, log);
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                LIVE.remove(process);
                throw new IllegalStateException(kind.label + " did not listen on " + port + " within 120 s; see " + log);
            }
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
    }

    /** A single combined broker+controller KRaft node: Kafka's own quick-start settings, on 127.0.0.1. */
    private static Path kafkaConfig(Path workDir, Path dataDir, int port, int controllerPort) throws IOException {
        String config = String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dataDir,
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "");
        Path file = workDir.resolve("server.properties");
        Files.writeString(file, config);
        return file;
    }

    Kind kind() {
        return kind;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    double startupSeconds() {
        return startupSeconds;
    }

    /** The broker JVM's own meter: this class starts {@code java} itself, no script in between. */
    ProcessMeter meter() throws IOException {
        return ProcessMeter.ofJvm(process.pid());
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        LIVE.remove(process);
    }
}
