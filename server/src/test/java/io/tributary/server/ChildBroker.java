package io.tributary.server;

import org.apache.kafka.common.requests.ApiVersionsRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a child JVM (the real {@code Main}), for tests that must kill it hard (SIGKILL) or stop it
 * with SIGTERM. Same data directory and port across restarts; output goes to a file next to the data.
 */
public final class ChildBroker implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    /**
     * The node's quorum (Ratis) port, chosen here with the client port. Left to the broker (a quorum of one binds any
     * free port), Ratis, which starts first, could take the very port chosen above and released for the listener: the
     * broker then fails to bind it while this fixture's connect probe succeeds against Ratis.
     */
    private final int quorumPort;
    private final Map<String, String> overrides;
    private Process process;
    private int starts;
    /** The longest one start-up probe waits for its answer before the fixture checks the process and asks again. */
    private static final long PROBE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    public ChildBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        int[] ports = LoopbackPorts.unused(2);
        this.port = ports[0];
        this.quorumPort = ports[1];
        this.overrides = overrides;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * Waits until the child broker {@code process} (called {@code name} in a failure) answers an ApiVersions request
     * (v0) on {@code port}, at most {@code timeout}; fails at once if it exits, and on the timeout with its log's end
     * and its threads' stacks ({@link ChildDiagnosis}). A TCP connect is not enough: a broker binds its listeners
     * early in its start and reads requests only once started (connections made before wait in the listen backlog),
     * so a connect can succeed before the logs are even open.
     */
    public static void awaitAnswering(String name, Process process, int port, Path log, Duration timeout)
        throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (answers(port, Math.max(1, Math.min(PROBE_WAIT_NANOS, deadline - System.nanoTime())))) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(name + " did not answer on " + port + " within " + timeout.toSeconds() + " s; "
            + ChildDiagnosis.of(process, log));
    }

    /**
     * Whether a broker on {@code port} answers within {@code waitNanos}. A connect to a port nobody listens on is refused
     * at once; a connection in the backlog waits here for its answer, however loaded the machine (a short read timeout
     * would give up on, and resend to, a broker that is just slow to load its classes).
     */
    private static boolean answers(int port, long waitNanos) {
        try (RawKafkaConnection probe = RawKafkaConnection.open(port, Duration.ofSeconds(1), Duration.ofNanos(waitNanos))) {
            probe.send(new ApiVersionsRequest.Builder(), (short) 0);
            return true;
        } catch (UncheckedIOException notYet) {
            return false; // not listening, or not reading requests yet
        }
    }

    /** Starts the child and waits (at most 60 s) until it answers requests. */
    public void start() throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
            Main.class.getName(),
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
            "--override", "controller.quorum.voters=0@127.0.0.1:" + quorumPort,
            "--override", "log.dirs=" + dataDir.resolve("data"),
            "--override", "metrics.listener=")); // no HTTP endpoint: parallel test runs would share its default port
        overrides.forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        starts++;
        Path log = dataDir.resolve("broker-" + starts + ".log");
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try {
            awaitAnswering("Child broker", process, port, log, Duration.ofSeconds(60));
        } catch (IllegalStateException notStarted) {
            process.destroyForcibly();
            throw notStarted;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the broker's shutdown hook stops it cleanly. Returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Child broker did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    public Path logDir() {
        return dataDir.resolve("data");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
