package io.tributary.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What starting Apache Kafka KRaft nodes as child JVMs needs before the first start, shared by {@code compare} (one
 * node) and {@code cluster-compare} (several): a cluster id in Kafka's form, the one-off {@code StorageTool format} of
 * a node's log directories, and free loopback ports.
 */
public final class KafkaStorage {
    private KafkaStorage() {
    }

    /** A random cluster id in Kafka's form: 16 bytes, base64url without padding. */
    public static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * Runs Kafka's {@code StorageTool format} for the node configured in {@code config}, output to {@code log}; waits at
     * most 120 s.
     *
     * @param kafkaLib the Apache Kafka server jars
     */
    public static void format(Path kafkaLib, Path config, String clusterId, Path log) throws IOException, InterruptedException {
        Process format = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", kafkaLib.toAbsolutePath() + "/*", "kafka.tools.StorageTool", "format",
            "--cluster-id", clusterId, "--config", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("Kafka's StorageTool format failed; see " + log);
            }
        } finally {
            format.destroyForcibly();
        }
    }

    /** A loopback port free at the moment of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
