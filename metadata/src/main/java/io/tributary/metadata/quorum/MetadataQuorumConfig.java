package io.tributary.metadata.quorum;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigException;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one node's {@link MetadataQuorum}, validated once at start. The keys are declared here (Kafka's names);
 * {@code node.id} and {@code log.dirs} are the broker's and come in as values.
 *
 * @param nodeId              this node's id, one of the voters
 * @param voters              the quorum; empty means a quorum of this node alone on 127.0.0.1 (any free port)
 * @param metadataLogDir      the directory holding the quorum's files: Ratis' log and snapshots under
 *                            {@code __cluster_metadata/} in it
 * @param sessionTimeoutMs    a broker silent this long is fenced ({@code broker.session.timeout.ms})
 * @param heartbeatIntervalMs how often brokers heartbeat ({@code broker.heartbeat.interval.ms})
 * @param electionTimeoutMin  a follower that hears no leader for a random time in [min, 2 min] starts an election
 * @param writeTimeout        a write not committed within this is refused (no majority, no leader)
 * @param snapshotEveryEntries a snapshot is taken after this many log entries, and the log before it purged
 */
public record MetadataQuorumConfig(int nodeId, List<QuorumVoter> voters, Path metadataLogDir, long sessionTimeoutMs,
                                   long heartbeatIntervalMs, Duration electionTimeoutMin, Duration writeTimeout,
                                   long snapshotEveryEntries) {
    private static final ConfigDefinition.Builder KEY_LIST = ConfigDefinition.builder();

    public static final ConfigKey<List<String>> CONTROLLER_QUORUM_VOTERS = KEY_LIST.add(ConfigKey.listKey(
            "controller.quorum.voters", ConfigKey.ListSyntax.of("id@host:port entries").checkedBy(entry -> {
                QuorumVoter.parse(entry);
                return entry;
            }))
        .defaultValue(List.of()).importance(Importance.HIGH)
        .documentation("The metadata quorum's voters, id@host:port each, the port being the node's quorum (Ratis) port. "
            + "Empty: this node alone is the quorum, on 127.0.0.1 at a free port.").build());
    public static final ConfigKey<String> METADATA_LOG_DIR = KEY_LIST.add(ConfigKey.stringKey("metadata.log.dir")
        .defaultDescribedAs("the first of log.dirs").importance(Importance.HIGH)
        .documentation("Where the metadata quorum keeps its log and snapshots (in __cluster_metadata/ beneath it).")
        .build());
    public static final ConfigKey<Integer> BROKER_SESSION_TIMEOUT_MS = KEY_LIST.add(ConfigKey.intKey(
            "broker.session.timeout.ms").defaultValue(9_000).inRange(1, Integer.MAX_VALUE)
        .documentation("A broker that has not heartbeated to the controller for this long is fenced and loses its "
            + "partition leaderships.").build());
    public static final ConfigKey<Integer> BROKER_HEARTBEAT_INTERVAL_MS = KEY_LIST.add(ConfigKey.intKey(
            "broker.heartbeat.interval.ms").defaultValue(2_000).inRange(1, Integer.MAX_VALUE)
        .documentation("How often a broker heartbeats to the controller.").build());

    /** The keys this module declares. */
    public static final ConfigDefinition KEYS = KEY_LIST.build();

    /** Entries between snapshots unless told otherwise: the log stays small, a snapshot of a big image is rare. */
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;

    public MetadataQuorumConfig {
        voters = List.copyOf(voters);
        if (nodeId < 0) {
            throw new ConfigException("node.id", nodeId, "a node of the quorum needs a non-negative id");
        }
        if (!voters.isEmpty() && voters.stream().noneMatch(v -> v.nodeId() == nodeId)) {
            throw new ConfigException(CONTROLLER_QUORUM_VOTERS.name(), voters,
                "node.id " + nodeId + " is not one of the voters (non-voting nodes are not supported yet)");
        }
        if (voters.stream().map(QuorumVoter::nodeId).distinct().count() != voters.size()) {
            throw new ConfigException(CONTROLLER_QUORUM_VOTERS.name(), voters, "a node id is listed twice");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new ConfigException(BROKER_HEARTBEAT_INTERVAL_MS.name(), heartbeatIntervalMs,
                "must be below broker.session.timeout.ms (" + sessionTimeoutMs + ")");
        }
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero() || writeTimeout.isNegative()
            || writeTimeout.isZero() || snapshotEveryEntries < 1) {
            throw new IllegalArgumentException("non-positive election timeout " + electionTimeoutMin
                + ", write timeout " + writeTimeout + " or snapshot interval " + snapshotEveryEntries);
        }
    }

    /**
     * The settings from parsed values of {@link #KEYS} plus the broker's {@code node.id} and first log directory.
     * Election timeouts: 150 ms for a quorum of one (it elects itself at start, which must stay fast), 1.5 s for more
     * (a loaded machine must not call elections on a live leader).
     */
    public static MetadataQuorumConfig from(ConfigValues values, int nodeId, Path firstLogDir) {
        List<QuorumVoter> voters = new ArrayList<>();
        for (String entry : values.get(CONTROLLER_QUORUM_VOTERS)) {
            voters.add(QuorumVoter.parse(entry));
        }
        String dir = values.get(METADATA_LOG_DIR);
        Duration election = voters.size() <= 1 ? Duration.ofMillis(150) : Duration.ofMillis(1_500);
        return new MetadataQuorumConfig(nodeId, voters, dir == null ? firstLogDir : Path.of(dir),
            values.get(BROKER_SESSION_TIMEOUT_MS), values.get(BROKER_HEARTBEAT_INTERVAL_MS), election,
            Duration.ofSeconds(10), DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    /** A quorum of this node alone, the rest at defaults. */
    public static MetadataQuorumConfig single(int nodeId, Path metadataLogDir) {
        return new MetadataQuorumConfig(nodeId, List.of(), metadataLogDir, 9_000, 2_000, Duration.ofMillis(150),
            Duration.ofSeconds(10), DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    public MetadataQuorumConfig withElectionTimeoutMin(Duration min) {
        return new MetadataQuorumConfig(nodeId, voters, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs, min,
            writeTimeout, snapshotEveryEntries);
    }

    public MetadataQuorumConfig withWriteTimeout(Duration timeout) {
        return new MetadataQuorumConfig(nodeId, voters, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs,
            electionTimeoutMin, timeout, snapshotEveryEntries);
    }

    public MetadataQuorumConfig withSnapshotEveryEntries(long entries) {
        return new MetadataQuorumConfig(nodeId, voters, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs,
            electionTimeoutMin, writeTimeout, entries);
    }

    /** The directory Ratis stores in (its group directory, with the log and snapshots, lies beneath). */
    public Path ratisStorageDir() {
        return metadataLogDir.resolve("__cluster_metadata");
    }
}
