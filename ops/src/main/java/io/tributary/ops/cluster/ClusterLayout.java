package io.tributary.ops.cluster;

import io.tributary.ops.OperationFailedException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * Where the nodes of a local development cluster live: node ids 1..N, node N's Kafka listener on
 * {@code 127.0.0.1:(basePort + N - 1)}, its quorum (Ratis) port right after the Kafka ports, at
 * {@code basePort + nodes + N - 1}, and its files under {@code <dataDir>/node-N/} ({@code data/} for the logs and
 * the metadata quorum, {@code broker.log} for its output). So a 3-node cluster from 9092 takes 9092-9094 for
 * clients and 9095-9097 for the quorum.
 * <p>
 * The layout is recorded in {@code <dataDir>/cluster.properties} on first start: the quorum's Raft log remembers its
 * voters, so the same directory must never be started as a different cluster (other node count or ports).
 */
public record ClusterLayout(Path dataDir, int nodes, int basePort) {
    /** More voters than this is no longer a development cluster on one machine. */
    public static final int MAX_NODES = 9;
    public static final int MIN_BASE_PORT = 1024;
    static final String IDENTITY_FILE = "cluster.properties";
    static final String PIDS_FILE = "cluster.pids";
    static final String HOST = "127.0.0.1";

    /** One node's fixed place: id, ports, directory. */
    public record NodeSpec(int id, int kafkaPort, int quorumPort, Path dir) {
        public Path logDir() {
            return dir.resolve("data");
        }

        public Path output() {
            return dir.resolve("broker.log");
        }

        public String address() {
            return HOST + ":" + kafkaPort;
        }
    }

    /** @throws IllegalArgumentException naming the value and its limit */
    public ClusterLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 1 and " + MAX_NODES + ", got " + nodes);
        }
        int maxBase = 65_535 - 2 * nodes + 1;
        if (basePort < MIN_BASE_PORT || basePort > maxBase) {
            throw new IllegalArgumentException("--base-port must be between " + MIN_BASE_PORT + " and " + maxBase
                + " for " + nodes + " node(s) (they take " + 2 * nodes + " ports from it), got " + basePort);
        }
    }

    public List<NodeSpec> nodeSpecs() {
        List<NodeSpec> specs = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) {
            specs.add(new NodeSpec(id, basePort + id - 1, basePort + nodes + id - 1, dataDir.resolve("node-" + id)));
        }
        return specs;
    }

    /** The highest port the cluster takes. */
    public int lastPort() {
        return basePort + 2 * nodes - 1;
    }

    /** {@code controller.quorum.voters} of every node. */
    public String voters() {
        StringJoiner joiner = new StringJoiner(",");
        nodeSpecs().forEach(n -> joiner.add(n.id() + "@" + HOST + ":" + n.quorumPort()));
        return joiner.toString();
    }

    /** What clients take as bootstrap.servers. */
    public String bootstrap() {
        StringJoiner joiner = new StringJoiner(",");
        nodeSpecs().forEach(n -> joiner.add(n.address()));
        return joiner.toString();
    }

    Path pidsFile() {
        return dataDir.resolve(PIDS_FILE);
    }

    private String describe() {
        return nodes + " node(s) on ports " + basePort + "-" + lastPort();
    }

    /**
     * Refuses a data directory that holds another cluster (a different layout recorded) or anything that is not a
     * local cluster's (a single broker's logs, say); an absent or empty directory, or this same cluster's, is fine.
     *
     * @throws OperationFailedException naming the directory, what it holds and what was asked
     */
    public void checkDataDir() {
        if (!Files.isDirectory(dataDir)) {
            if (Files.exists(dataDir)) {
                throw new OperationFailedException("--data-dir " + dataDir + " is not a directory");
            }
            return;
        }
        Path identity = dataDir.resolve(IDENTITY_FILE);
        if (Files.exists(identity)) {
            ClusterLayout recorded = read(dataDir);
            if (!recorded.voters().equals(voters())) {
                throw new OperationFailedException("--data-dir " + dataDir + " holds a different cluster: "
                    + recorded.describe() + " (see " + identity + "), asked for " + describe()
                    + "; give the same --nodes and --base-port, another --data-dir, or remove " + dataDir);
            }
            return;
        }
        List<String> foreign;
        try (Stream<Path> entries = Files.list(dataDir)) {
            foreign = entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(PIDS_FILE)).sorted().toList();
        } catch (IOException e) {
            throw new OperationFailedException("cannot read --data-dir " + dataDir + ": " + e.getMessage(), e);
        }
        if (!foreign.isEmpty()) {
            throw new OperationFailedException("--data-dir " + dataDir + " holds something other than a local cluster "
                + "(no " + IDENTITY_FILE + "; found " + (foreign.size() > 5 ? foreign.subList(0, 5) + "..." : foreign)
                + "); give another --data-dir or remove it");
        }
    }

    /**
     * Refuses a port range in which any port is taken.
     *
     * @throws OperationFailedException naming the first port taken, whose it would be, and the range needed
     */
    public void checkPortsFree() {
        for (NodeSpec n : nodeSpecs()) {
            checkFree(n.kafkaPort(), "the Kafka listener of node " + n.id());
            checkFree(n.quorumPort(), "the quorum port of node " + n.id());
        }
    }

    private void checkFree(int port, String role) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new OperationFailedException("port " + port + " (" + role + ") is in use: the cluster needs ports "
                + basePort + "-" + lastPort() + " free on " + HOST + "; choose another --base-port");
        }
    }

    /** Records this layout in the data directory (creating it), so a later start can tell it is the same cluster. */
    public void record() {
        Properties props = new Properties();
        props.setProperty("nodes", Integer.toString(nodes));
        props.setProperty("base.port", Integer.toString(basePort));
        props.setProperty("controller.quorum.voters", voters());
        try {
            Files.createDirectories(dataDir);
            try (Writer writer = Files.newBufferedWriter(dataDir.resolve(IDENTITY_FILE), StandardCharsets.UTF_8)) {
                props.store(writer, "A local Tributary cluster (tributary cluster up); its nodes must keep this layout");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The layout recorded in {@code dataDir}.
     *
     * @throws OperationFailedException when there is none or it does not parse
     */
    public static ClusterLayout read(Path dataDir) {
        Path identity = dataDir.resolve(IDENTITY_FILE);
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(identity, StandardCharsets.UTF_8)) {
            props.load(reader);
            return new ClusterLayout(dataDir, Integer.parseInt(props.getProperty("nodes", "")),
                Integer.parseInt(props.getProperty("base.port", "")));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OperationFailedException("no local cluster in " + dataDir.toAbsolutePath().normalize()
                + " (no " + IDENTITY_FILE + "); give the --data-dir that cluster up used");
        } catch (IOException | IllegalArgumentException e) {
            throw new OperationFailedException("cannot read " + identity + ": " + e.getMessage(), e);
        }
    }
}
