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
 * The cluster id and node id of this broker, kept in {@code meta.properties} of the first log directory:
 *
 * <pre>
 * version=1
 * cluster.id=&lt;id, Kafka's form: 16 random bytes, URL-safe base64 without padding&gt;
 * node.id=&lt;this broker's node.id&gt;
 * cluster.id.confirmed=true        (only once the metadata quorum agreed this id)
 * </pre>
 *
 * <p>Kafka formats one cluster id into every node before the first start; Tributary agrees it instead: a node's first
 * start writes a random id, unconfirmed, and the metadata quorum's first controller writes its node's id into the image
 * (the CLUSTER_ID record). Each broker then {@link #agree}s with the image's id: an unconfirmed file (a fresh node, or
 * a data directory from before the agreement existed) takes the quorum's id and is rewritten, crash-safely
 * ({@link CrashSafeFile}), with {@code cluster.id.confirmed=true}; a confirmed file with another id is refused (Kafka's
 * InconsistentClusterIdException): its data belongs to another cluster and must not be served under this one's
 * identity. The confirmation is a key of its own rather than a new {@code version}, so the file stays readable by
 * Kafka's tools and by older Tributary brokers (which ignore the key).
 *
 * <p>Until the quorum's id is applied, {@link #clusterId()} is the file's; from then on the agreed one. The node id
 * is checked on every start: a data directory is never served as another node.
 */
public final class ClusterIdentity {
    public static final String FILE = "meta.properties";
    /** The key marking the file's cluster id as the one the metadata quorum agreed. */
    static final String CONFIRMED_KEY = "cluster.id.confirmed";

    /** What {@link #agree} did with the quorum's cluster id. */
    public enum Agreement {
        /** The file already held the quorum's id, confirmed: nothing written. */
        UNCHANGED,
        /** The file held the quorum's id unconfirmed: now marked confirmed. */
        CONFIRMED,
        /** The file held another id, unconfirmed: it now holds the quorum's, confirmed. */
        ADOPTED,
        /** The file holds another id, confirmed: nothing changed; the broker must stop. */
        REFUSED
    }

    private final Path file;
    private final int nodeId;
    private volatile String clusterId;
    private volatile boolean confirmed;

    private ClusterIdentity(Path file, String clusterId, int nodeId, boolean confirmed) {
        this.file = file;
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.confirmed = confirmed;
    }

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
                boolean confirmed = Boolean.parseBoolean(properties.getProperty(CONFIRMED_KEY, "false").trim());
                return new ClusterIdentity(file, clusterId.trim(), configuredNodeId, confirmed);
            }
            ClusterIdentity fresh = new ClusterIdentity(file, newClusterId(), configuredNodeId, false);
            fresh.write(fresh.clusterId, false);
            return fresh;
        } catch (IOException | NumberFormatException e) {
            throw new LogStorageException("Cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** The id this broker reports: the metadata quorum's once applied here, until then its {@code meta.properties}'. */
    public String clusterId() {
        return clusterId;
    }

    public int nodeId() {
        return nodeId;
    }

    /** Whether {@link #clusterId()} is confirmed by the metadata quorum (and written so). */
    public boolean confirmed() {
        return confirmed;
    }

    /** The {@code meta.properties} file. */
    public Path file() {
        return file;
    }

    /**
     * Takes the metadata quorum's cluster id, as the class comment says: adopts and confirms it unless the file holds
     * another confirmed id, in which case nothing changes and the answer is {@link Agreement#REFUSED}
     * ({@link #refusal} says why). Called with every image; cheap once confirmed.
     *
     * @throws LogStorageException when the file cannot be rewritten; the quorum's id is served all the same, and the
     *                             next call writes it again
     */
    public synchronized Agreement agree(String quorumClusterId) {
        boolean same = quorumClusterId.equals(clusterId);
        if (confirmed) {
            return same ? Agreement.UNCHANGED : Agreement.REFUSED;
        }
        clusterId = quorumClusterId;
        try {
            write(quorumClusterId, true);
        } catch (IOException e) {
            throw new LogStorageException("Cannot confirm cluster id " + quorumClusterId + " in " + file + ": "
                + e.getMessage(), e);
        }
        confirmed = true;
        return same ? Agreement.CONFIRMED : Agreement.ADOPTED;
    }

    /** Why the quorum's {@code quorumClusterId} is refused here (after {@link Agreement#REFUSED}). */
    public InconsistentClusterIdException refusal(String quorumClusterId) {
        return new InconsistentClusterIdException(file, clusterId, quorumClusterId);
    }

    private void write(String id, boolean confirmedByQuorum) throws IOException {
        String text = "# Tributary broker identity\nversion=1\ncluster.id=" + id + "\nnode.id=" + nodeId + "\n"
            + (confirmedByQuorum ? CONFIRMED_KEY + "=true\n" : "");
        CrashSafeFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ClusterIdentity(clusterId=" + clusterId + ", nodeId=" + nodeId + ", confirmed=" + confirmed + ")";
    }

    /** A random id in Kafka's text form: 16 bytes, URL-safe base64 without padding (22 characters). */
    static String newClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
