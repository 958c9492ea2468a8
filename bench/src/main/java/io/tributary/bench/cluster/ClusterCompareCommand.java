package io.tributary.bench.cluster;

import io.tributary.bench.compare.BrokerBuilds;
import io.tributary.bench.compare.ProcessMeter;
import io.tributary.bench.compare.RoundTable;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 13's cluster figures, Apache Kafka 4.3.1 (KRaft, combined mode) against Tributary, each a 3-node cluster of
 * child JVMs on this machine, fresh per round, rounds interleaved (Kafka, Tributary, Kafka, Tributary). Per cluster,
 * with kafka-clients in this JVM and default client settings apart from those named:
 * <ol>
 *   <li>throughput: one producer, acks=all, linger 5 ms, batch 64 KiB, 1 KiB records as fast as it can, to a topic
 *       of 6 partitions, replication factor 3, min.insync.replicas=2; acknowledged records per second over the
 *       measured window, and the nodes' CPU seconds (user + system, all three) per GB acknowledged;</li>
 *   <li>fixed-rate latency: the same producer settings at a fixed rate to another such topic; send-to-ack
 *       latency percentiles;</li>
 *   <li>failover as a client sees it: a producer (acks=all) sends every 5 ms to a one-partition topic (replication
 *       factor 3, min.insync.replicas=2); the partition leader (from Admin.describeTopics) is SIGKILLed; the figure
 *       is the time from the kill to the first acknowledgement of a record sent after it. The node is restarted
 *       and the partition's ISR awaited;</li>
 *   <li>controller failover: the active controller (Admin.describeMetadataQuorum's leader where the broker serves
 *       it, else DescribeCluster's controller) is SIGKILLed; the figure is the time from the kill to the first
 *       successful CreateTopics (attempts of at most 5 s each).</li>
 * </ol>
 * Every node gets Kafka's default JVM flags (as `compare` gives its brokers). All nodes share the machine with the
 * client, so absolute figures are low; the ratios are the point.
 */
@Command(name = "cluster-compare", mixinStandardHelpOptions = true,
    description = "3-node Apache Kafka against 3-node Tributary: acks=all throughput, latency, failover times, CPU per GB.")
public final class ClusterCompareCommand implements java.util.concurrent.Callable<Integer> {
    private static final int RECORD_SIZE = 1024;

    @Option(names = "--rounds", description = "Clusters of each kind, alternating (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    @Option(names = "--nodes", description = "Nodes per cluster (default: ${DEFAULT-VALUE}).")
    int nodes = 3;

    @Mixin
    BrokerBuilds builds = new BrokerBuilds();

    @Option(names = "--work-dir", description = "Where the nodes' data goes; emptied per cluster (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("bench/target/cluster-compare-work");

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results/cluster-compare");

    @Option(names = "--duration", description = "Measured seconds of the throughput and latency runs (default: ${DEFAULT-VALUE}).")
    int durationSeconds = 20;

    @Option(names = "--rate", description = "Records per second of the fixed-rate run (default: ${DEFAULT-VALUE}).")
    int fixedRate = 5_000;

    @Option(names = "--scenarios", split = ",", description = "Which parts to run, of throughput, latency, failover, "
        + "controller-failover (default: all).")
    List<String> scenarios = List.of("throughput", "latency", "failover", "controller-failover");

    @Option(names = "--failover-repeats", description = "Leader kills per cluster, each after the ISR is whole again; "
        + "figures numbered when more than one (default: ${DEFAULT-VALUE}).")
    int failoverRepeats = 1;

    @Option(names = "--keep-logs", description = "Copy the nodes' logs to <out>/logs/<kind>-<round> before the work "
        + "directory is emptied (Tributary's with wall-clock times, for a failover timeline).")
    boolean keepLogs;

    /** One cluster's figures, by name, in the order they were taken. */
    private record Figures(LocalCluster.Kind kind, int round, Map<String, Double> values) {
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds " + rounds + " must be in [1, 10]");
        }
        if (failoverRepeats < 1 || failoverRepeats > 20) {
            throw new IllegalArgumentException("--failover-repeats " + failoverRepeats + " must be in [1, 20]");
        }
        List<String> known = List.of("throughput", "latency", "failover", "controller-failover");
        if (!known.containsAll(scenarios)) {
            throw new IllegalArgumentException("--scenarios " + scenarios + ": each one of " + known);
        }
        if (nodes < 3 || nodes > 5) {
            throw new IllegalArgumentException("--nodes " + nodes + " must be in [3, 5] (replication factor 3)");
        }
        builds.requirePresent();
        Files.createDirectories(out);
        List<String> flags = builds.flagList();
        List<Figures> all = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (LocalCluster.Kind kind : LocalCluster.Kind.values()) {
                Path dir = workDir.resolve(kind.label + "-" + round);
                deleteRecursively(dir);
                System.out.printf("[%s round %d] starting %d nodes (load %s)%n", kind.label, round, nodes, loadAverage());
                Map<String, Double> values = new LinkedHashMap<>();
                try (LocalCluster cluster = LocalCluster.start(kind, nodes, dir, builds.kafkaLib, builds.tributaryJar, flags)) {
                    runAll(cluster, values);
                } catch (Exception e) {
                    System.out.printf("[%s round %d] failed: %s%n", kind.label, round, e);
                    values.put("failed", 1.0);
                }
                for (Map.Entry<String, Double> figure : values.entrySet()) {
                    System.out.printf("[%s round %d] %s = %.3f%n", kind.label, round, figure.getKey(), figure.getValue());
                }
                all.add(new Figures(kind, round, values));
                if (keepLogs) {
                    copyLogs(dir, out.resolve("logs").resolve(kind.label + "-" + round));
                }
                deleteRecursively(dir);
            }
        }
        String report = report(all);
        Files.writeString(out.resolve("cluster-compare.md"), report);
        System.out.println(report);
        return 0;
    }

    private void runAll(LocalCluster cluster, Map<String, Double> values) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            awaitAllBrokers(admin);
            if (scenarios.contains("throughput")) {
                createTopic(admin, "throughput", 6);
                throughput(cluster, values);
            }
            if (scenarios.contains("latency")) {
                createTopic(admin, "latency", 6);
                latency(cluster, values);
            }
            if (scenarios.contains("failover")) {
                createTopic(admin, "failover", 1);
                for (int repeat = 1; repeat <= failoverRepeats; repeat++) {
                    failover(cluster, admin, values, failoverRepeats == 1 ? "" : " #" + repeat);
                }
            }
            if (scenarios.contains("controller-failover")) {
                controllerFailover(cluster, admin, values);
            }
            long resident = 0;
            for (long pid : cluster.livePids()) {
                resident += ProcessMeter.ofJvm(pid).residentBytes();
            }
            values.put("resident memory of the nodes after the runs (MiB)", resident / (1024.0 * 1024));
        }
    }

    /**
     * Waits until DescribeCluster lists every node as a live broker. A node listens before the controller has its
     * registration (or, on Tributary, before it is unfenced), so a replication factor of 3 can be refused for a
     * moment after the last node opened its port, on either system.
     */
    private void awaitAllBrokers(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int live = 0;
        while (System.nanoTime() - deadline < 0) {
            live = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            if (live >= nodes) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("only " + live + " of " + nodes + " brokers live 120 s after the start");
    }

    private static void createTopic(Admin admin, String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && p.isr().size() == 3)) {
                    return;
                }
            } catch (ExecutionException notYet) {
                // metadata not propagated yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("topic " + name + " has no full ISR after 60 s");
    }

    private Properties producerSettings(LocalCluster cluster) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static byte[] payload() {
        byte[] value = new byte[RECORD_SIZE];
        new Random(42).nextBytes(value);
        return value;
    }

    /** As fast as one producer can: acknowledged records per second and the nodes' CPU per GB over the window. */
    private void throughput(LocalCluster cluster, Map<String, Double> values) throws Exception {
        byte[] value = payload();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(cluster))) {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(5);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
            long ackedAtStart = -1;
            double cpuAtStart = 0;
            while (System.nanoTime() - end < 0) {
                if (ackedAtStart < 0 && System.nanoTime() - measureFrom >= 0) {
                    ackedAtStart = acked.get();
                    cpuAtStart = cpuSeconds(cluster);
                }
                producer.send(new ProducerRecord<>("throughput", value), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            long ackedInWindow = acked.get() - ackedAtStart;
            double cpu = cpuSeconds(cluster) - cpuAtStart;
            producer.flush();
            values.put("acks=all produce, 1 KiB (records/s)", ackedInWindow / (double) durationSeconds);
            values.put("acks=all produce, 1 KiB (MB/s)", ackedInWindow * (double) RECORD_SIZE / durationSeconds / 1e6);
            values.put("node CPU seconds per GB acknowledged", cpu / (ackedInWindow * (double) RECORD_SIZE / 1e9));
            values.put("throughput run: failed sends", (double) failed.get());
        }
    }

    private static double cpuSeconds(LocalCluster cluster) throws IOException {
        double total = 0;
        for (long pid : cluster.livePids()) {
            total += ProcessMeter.ofJvm(pid).cpuSeconds();
        }
        return total;
    }

    /** A fixed rate: send-to-acknowledgement latency, measured as Kafka's ProducerPerformance does (from send()). */
    private void latency(LocalCluster cluster, Map<String, Double> values) throws Exception {
        byte[] value = payload();
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        AtomicLong failed = new AtomicLong();
        long interval = TimeUnit.SECONDS.toNanos(1) / fixedRate;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(cluster))) {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(5);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
            long next = start;
            while (next - end < 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long sent = System.nanoTime();
                boolean measured = sent - measureFrom >= 0;
                producer.send(new ProducerRecord<>("latency", value), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    } else if (measured) {
                        synchronized (micros) {
                            micros.recordValue(Math.min(micros.getHighestTrackableValue(),
                                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent)));
                        }
                    }
                });
                next += interval;
            }
            producer.flush();
        }
        synchronized (micros) {
            values.put("fixed " + fixedRate + " rec/s: achieved (records/s)", micros.getTotalCount() / (double) durationSeconds);
            values.put("fixed rate: latency p50 (ms)", micros.getValueAtPercentile(50) / 1000.0);
            values.put("fixed rate: latency p99 (ms)", micros.getValueAtPercentile(99) / 1000.0);
            values.put("fixed rate: latency p99.9 (ms)", micros.getValueAtPercentile(99.9) / 1000.0);
            values.put("fixed rate: failed sends", (double) failed.get());
        }
    }

    /**
     * SIGKILL of the partition leader to the first acknowledgement of a record sent after the kill. The timeline
     * (wall clock, to line up with the nodes' logs) is printed: the kill, whether the killed node was also the active
     * controller, the first failed send, the first acknowledgement and the leader then.
     */
    private void failover(LocalCluster cluster, Admin admin, Map<String, Double> values, String suffix)
        throws Exception {
        byte[] value = payload();
        AtomicLong firstAckAfterKill = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstFailureWallMs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckWallMs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong failed = new AtomicLong();
        int leader;
        int controller;
        long killed;
        long killedWallMs;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(cluster))) {
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() - warmEnd < 0) {
                producer.send(new ProducerRecord<>("failover", value)).get(30, TimeUnit.SECONDS);
                Thread.sleep(5);
            }
            leader = partitionZero(admin, "failover").leader().id();
            controller = activeController(cluster, admin);
            killedWallMs = System.currentTimeMillis();
            killed = System.nanoTime();
            cluster.kill(leader);
            long deadline = killed + TimeUnit.SECONDS.toNanos(120);
            while (firstAckAfterKill.get() == Long.MAX_VALUE && System.nanoTime() - deadline < 0) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>("failover", value), (metadata, error) -> {
                    if (error == null) {
                        firstAckAfterKill.accumulateAndGet(System.nanoTime(), Math::min);
                        firstAckWallMs.accumulateAndGet(System.currentTimeMillis(), Math::min);
                    } else {
                        failed.incrementAndGet();
                        firstFailureWallMs.accumulateAndGet(System.currentTimeMillis(), Math::min);
                    }
                });
                Thread.sleep(5);
            }
        }
        double seconds = firstAckAfterKill.get() == Long.MAX_VALUE ? Double.NaN : (firstAckAfterKill.get() - killed) / 1e9;
        values.put("leader failover" + suffix + ": kill to first acks=all ack (s)", seconds);
        values.put("leader failover" + suffix + ": failed sends", (double) failed.get());
        int leaderAfter = -1;
        try {
            leaderAfter = partitionZero(admin, "failover").leader().id();
        } catch (Exception | Error e) {
            // reported as -1
        }
        System.out.printf("[%s] leader failover%s timeline: killed node %d (%s) at %s; first failed send %s; first ack"
                + " %s (%.3f s); leader now %d%n", cluster.kind().label, suffix, leader,
            leader == controller ? "also the active controller" : "controller is node " + controller,
            clock(killedWallMs), clock(firstFailureWallMs.get()), clock(firstAckWallMs.get()), seconds, leaderAfter);
        cluster.restart(leader);
        awaitFullIsr(admin, "failover");
    }

    private static TopicPartitionInfo partitionZero(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().get(0);
    }

    private static void awaitFullIsr(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() - deadline < 0) {
            try {
                if (partitionZero(admin, topic).isr().size() == 3) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
                // the restarted node is still joining
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(topic + "-0 has no full ISR 120 s after the restart");
    }

    /** The active controller: describeMetadataQuorum's leader where the broker serves it, else DescribeCluster's. */
    private static int activeController(LocalCluster cluster, Admin admin) throws Exception {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            // Tributary has no DescribeQuorum; its DescribeCluster for the controllers endpoint type (KIP-919, asked by
            // an Admin with bootstrap.controllers) names the active controller. The brokers type, as on Kafka, names a
            // live broker that stands for it, not necessarily the Ratis leader.
            try (Admin controllers = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG,
                cluster.bootstrap()))) {
                return controllers.describeCluster().controller().get(30, TimeUnit.SECONDS).id();
            }
        }
    }

    private static String clock(long wallMs) {
        return wallMs == Long.MAX_VALUE ? "-" : java.time.LocalTime.ofInstant(Instant.ofEpochMilli(wallMs),
            java.time.ZoneOffset.UTC).toString();
    }

    /** SIGKILL of the active controller to the first successful CreateTopics. */
    private void controllerFailover(LocalCluster cluster, Admin admin, Map<String, Double> values) throws Exception {
        int controller = activeController(cluster, admin);
        long killed = System.nanoTime();
        cluster.kill(controller);
        long deadline = killed + TimeUnit.SECONDS.toNanos(120);
        long created = -1;
        int attempts = 0;
        while (created < 0 && System.nanoTime() - deadline < 0) {
            attempts++;
            try {
                admin.createTopics(List.of(new NewTopic("after-controller-kill", 1, (short) 1)),
                    new CreateTopicsOptions().timeoutMs(5_000)).all().get(6, TimeUnit.SECONDS);
                created = System.nanoTime();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    created = System.nanoTime(); // an earlier attempt's creation went through; its answer was lost
                } else {
                    Thread.sleep(100);
                }
            } catch (java.util.concurrent.TimeoutException e) {
                // try again
            }
        }
        values.put("controller failover: kill to first CreateTopics (s)", created < 0 ? Double.NaN : (created - killed) / 1e9);
        values.put("controller failover: attempts", (double) attempts);
        cluster.restart(controller);
    }

    private String report(List<Figures> all) {
        RoundTable table = new RoundTable(LocalCluster.Kind.KAFKA.label);
        all.forEach(f -> table.add(f.kind().label, f.round(), f.values()));
        return "Apache Kafka 4.3.1 (KRaft, combined) vs Tributary, " + nodes + "-node clusters, " + Instant.now() + ", "
            + Runtime.getRuntime().availableProcessors() + " core(s), " + rounds + " round(s) interleaved; every node: " + builds.jvmFlags
            + "\n\n" + table.markdown();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Every node's log files under {@code dir} (node-N/*.log) to {@code target}/node-N-*.log. */
    private static void copyLogs(Path dir, Path target) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.createDirectories(target);
        try (var walk = Files.walk(dir, 2)) {
            for (Path log : walk.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, target.resolve(log.getParent().getFileName() + "-" + log.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
