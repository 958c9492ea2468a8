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
 * @param nodeId              this node's id: one of the voters, or a node outside them (an observer)
 * @param voters              the quorum; empty means a quorum of this node alone on 127.0.0.1 (any free port)
 * @param observer            for a node outside the voters: where it receives the metadata log as a non-voting
 *                            member (its node id, host and quorum port, 0 for any free port); null for a voter
 * @param metadataLogDir      the directory holding the quorum's files: Ratis' log and snapshots under
 *                            {@code __cluster_metadata/} in it
 * @param sessionTimeoutMs    a broker silent this long is fenced ({@code broker.session.timeout.ms})
 * @param heartbeatIntervalMs how often brokers heartbeat ({@code broker.heartbeat.interval.ms})
 * @param electionTimeoutMin  a follower that hears no leader for a random time in [min, 2 min] starts an election
 * @param writeTimeout        a write not committed within this is refused (no majority, no leader)
 * @param snapshotEveryEntries a snapshot is taken after this many log entries, and the log before it purged
 */
public record MetadataQuorumConfig(int nodeId, List<QuorumVoter> voters, QuorumVoter observer, Path metadataLogDir,
                                   long sessionTimeoutMs,
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
    public static final ConfigKey<String> METADATA_OBSERVER_ADDRESS = KEY_LIST.add(ConfigKey.stringKey(
            "metadata.observer.address")
        .defaultDescribedAs("the host of the first advertised listener, a port chosen free at the first start and kept").importance(Importance.MEDIUM)
        .documentation("host:port at which a node that is not one of controller.quorum.voters receives the metadata "
            + "log as a non-voting member of the quorum (it then asks the controller to add it). The voters must "
            + "reach it there. Ignored on a voter.").build());
    public static final ConfigKey<Integer> CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS = KEY_LIST.add(ConfigKey.intKey(
            "controller.quorum.election.timeout.ms").inRange(10, 600_000)
        .defaultDescribedAs("150 for a quorum of one, 1500 for more voters").importance(Importance.MEDIUM)
        .documentation("A voter that hears from no leader for a random time between this and twice this starts an "
            + "election. Shorter fails the controller over faster; too short on a loaded machine calls elections on "
            + "a live leader.").build());
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

    public static final ConfigKey<Boolean> BROKER_LIVENESS_PROBE_ENABLE = KEY_LIST.add(ConfigKey.booleanKey(
            "broker.liveness.probe.enable").defaultValue(true).importance(Importance.MEDIUM)
        .documentation("Whether the controller probes a broker whose heartbeats are late (by a heartbeat interval and "
            + "a margin) with a TCP connect to each of its registered listeners, and fences it at once, as on session "
            + "expiry, when every listener refuses the connection twice in a row: nothing listens there, so the broker "
            + "process is gone (a killed process's sockets are closed by its kernel; a frozen or paused one keeps "
            + "them and is not fenced early). A timeout or any other error leaves the broker to "
            + "broker.session.timeout.ms. Turn off where a refusal does not come from the broker's host.").build());

    /** The keys this module declares. */
    public static final ConfigDefinition KEYS = KEY_LIST.build();

    /** Entries between snapshots unless told otherwise: the log stays small, a snapshot of a big image is rare. */
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;

    public MetadataQuorumConfig {
        voters = List.copyOf(voters);
        if (nodeId < 0) {
            throw new ConfigException("node.id", nodeId, "a node of the quorum needs a non-negative id");
        }
        boolean voter = voters.isEmpty() || voters.stream().anyMatch(v -> v.nodeId() == nodeId);
        if (voter) {
            observer = null;
        } else if (observer == null || observer.nodeId() != nodeId) {
            throw new IllegalArgumentException("node " + nodeId + " is not one of the voters " + voters
                + " and has no observer address of its own (" + observer + ")");
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
        return from(values, nodeId, firstLogDir, "127.0.0.1");
    }

    /**
     * As {@link #from(ConfigValues, int, Path)}, for a node that is not one of the voters (an observer) receiving the
     * metadata log at {@code metadata.observer.address}, or on {@code defaultObserverHost} at any free port.
     */
    public static MetadataQuorumConfig from(ConfigValues values, int nodeId, Path firstLogDir,
                                            String defaultObserverHost) {
        List<QuorumVoter> voters = new ArrayList<>();
        for (String entry : values.get(CONTROLLER_QUORUM_VOTERS)) {
            voters.add(QuorumVoter.parse(entry));
        }
        QuorumVoter observer = null;
        if (!voters.isEmpty() && voters.stream().noneMatch(v -> v.nodeId() == nodeId)) {
            String address = values.get(METADATA_OBSERVER_ADDRESS);
            try {
                observer = address == null || address.isBlank()
                    ? new QuorumVoter(nodeId, defaultObserverHost, 0) : QuorumVoter.parse(nodeId + "@" + address.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(METADATA_OBSERVER_ADDRESS.name(), address, "not host:port");
            }
        }
        String dir = values.get(METADATA_LOG_DIR);
        Integer electionMs = values.get(CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS);
        Duration election = electionMs != null ? Duration.ofMillis(electionMs)
            : voters.size() <= 1 ? Duration.ofMillis(150) : Duration.ofMillis(1_500);
        return new MetadataQuorumConfig(nodeId, voters, observer, dir == null ? firstLogDir : Path.of(dir),
            values.get(BROKER_SESSION_TIMEOUT_MS), values.get(BROKER_HEARTBEAT_INTERVAL_MS), election,
            Duration.ofSeconds(10), DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    /** A quorum of this node alone, the rest at defaults. */
    public static MetadataQuorumConfig single(int nodeId, Path metadataLogDir) {
        return new MetadataQuorumConfig(nodeId, List.of(), null, metadataLogDir, 9_000, 2_000, Duration.ofMillis(150),
            Duration.ofSeconds(10), DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    public MetadataQuorumConfig withElectionTimeoutMin(Duration min) {
        return new MetadataQuorumConfig(nodeId, voters, observer, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs, min,
            writeTimeout, snapshotEveryEntries);
    }

    public MetadataQuorumConfig withWriteTimeout(Duration timeout) {
        return new MetadataQuorumConfig(nodeId, voters, observer, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs,
            electionTimeoutMin, timeout, snapshotEveryEntries);
    }

    public MetadataQuorumConfig withSnapshotEveryEntries(long entries) {
        return new MetadataQuorumConfig(nodeId, voters, observer, metadataLogDir, sessionTimeoutMs, heartbeatIntervalMs,
            electionTimeoutMin, writeTimeout, entries);
    }

    /** Whether this node is one of several nodes (more than one voter, or an observer of the voters): a cluster. */
    public boolean isCluster() {
        return voters.size() > 1 || observer != null;
    }

    /** The directory Ratis stores in (its group directory, with the log and snapshots, lies beneath). */
    public Path ratisStorageDir() {
        return metadataLogDir.resolve("__cluster_metadata");
    }
}
