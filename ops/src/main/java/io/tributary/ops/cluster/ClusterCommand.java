package io.tributary.ops.cluster;

import io.tributary.clients.admin.ClusterDescription;
import io.tributary.clients.admin.PartitionDescription;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.TopicListing;
import io.tributary.ops.OperationFailedException;
import io.tributary.ops.Tributary;
import io.tributary.ops.arguments.KeyValues;
import io.tributary.ops.broker.AdminSession;
import io.tributary.ops.broker.BrokerOptions;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.ops.output.Table;
import io.tributary.protocol.Node;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tributary cluster}: a local multi-node cluster for development ({@code up}, {@code down}) and the state of
 * any cluster ({@code status}). The nodes of {@code up} are ordinary {@code tributary server} processes laid out by
 * {@link ClusterLayout}; {@code status} asks DescribeCluster and Metadata through Tributary's admin client.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Start and stop a local development cluster; show a cluster's brokers, controller and partitions.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
public final class ClusterCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: up, down or status");
    }

    /** The data directory option shared by up and down. */
    static final class DataDirOption {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Where the nodes keep their data, node-N/ each (default: ./${DEFAULT-VALUE}).")
        Path dataDir;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a local cluster of N nodes (each a broker and a metadata-quorum voter) on 127.0.0.1, "
            + "wait until every broker answers and a controller is elected, print the bootstrap string, and stay in the "
            + "foreground until Ctrl-C (or SIGTERM), which stops the nodes one after the other.",
            "Node N listens on BASE+N-1 for clients and BASE+NODES+N-1 for the quorum; its files and output "
                + "(broker.log) are in DIR/node-N."})
    static final class Up implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Number of nodes, 1 to " + ClusterLayout.MAX_NODES + " (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "9092",
            description = "The first node's Kafka port; the others follow, then the quorum ports (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Mixin
        DataDirOption data;

        @Option(names = "--detach", description = "Leave the nodes running and return; `tributary cluster down` stops them.")
        boolean detach;

        @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "A JVM option of every node, e.g. --jvm-option=-Xmx256m; repeatable "
                + "(default: -Xmx512m -XX:+UseSerialGC, or env TRIBUTARY_NODE_JAVA_OPTS).")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "A broker setting for every node (docs/CONFIGURATION.md); repeatable.")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long the nodes may take to answer and elect a controller (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            CommandLine cli = spec.commandLine();
            ClusterLayout layout;
            try {
                layout = new ClusterLayout(data.dataDir, nodes, basePort);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, e.getMessage());
            }
            if (timeoutSeconds < 1) {
                throw new CommandLine.ParameterException(cli, "--timeout must be 1 or more seconds, got " + timeoutSeconds);
            }
            Map<String, String> settings = KeyValues.parse(cli, "--override", overrides);
            for (String owned : List.of("node.id", "listeners", "log.dirs", "controller.quorum.voters")) {
                if (settings.containsKey(owned)) {
                    throw new CommandLine.ParameterException(cli, "--override " + owned + " is set by cluster up for each node;"
                        + " use --nodes, --base-port and --data-dir instead");
                }
            }
            layout.checkDataDir();
            List<LocalNodes.NodeProcess> running = LocalNodes.running(layout);
            if (!running.isEmpty()) {
                throw new OperationFailedException("a cluster from " + layout.dataDir() + " is already running (pids "
                    + running.stream().map(n -> n.handle().pid()).toList() + "); stop it with: tributary cluster down --data-dir "
                    + layout.dataDir());
            }
            layout.checkPortsFree();
            layout.record();

            PrintWriter out = cli.getOut();
            PrintWriter err = cli.getErr();
            out.println("Starting " + nodes + " node(s) in " + layout.dataDir() + " (Kafka ports " + basePort + "-"
                + (basePort + nodes - 1) + ", quorum ports " + (basePort + nodes) + "-" + layout.lastPort() + ")");
            out.flush();
            List<LocalNodes.NodeProcess> started = LocalNodes.start(layout, jvmOptions(), settings);
            try {
                awaitReady(layout, started, TimeUnit.SECONDS.toMillis(timeoutSeconds));
            } catch (OperationFailedException | InterruptedException e) {
                LocalNodes.stopInOrder(started, line -> { });
                LocalNodes.deletePids(layout);
                throw e;
            }
            out.println("Cluster ready: " + nodes + " broker(s), bootstrap servers " + layout.bootstrap());
            if (detach) {
                out.println("Running in the background (pids in " + layout.pidsFile() + "); stop with: tributary cluster down"
                    + (data.dataDir.equals(Path.of("data")) ? "" : " --data-dir " + layout.dataDir()));
                out.flush();
                return Tributary.OK;
            }
            out.println("Press Ctrl-C to stop the cluster.");
            out.flush();
            return runInForeground(layout, started, out, err);
        }

        private List<String> jvmOptions() {
            if (!jvmOptions.isEmpty()) {
                return jvmOptions;
            }
            String env = System.getenv("TRIBUTARY_NODE_JAVA_OPTS");
            return env == null || env.isBlank() ? List.of("-Xmx512m", "-XX:+UseSerialGC") : List.of(env.trim().split("\\s+"));
        }

        /** Every node answers Metadata naming all N brokers and a controller, or the deadline passes. */
        private static void awaitReady(ClusterLayout layout, List<LocalNodes.NodeProcess> started, long timeoutMs)
            throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            List<Integer> expected = layout.nodeSpecs().stream().map(ClusterLayout.NodeSpec::id).toList();
            String lastSeen = "no node answered";
            try (ClusterProbe probe = new ClusterProbe(layout.bootstrap())) {
                while (System.nanoTime() - deadline < 0) {
                    for (LocalNodes.NodeProcess node : started) {
                        if (!node.handle().isAlive()) {
                            throw new OperationFailedException("node " + node.spec().id() + " exited during start; see "
                                + node.spec().output());
                        }
                    }
                    boolean ready = true;
                    for (ClusterLayout.NodeSpec node : layout.nodeSpecs()) {
                        ClusterProbe.View view = probe.ask(node);
                        if (view == null) {
                            lastSeen = "node " + node.id() + " did not answer";
                            ready = false;
                            break;
                        }
                        if (!view.brokers().equals(expected) || view.controllerId() < 0) {
                            lastSeen = "node " + node.id() + " saw brokers " + view.brokers() + " and controller "
                                + (view.controllerId() < 0 ? "none" : view.controllerId());
                            ready = false;
                            break;
                        }
                    }
                    if (ready) {
                        return;
                    }
                    Thread.sleep(200); // polling pace; the condition is re-checked against the deadline
                }
            }
            throw new OperationFailedException("the cluster was not ready within " + timeoutMs / 1000 + " s (--timeout): "
                + lastSeen + "; see " + layout.dataDir() + "/node-*/broker.log");
        }

        /**
         * Waits until this JVM is told to stop (SIGINT, SIGTERM), then stops the nodes in order; a node that exits
         * on its own is reported, and when none is left the command ends.
         */
        private static int runInForeground(ClusterLayout layout, List<LocalNodes.NodeProcess> started, PrintWriter out,
                                           PrintWriter err) throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                out.println("Stopping the cluster");
                out.flush();
                LocalNodes.stopInOrder(started, line -> {
                    out.println(line);
                    out.flush();
                });
                LocalNodes.deletePids(layout);
                out.println("Cluster stopped");
                out.flush();
                stopped.countDown();
            }, "cluster-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            List<LocalNodes.NodeProcess> alive = new ArrayList<>(started);
            while (!alive.isEmpty() && stopped.getCount() > 0) {
                for (LocalNodes.NodeProcess node : List.copyOf(alive)) {
                    if (!node.handle().isAlive()) {
                        alive.remove(node);
                        if (stopped.getCount() > 0) {
                            err.println("node " + node.spec().id() + " exited; see " + node.spec().output());
                            err.flush();
                        }
                    }
                }
                stopped.await(500, TimeUnit.MILLISECONDS);
            }
            if (stopped.getCount() == 0) {
                return Tributary.OK;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            LocalNodes.deletePids(layout);
            throw new OperationFailedException("every node of the cluster exited; see " + layout.dataDir() + "/node-*/broker.log");
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the nodes that `cluster up --detach` left running (SIGTERM, one after the other).")
    static final class Down implements java.util.concurrent.Callable<Integer> {
        @Mixin
        DataDirOption data;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ClusterLayout layout = ClusterLayout.read(data.dataDir.toAbsolutePath().normalize());
            List<LocalNodes.NodeProcess> running = LocalNodes.running(layout);
            PrintWriter out = spec.commandLine().getOut();
            if (running.isEmpty()) {
                LocalNodes.deletePids(layout);
                out.println("No node of the cluster in " + layout.dataDir() + " is running.");
                out.flush();
                return Tributary.OK;
            }
            LocalNodes.stopInOrder(running, line -> {
                out.println(line);
                out.flush();
            });
            LocalNodes.deletePids(layout);
            out.println("Stopped " + running.size() + " node(s).");
            out.flush();
            return Tributary.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "The cluster's brokers (id, host:port, rack), its controller, topic and partition counts, and the "
            + "under-replicated (ISR smaller than the replicas) and offline (no leader) partitions.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Mixin
        BrokerOptions broker;

        @Mixin
        OutputOptions output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ClusterDescription cluster;
            List<TopicDescription> topics = new ArrayList<>();
            try (AdminSession session = AdminSession.open(broker)) {
                cluster = session.await(session.admin().describeCluster());
                List<String> names = session.await(session.admin().listTopics(true)).stream().map(TopicListing::name).sorted().toList();
                if (!names.isEmpty()) {
                    topics.addAll(session.await(session.admin().describeTopics(names).all()).values());
                }
            }
            topics.sort(Comparator.comparing(TopicDescription::name));
            List<Node> brokers = new ArrayList<>(cluster.nodes());
            brokers.sort(Comparator.comparingInt(Node::id));
            int partitions = 0;
            List<String> underReplicated = new ArrayList<>();
            List<String> offline = new ArrayList<>();
            for (TopicDescription topic : topics) {
                for (PartitionDescription p : topic.partitions()) {
                    partitions++;
                    String name = topic.name() + "-" + p.partition();
                    if (p.leader() == null || p.leader().id() < 0) {
                        offline.add(name);
                    } else if (p.isr().size() < p.replicas().size()) {
                        underReplicated.add(name);
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("clusterId", cluster.clusterId());
                json.put("controller", cluster.controller() == null ? null : cluster.controller().id());
                List<Object> list = new ArrayList<>();
                for (Node b : brokers) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", b.id());
                    entry.put("host", b.host());
                    entry.put("port", b.port());
                    entry.put("rack", b.rack());
                    list.add(entry);
                }
                json.put("brokers", list);
                json.put("topics", topics.size());
                json.put("partitions", partitions);
                json.put("underReplicatedPartitions", underReplicated);
                json.put("offlinePartitions", offline);
                out.println(Json.write(json));
            } else {
                out.println("Cluster " + cluster.clusterId() + ": " + brokers.size() + " broker(s), controller "
                    + (cluster.controller() == null ? "none" : cluster.controller().id() + " (" + cluster.controller().address() + ")"));
                Table table = new Table("BROKER", "HOST:PORT", "RACK", "ROLE");
                for (Node b : brokers) {
                    boolean controller = cluster.controller() != null && cluster.controller().id() == b.id();
                    table.row(b.id(), b.address(), b.rack() == null || b.rack().isEmpty() ? "-" : b.rack(),
                        controller ? "controller" : "");
                }
                table.print(out);
                out.println("Topics: " + topics.size() + ", partitions: " + partitions + " (internal topics included)");
                out.println("Under-replicated partitions: " + underReplicated.size() + (underReplicated.isEmpty() ? "" : " " + underReplicated));
                out.println("Offline partitions: " + offline.size() + (offline.isEmpty() ? "" : " " + offline));
            }
            out.flush();
            return Tributary.OK;
        }
    }
}
