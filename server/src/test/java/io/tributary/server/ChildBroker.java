package io.tributary.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
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

    public ChildBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.port = freePort();
        int quorum = freePort();
        while (quorum == port) {
            quorum = freePort();
        }
        this.quorumPort = quorum;
        this.overrides = overrides;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the child and waits (at most 60 s) until it accepts connections. */
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
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("broker-" + starts + ".log").toFile())
            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Child broker exited with " + process.exitValue() + "; see " + dataDir.resolve("broker-" + starts + ".log"));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // not listening yet; try again until the deadline
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Child broker did not listen on " + port + " within 60 s");
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
