package io.tributary.server.metadata;

import java.nio.file.Path;

/**
 * This broker's data directory belongs to another cluster than its metadata quorum (Kafka's
 * InconsistentClusterIdException): its {@code meta.properties} holds a cluster id the quorum confirmed once, and the
 * quorum now agrees on another. The broker stops rather than serve that data under the other cluster's identity.
 */
public final class InconsistentClusterIdException extends IllegalStateException {
    private final Path file;
    private final String localClusterId;
    private final String quorumClusterId;

    public InconsistentClusterIdException(Path file, String localClusterId, String quorumClusterId) {
        super("The data in " + file.getParent() + " belongs to cluster " + localClusterId + " (" + file.getFileName()
            + ", confirmed by its metadata quorum) but this broker's metadata quorum agreed on cluster id "
            + quorumClusterId + "; refusing to serve it under another cluster's identity. Point log.dirs at this"
            + " cluster's data, or controller.quorum.voters at the data's cluster");
        this.file = file;
        this.localClusterId = localClusterId;
        this.quorumClusterId = quorumClusterId;
    }

    /** The {@code meta.properties} file holding {@link #localClusterId()}. */
    public Path file() {
        return file;
    }

    public String localClusterId() {
        return localClusterId;
    }

    public String quorumClusterId() {
        return quorumClusterId;
    }
}
