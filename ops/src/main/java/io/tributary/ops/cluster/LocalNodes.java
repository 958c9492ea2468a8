package io.tributary.ops.cluster;

import io.tributary.ops.OperationFailedException;
import io.tributary.ops.Tributary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node processes of a local cluster: each a {@code tributary server} in a JVM of its own, started from this
 * JVM's java and class path, in a session of its own (setsid, where the machine has it) so a Ctrl-C in the terminal
 * reaches only this launcher, which then stops the nodes one after the other. Their pids are kept in
 * {@code <dataDir>/cluster.pids}, one {@code NODE_ID PID} line per node, so {@code cluster down} (or a later
 * {@code cluster up}) finds them; a pid is only ever signalled while its command line still names that node's
 * log directory, so a recycled pid is never hit.
 */
final class LocalNodes {
    /** How long a node may take for its controlled shutdown after SIGTERM before it is killed. */
    static final long STOP_TIMEOUT_MS = 60_000;
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    /** One node process: started here, or found again through the pids file. */
    record NodeProcess(ClusterLayout.NodeSpec spec, ProcessHandle handle) {
    }

    private LocalNodes() {
    }

    /** The command that starts one node. */
    static List<String> command(ClusterLayout layout, ClusterLayout.NodeSpec node, List<String> jvmOptions,
                                Map<String, String> overrides) {
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().ifPresent(command::add);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Tributary.class.getName(), "server"));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", Integer.toString(node.id()));
        settings.put("listeners", "PLAINTEXT://" + node.address());
        settings.put("log.dirs", node.logDir().toString());
        settings.put("controller.quorum.voters", layout.voters());
        settings.put("metrics.listener", ""); // the default port would be taken by every node but the first
        settings.put("console.listener", "off");
        settings.putAll(overrides);
        settings.forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        return command;
    }

    /** Starts every node (at once: none can register before a majority of the quorum is up). */
    static List<NodeProcess> start(ClusterLayout layout, List<String> jvmOptions, Map<String, String> overrides) {
        List<NodeProcess> started = new ArrayList<>();
        try {
            for (ClusterLayout.NodeSpec node : layout.nodeSpecs()) {
                Files.createDirectories(node.logDir());
                Process process = new ProcessBuilder(command(layout, node, jvmOptions, overrides))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.output().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
                started.add(new NodeProcess(node, process.toHandle()));
            }
        } catch (IOException e) {
            stopInOrder(started, line -> { });
            throw new OperationFailedException("cannot start the nodes: " + e.getMessage(), e);
        }
        writePids(layout, started);
        return started;
    }

    static void writePids(ClusterLayout layout, List<NodeProcess> nodes) {
        StringBuilder lines = new StringBuilder();
        nodes.forEach(n -> lines.append(n.spec().id()).append(' ').append(n.handle().pid()).append('\n'));
        try {
            Files.writeString(layout.pidsFile(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nodes of the pids file that are still running (and still ours), in node order; empty if no file. */
    static List<NodeProcess> running(ClusterLayout layout) {
        List<NodeProcess> found = new ArrayList<>();
        if (!Files.exists(layout.pidsFile())) {
            return found;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(layout.pidsFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + layout.pidsFile() + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2) {
                continue;
            }
            int id;
            long pid;
            try {
                id = Integer.parseInt(fields[0]);
                pid = Long.parseLong(fields[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (id < 1 || id > layout.nodes()) {
                continue;
            }
            ClusterLayout.NodeSpec spec = layout.nodeSpecs().get(id - 1);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> isNode(h, spec));
            handle.ifPresent(h -> found.add(new NodeProcess(spec, h)));
        }
        return found;
    }

    /** True while the process's command line still names this node's log directory. */
    private static boolean isNode(ProcessHandle handle, ClusterLayout.NodeSpec spec) {
        String expected = "log.dirs=" + spec.logDir();
        return arguments(handle).contains(expected);
    }

    /**
     * The process's arguments. Read from /proc where there is one: the JDK's {@code ProcessHandle.Info} reads one
     * page of it and gives no arguments at all for a longer command line, which a class path easily makes.
     */
    private static List<String> arguments(ProcessHandle handle) {
        Path cmdline = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
        if (Files.isReadable(cmdline)) {
            try {
                return List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
            } catch (IOException e) {
                return List.of(); // gone in between
            }
        }
        return handle.info().arguments().map(List::of).orElse(List.of());
    }

    /**
     * Stops the nodes one after the other, in node order: SIGTERM (the broker's controlled shutdown), up to
     * {@link #STOP_TIMEOUT_MS} to exit, then SIGKILL.
     */
    static void stopInOrder(List<NodeProcess> nodes, Consumer<String> report) {
        for (NodeProcess node : nodes) {
            ProcessHandle handle = node.handle();
            if (!handle.isAlive()) {
                continue;
            }
            report.accept("Stopping node " + node.spec().id() + " (pid " + handle.pid() + ")");
            handle.destroy();
            if (!awaitExit(handle, STOP_TIMEOUT_MS)) {
                report.accept("Node " + node.spec().id() + " did not stop within " + STOP_TIMEOUT_MS / 1000 + " s; killing it");
                handle.destroyForcibly();
                awaitExit(handle, 10_000);
            }
        }
    }

    static boolean awaitExit(ProcessHandle handle, long timeoutMs) {
        try {
            handle.onExit().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        }
    }

    static void deletePids(ClusterLayout layout) {
        try {
            Files.deleteIfExists(layout.pidsFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
