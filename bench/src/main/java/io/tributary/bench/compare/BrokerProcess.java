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
 *
 * <p>With a {@link SaslSsl} listener the broker also listens for SASL_SSL (SCRAM-SHA-512 only) on a second port, with
 * the given key store; its SCRAM users are then created through the PLAINTEXT listener (AlterUserScramCredentials).
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

    /**
     * A SASL_SSL listener next to the PLAINTEXT one.
     *
     * @param keyStore the broker's PKCS12 key store, its password also the key's
     * @param engine   Tributary's {@code ssl.engine} (jdk or openssl); Kafka has only the JDK's engine and ignores it
     */
    record SaslSsl(Path keyStore, String password, String engine) {
    }

    private final Kind kind;
    private final Process process;
    private final int port;
    private final int securePort;
    private final double startupSeconds;
    private final Path log;

    private BrokerProcess(Kind kind, Process process, int port, int securePort, double startupSeconds, Path log) {
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.securePort = securePort;
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
        return start(kind, workDir, kafkaLib, tributaryJar, jvmFlags, null);
    }

    /** As {@link #start(Kind, Path, Path, Path, List)}, with a SASL_SSL listener too when {@code saslSsl} is not null. */
    static BrokerProcess start(Kind kind, Path workDir, Path kafkaLib, Path tributaryJar, List<String> jvmFlags, SaslSsl saslSsl)
        throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path dataDir = workDir.resolve("data");
        int port = KafkaStorage.freePort();
        int securePort = saslSsl == null ? -1 : KafkaStorage.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        if (kind == Kind.KAFKA) {
            Path config = kafkaConfig(workDir, dataDir, port, KafkaStorage.freePort(), securePort, saslSsl);
            String classpath = kafkaLib.toAbsolutePath() + "/*";
            KafkaStorage.format(kafkaLib, config, KafkaStorage.randomClusterId(), workDir.resolve("format.log"));
            command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
        } else {
            command.addAll(List.of("-jar", tributaryJar.toAbsolutePath().toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port + (saslSsl == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort),
                "--override", "log.dirs=" + dataDir,
                // No metrics HTTP listener: its fixed port could clash with a broker already running here. The
                // meters themselves stay on, as Kafka's JMX metrics do.
                "--override", "metrics.listener="));
            if (saslSsl != null) {
                command.addAll(List.of(
                    "--override", "sasl.enabled.mechanisms=SCRAM-SHA-512",
                    "--override", "ssl.keystore.type=PKCS12",
                    "--override", "ssl.keystore.location=" + saslSsl.keyStore().toAbsolutePath(),
                    "--override", "ssl.keystore.password=" + saslSsl.password(),
                    "--override", "ssl.key.password=" + saslSsl.password(),
                    "--override", "ssl.engine=" + saslSsl.engine()));
            }
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
                try {
                    awaitListening(securePort, deadline, process, kind, log);
                } catch (RuntimeException | InterruptedException e) {
                    process.destroyForcibly();
                    LIVE.remove(process);
                    throw e;
                }
                return new BrokerProcess(kind, process, port, securePort, (System.nanoTime() - launched) / 1e9, log);
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

    /** Waits until the SASL_SSL port (if any, else returns at once) accepts connections too. */
    private static void awaitListening(int securePort, long deadline, Process process, Kind kind, Path log) throws InterruptedException {
        while (securePort > 0) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", securePort), 100);
                return;
            } catch (IOException notYet) {
                // the second listener is not bound yet
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(kind.label + " did not listen on its SASL_SSL port " + securePort + "; see " + log);
            }
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A single combined broker+controller KRaft node: Kafka's own quick-start settings, on 127.0.0.1; with
     * {@code saslSsl}, a SASL_SSL listener (SCRAM-SHA-512, its JAAS entry naming only the login module, as SCRAM
     * credentials live in the metadata log).
     */
    private static Path kafkaConfig(Path workDir, Path dataDir, int port, int controllerPort, int securePort, SaslSsl saslSsl)
        throws IOException {
        String secureListener = saslSsl == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort;
        List<String> lines = new ArrayList<>(List.of(
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + secureListener + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + secureListener,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (saslSsl == null ? "" : ",SASL_SSL:SASL_SSL"),
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dataDir,
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1"));
        if (saslSsl != null) {
            lines.addAll(List.of(
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + saslSsl.keyStore().toAbsolutePath(),
                "ssl.keystore.password=" + saslSsl.password(),
                "ssl.key.password=" + saslSsl.password()));
        }
        lines.add("");
        Path file = workDir.resolve("server.properties");
        Files.writeString(file, String.join("\n", lines));
        return file;
    }

    Kind kind() {
        return kind;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_SSL listener's address. */
    String secureBootstrap() {
        if (securePort < 0) {
            throw new IllegalStateException("started without a SASL_SSL listener");
        }
        return "127.0.0.1:" + securePort;
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
