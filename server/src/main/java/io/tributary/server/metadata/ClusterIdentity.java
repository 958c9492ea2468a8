package io.tributary.server.metadata;

import io.tributary.log.LogStorageException;
import io.tributary.log.checkpoint.CrashSafeFile;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The cluster id and node id, kept in {@code meta.properties} of the first log directory as Kafka keeps
 * them: generated on the first start, checked on every later one, so a data directory is never silently
 * served under another identity.
 */
public record ClusterIdentity(String clusterId, int nodeId) {
    public static final String FILE = "meta.properties";

    public static ClusterIdentity loadOrCreate(Path logDir, int configuredNodeId) {
        Path file = logDir.resolve(FILE);
        try {
            Files.createDirectories(logDir);
            if (Files.exists(file)) {
                Properties properties = new Properties();
                properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                String clusterId = properties.getProperty("cluster.id");
                String nodeId = properties.getProperty("node.id");
                if (clusterId == null || nodeId == null) {
                    throw new LogStorageException(file + " lacks cluster.id or node.id");
                }
                if (Integer.parseInt(nodeId.trim()) != configuredNodeId) {
                    throw new LogStorageException("The data in " + logDir + " belongs to node.id " + nodeId.trim()
                        + " but this broker is configured as node.id " + configuredNodeId);
                }
                return new ClusterIdentity(clusterId.trim(), configuredNodeId);
            }
            ClusterIdentity fresh = new ClusterIdentity(newClusterId(), configuredNodeId);
            String text = "# Tributary broker identity\nversion=1\ncluster.id=" + fresh.clusterId + "\nnode.id=" + configuredNodeId + "\n";
            CrashSafeFile.write(file, text.getBytes(StandardCharsets.UTF_8));
            return fresh;
        } catch (IOException | NumberFormatException e) {
            throw new LogStorageException("Cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** A random id in Kafka's text form: 16 bytes, URL-safe base64 without padding (22 characters). */
    static String newClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
