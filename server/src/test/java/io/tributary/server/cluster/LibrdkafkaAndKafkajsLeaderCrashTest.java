package io.tributary.server.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's leader-kill "must show" with clients other than kafka-clients: librdkafka (Debian's {@code kcat}) and
 * kafkajs 2.2.4 (Node.js) produce and consume through partition-leader SIGKILLs exactly as
 * {@link AckedWritesSurviveLeaderCrashTest} does with the Java client. Three brokers (child JVMs), one topic per client
 * with three partitions, replication factor 3 and min.insync.replicas=2; each client's idempotent producer (acks=all)
 * sends values {@code <partition>:<seq>} numbered per partition, holding at each kill point until the test has
 * SIGKILLed the current leader of partition 0 (found through Admin), so the records after it are sent into the
 * failover; the broker is restarted on its data and every ISR is full again before the next kill. Afterwards the same
 * client reads every partition from the start to its end: each holds strictly increasing sequence numbers (exactly
 * once, in order) containing every acknowledged record at the offset its acknowledgement gave.
 *
 * <p>How each client says what was acknowledged:
 * <ul>
 *   <li>kcat serves its delivery reports only while it reads input, so it runs once per chunk of one partition
 *       ({@code -p}), and its delivery reports at verbosity 3 ({@code -v -v}: "Message delivered to partition P
 *       (offset O)", or "Delivery failed for message") are read once it has flushed and exited: librdkafka reports a
 *       partition's messages in the order produced, so the n-th report is the n-th input line.</li>
 *   <li>kafkajs runs {@code kafkajs/producer.js}, which prints {@code ack <partition> <seq> <offset>} when a send
 *       resolves, and {@code kafkajs/consumer.js}, a consumer group reading from the beginning to the end offsets.</li>
 * </ul>
 *
 * <p>Without kcat, or without node and kafkajs ({@code .ci/run} installs kafkajs into {@code .ci/node}; found there,
 * or under the directory named by {@code TRIBUTARY_NODE_MODULES}), that test is skipped, except under {@code CI=true},
 * where it fails. The default suite makes two kills per client ({@code -Pfault-injection}: five, with more records).
 * Both print the failover as the client saw it: from the SIGKILL to the first acknowledgement of a record of a
 * partition the killed broker led (for kcat, coarser: to the exit of that round's kcat run, which waits for all of
 * its records).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibrdkafkaAndKafkajsLeaderCrashTest {
    private static final boolean CI = "true".equals(System.getenv("CI"));
    private static final boolean LONG = Boolean.getBoolean("tributary.faultInjection");
    private static final int PARTITIONS = 3;
    private static final int KILLS = LONG ? 5 : 2;
    /** kcat: rounds of one kcat run per partition, each sending CHUNK records; the kills spread over the rounds. */
    private static final int KCAT_ROUNDS = LONG ? 12 : 6;
    private static final int KCAT_CHUNK = 400;
    private static final int KAFKAJS_RECORDS = LONG ? 30_000 : 6_000;
    /** Generous for a loaded 2-core machine: a client process's whole run, failover included. */
    private static final long CLIENT_TIMEOUT_SECONDS = 180;
    private static final Pattern DELIVERED = Pattern.compile("Message delivered to partition (\\d+) \\(offset (-?\\d+)\\)");
    private static final Pattern DELIVERY_FAILED = Pattern.compile("Delivery failed for message: (.*)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path root;
    static Path kcat;
    static Path node;
    static Path nodeModules;
    static ChildCluster cluster;
    static Admin admin;

    /** One acknowledged record: its sequence number in its partition, its offset, when the test learnt of it. */
    private record Ack(int seq, long offset, long atNanos) {
    }

    /** One record a client read back: its offset and value. */
    private record Consumed(long offset, String value) {
    }

    /** What a producer acknowledged, per partition in acknowledgement order; shared by its reader and the test. */
    private static final class Acknowledged {
        private final Map<Integer, List<Ack>> byPartition = new HashMap<>();
        private int failed;
        private String firstFailure;

        synchronized void ack(int partition, int seq, long offset) {
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(new Ack(seq, offset, System.nanoTime()));
        }

        synchronized void fail(int count, String why) {
            failed += count;
            if (firstFailure == null) {
                firstFailure = why;
            }
        }

        synchronized List<Ack> of(int partition) {
            return List.copyOf(byPartition.getOrDefault(partition, List.of()));
        }

        synchronized int total() {
            return byPartition.values().stream().mapToInt(List::size).sum();
        }

        /** The first acknowledgement time after {@code after} of any of {@code partitions}, or -1. */
        synchronized long firstAfter(List<Integer> partitions, long after) {
            long first = -1;
            for (int p : partitions) {
                List<Ack> acks = byPartition.getOrDefault(p, List.of());
                for (int i = acks.size() - 1; i >= 0 && acks.get(i).atNanos() - after > 0; i--) {
                    first = first < 0 ? acks.get(i).atNanos() : Math.min(first, acks.get(i).atNanos());
                }
            }
            return first;
        }

        synchronized String summary() {
            return total() + " acknowledged, " + failed + " failed (first: " + firstFailure + ")";
        }
    }

    /** Where the producer is: kill points reached (it holds there) and kills made (it may go on). */
    private static final class KillPoints {
        final AtomicInteger reached = new AtomicInteger();
        final AtomicInteger made = new AtomicInteger();
        private volatile boolean abandoned;

        /** Called by the producer at kill point {@code kill} (from 1): holds until the test has made that kill. */
        void holdFor(int kill) throws InterruptedException {
            reached.set(kill);
            if (!ChildCluster.await(600_000, () -> made.get() >= kill || abandoned) || abandoned) {
                throw new IllegalStateException("kill " + kill + " never came");
            }
        }

        /** The test has stopped killing (done or failed): a producer still holding stops. */
        void abandon() {
            abandoned = true;
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        kcat = onPath("kcat");
        node = onPath("node");
        nodeModules = kafkajsModules();
        // CI (.ci/run, CI=true) installs kcat and kafkajs and must run both tests; elsewhere each needs its client
        Assumptions.assumeTrue(CI || kcat != null || (node != null && nodeModules != null),
            "neither kcat nor node with kafkajs is installed; skipping the librdkafka and kafkajs failover tests");
        Map<String, String> settings = Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500",
            "replica.fetch.wait.max.ms", "200");
        cluster = new ChildCluster(root, 3, settings);
        admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster));
        cluster.startAll();
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.liveBrokers(admin) == 3
            && ClusterProbe.brokersEverywhere(cluster, 3))).as("three brokers registered").isTrue();
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kcatAcknowledgedRecordsSurviveLeaderKillsExactlyOnceInOrder() throws Exception {
        Assumptions.assumeTrue(kcat != null || CI, "kcat is not installed (apt-get install kcat); skipping");
        assertThat(kcat).as("kcat on the PATH (CI=true: .ci/run installs it)").isNotNull();
        String topic = "kcat-failover";
        createTopic(topic);
        Acknowledged acked = new Acknowledged();
        KillPoints kills = new KillPoints();
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                produceWithKcat(topic, acked, kills);
            } catch (Throwable e) {
                producerError.set(e);
            }
        }, "kcat-producer");
        producer.setDaemon(true);
        producer.start();
        List<String> failovers;
        try {
            failovers = killLeaders(topic, acked, kills, producer::isAlive);
        } finally {
            kills.abandon();
            producer.join(TimeUnit.SECONDS.toMillis(CLIENT_TIMEOUT_SECONDS * 2));
        }
        assertThat(producerError.get()).as("the kcat producer runs").isNull();
        assertThat(producer.isAlive()).as("kcat producer finished").isFalse();
        report("kcat", KCAT_ROUNDS * KCAT_CHUNK * PARTITIONS, acked, failovers);
        assertThat(acked.total()).isGreaterThan(KCAT_ROUNDS * KCAT_CHUNK * PARTITIONS * 9 / 10);

        Map<Integer, List<Consumed>> consumed = new HashMap<>();
        String out = run(kcat, List.of("-C", "-b", cluster.bootstrap(), "-t", topic, "-o", "beginning", "-e", "-q",
            "-X", "check.crcs=true", "-f", "%p %o %s\\n"), root.resolve("kcat-consumer"));
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                String[] parts = line.split(" ", 3);
                consumed.computeIfAbsent(Integer.parseInt(parts[0]), p -> new ArrayList<>())
                    .add(new Consumed(Long.parseLong(parts[1]), parts[2]));
            }
        }
        checkExactlyOnceInOrder(acked, consumed);
    }

    @Test
    void kafkajsAcknowledgedRecordsSurviveLeaderKillsExactlyOnceInOrder() throws Exception {
        Assumptions.assumeTrue((node != null && nodeModules != null) || CI,
            "node or kafkajs is missing (.ci/run installs kafkajs into .ci/node); skipping");
        assertThat(node).as("node on the PATH").isNotNull();
        assertThat(nodeModules).as("kafkajs under .ci/node/node_modules (CI=true: .ci/run installs it)").isNotNull();
        String topic = "kafkajs-failover";
        createTopic(topic);
        Acknowledged acked = new Acknowledged();
        KillPoints kills = new KillPoints();
        Process producer = node("producer.js", List.of(cluster.bootstrap(), topic), root.resolve("kafkajs-producer.err"));
        Thread acknowledgements = new Thread(() -> readKafkajsAcks(producer, acked), "kafkajs-acks");
        acknowledgements.setDaemon(true);
        acknowledgements.start();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Writer in = new OutputStreamWriter(producer.getOutputStream(), StandardCharsets.UTF_8)) {
                int[] next = new int[PARTITIONS];
                int nextKill = 0;
                for (int i = 0; i < KAFKAJS_RECORDS; i++) {
                    if (nextKill < KILLS && i == KAFKAJS_RECORDS * (nextKill + 1) / (KILLS + 1)) {
                        in.flush();
                        // kill only once the producer has connected and acknowledged half of what it was given: its
                        // metadata is current, the rest may be in flight (a kill before it connects tests kafkajs's
                        // start-up, where it gives up on a broker the metadata still lists, against Kafka as well)
                        int written = i;
                        if (!ChildCluster.await(CLIENT_TIMEOUT_SECONDS * 1000, () -> acked.total() >= written / 2)) {
                            throw new IllegalStateException("kafkajs acknowledged " + acked.summary() + " of " + written);
                        }
                        kills.holdFor(++nextKill);
                    }
                    int partition = i % PARTITIONS;
                    in.write(partition + ":" + next[partition]++ + "\n");
                }
            } catch (Throwable e) {
                writerError.set(e);
            }
        }, "kafkajs-writer");
        writer.setDaemon(true);
        writer.start();
        List<String> failovers;
        try {
            failovers = killLeaders(topic, acked, kills, writer::isAlive);
            writer.join(TimeUnit.SECONDS.toMillis(CLIENT_TIMEOUT_SECONDS));
            awaitExit(producer, "kafkajs producer", root.resolve("kafkajs-producer.err"));
        } finally {
            kills.abandon();
            producer.destroyForcibly();
            acknowledgements.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(writerError.get()).as("records written to the kafkajs producer").isNull();
        report("kafkajs", KAFKAJS_RECORDS, acked, failovers);
        assertThat(producer.exitValue()).as("kafkajs producer exit code (%s); see %s", acked.summary(),
            root.resolve("kafkajs-producer.err")).isZero();
        assertThat(acked.total()).as("every record acknowledged").isEqualTo(KAFKAJS_RECORDS);

        Process consumer = node("consumer.js", List.of(cluster.bootstrap(), topic, "failover-check", "120000"),
            root.resolve("kafkajs-consumer.err"));
        consumer.getOutputStream().close();
        Path consumerOut = root.resolve("kafkajs-consumer.out");
        Thread copy = new Thread(() -> copyTo(consumer, consumerOut), "kafkajs-consumer-out");
        copy.setDaemon(true);
        copy.start();
        try {
            awaitExit(consumer, "kafkajs consumer", root.resolve("kafkajs-consumer.err"));
        } finally {
            consumer.destroyForcibly();
            copy.join(TimeUnit.SECONDS.toMillis(30));
        }
        List<String> lines = Files.readAllLines(consumerOut);
        assertThat(consumer.exitValue()).as("kafkajs consumer exit code; last line %s; see %s",
            lines.isEmpty() ? "none" : lines.get(lines.size() - 1), root.resolve("kafkajs-consumer.err")).isZero();
        assertThat(lines).last().isEqualTo("done");
        Map<Integer, List<Consumed>> consumed = new HashMap<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] parts = line.split(" ", 3);
            consumed.computeIfAbsent(Integer.parseInt(parts[0]), p -> new ArrayList<>())
                .add(new Consumed(Long.parseLong(parts[1]), parts[2]));
        }
        checkExactlyOnceInOrder(acked, consumed);
    }

    /**
     * kcat rounds: each round runs one kcat per partition with the next KCAT_CHUNK sequence numbers; in a kill round
     * each gets half its chunk, the producer holds until the kill is made, then the other half goes into the failover.
     */
    private static void produceWithKcat(String topic, Acknowledged acked, KillPoints kills) throws Exception {
        int nextKill = 0;
        for (int round = 0; round < KCAT_ROUNDS; round++) {
            int kill = 0;
            if (nextKill < KILLS && round == KCAT_ROUNDS * (nextKill + 1) / (KILLS + 1)) {
                kill = ++nextKill;
            }
            List<Process> runs = new ArrayList<>();
            try {
                produceKcatRound(topic, round, kill, runs, acked, kills);
            } finally {
                runs.forEach(Process::destroyForcibly); // the ones that exited are unaffected
            }
        }
    }

    /** One kcat round; {@code kill} > 0 makes it kill round {@code kill}. */
    private static void produceKcatRound(String topic, int round, int kill, List<Process> runs, Acknowledged acked,
                                         KillPoints kills) throws Exception {
        List<Writer> inputs = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> args = List.of("-P", "-b", cluster.bootstrap(), "-t", topic, "-p", Integer.toString(p),
                "-v", "-v", "-X", "acks=all", "-X", "enable.idempotence=true", "-X", "message.timeout.ms=120000",
                "-X", "retry.backoff.ms=100", "-X", "linger.ms=5");
            List<String> command = new ArrayList<>(List.of(kcat.toString()));
            command.addAll(args);
            Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(kcatLog(round, p).toFile()).start();
            runs.add(run);
            inputs.add(new OutputStreamWriter(run.getOutputStream(), StandardCharsets.UTF_8));
        }
        int half = kill > 0 ? KCAT_CHUNK / 2 : KCAT_CHUNK;
        for (int p = 0; p < PARTITIONS; p++) {
            writeSequence(inputs.get(p), p, round * KCAT_CHUNK, round * KCAT_CHUNK + half);
        }
        if (kill > 0) {
            kills.holdFor(kill);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            try (Writer in = inputs.get(p)) {
                writeSequence(in, p, round * KCAT_CHUNK + half, (round + 1) * KCAT_CHUNK);
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            awaitExit(runs.get(p), "kcat -P round " + round + " partition " + p, kcatLog(round, p));
            recordKcatDeliveries(p, round * KCAT_CHUNK, runs.get(p), kcatLog(round, p), acked);
        }
    }

    private static Path kcatLog(int round, int partition) {
        return root.resolve("kcat-producer-" + round + "-" + partition + ".err");
    }

    private static void writeSequence(Writer in, int partition, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int seq = from; seq < to; seq++) {
            lines.append(partition).append(':').append(seq).append('\n');
        }
        in.write(lines.toString());
        in.flush();
    }

    /** The n-th delivery report of a kcat run is the n-th record it was given: {@code firstSeq + n}. */
    private static void recordKcatDeliveries(int partition, int firstSeq, Process run, Path log, Acknowledged acked)
        throws IOException {
        List<String> reports = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (DELIVERED.matcher(line).find() || DELIVERY_FAILED.matcher(line).find()) {
                reports.add(line);
            }
        }
        assertThat(reports).as("one delivery report per record of kcat partition %d from %d (exit %d); see %s",
            partition, firstSeq, run.exitValue(), log).hasSize(KCAT_CHUNK);
        for (int n = 0; n < reports.size(); n++) {
            Matcher delivered = DELIVERED.matcher(reports.get(n));
            if (delivered.find()) {
                assertThat(Integer.parseInt(delivered.group(1))).as("partition of %s", reports.get(n)).isEqualTo(partition);
                acked.ack(partition, firstSeq + n, Long.parseLong(delivered.group(2)));
            } else {
                Matcher failed = DELIVERY_FAILED.matcher(reports.get(n));
                assertThat(failed.find()).isTrue();
                acked.fail(1, failed.group(1));
            }
        }
    }

    /** Reads the kafkajs producer's "ack"/"fail" lines as they come. */
    private static void readKafkajsAcks(Process producer, Acknowledged acked) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] parts = line.split(" ", 4);
                if (parts[0].equals("ack")) {
                    acked.ack(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
                } else if (parts[0].equals("fail")) {
                    acked.fail(Integer.parseInt(parts[1]), line);
                }
            }
        } catch (IOException e) {
            acked.fail(0, "reading the producer's output: " + e);
        }
    }

    /**
     * The scenario's kills: at each kill point the producer reaches (and holds at), SIGKILL the current leader of
     * partition 0, let the producer go on, restart the broker, wait for an acknowledgement of a partition it led and for
     * every ISR to be full again. Returns the failover as the client saw it, per kill.
     */
    private static List<String> killLeaders(String topic, Acknowledged acked, KillPoints kills, BooleanSupplier producing)
        throws Exception {
        List<String> failovers = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            int awaited = kill;
            ChildCluster.await(300_000, () -> kills.reached.get() >= awaited || !producing.getAsBoolean());
            assertThat(kills.reached.get()).as("the producer reached kill point %d (%s)", kill, acked.summary())
                .isGreaterThanOrEqualTo(kill);
            TopicDescription before = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            int victim = before.partitions().get(0).leader().id();
            List<Integer> led = new ArrayList<>();
            for (TopicPartitionInfo p : before.partitions()) {
                if (p.leader() != null && p.leader().id() == victim) {
                    led.add(p.partition());
                }
            }
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            kills.made.incrementAndGet();
            cluster.start(victim);
            long[] firstAck = {-1};
            ChildCluster.await(CLIENT_TIMEOUT_SECONDS * 1000, () -> (firstAck[0] = acked.firstAfter(led, killedAt)) > 0);
            failovers.add("kill " + kill + " of broker " + victim + " (led " + led + "): "
                + (firstAck[0] < 0 ? "no acknowledgement" : TimeUnit.NANOSECONDS.toMillis(firstAck[0] - killedAt) + " ms"));
            assertThat(firstAck[0]).as("an acknowledgement after killing broker %d (%s)", victim, acked.summary()).isPositive();
            assertThat(ChildCluster.await(180_000, () -> ClusterProbe.liveBrokers(admin) == 3
                && ClusterProbe.isrEverywhere(cluster, topic, PARTITIONS, 3)))
                .as("broker %d back and every ISR full after kill %d", victim, kill).isTrue();
        }
        return failovers;
    }

    private static void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get(60, TimeUnit.SECONDS);
        ClusterProbe.awaitIsrEverywhere(cluster, topic, PARTITIONS, 3, 60_000,
            topic + ": every ISR full after creation");
    }

    /**
     * Each partition read back holds strictly increasing sequence numbers of that partition (no duplicate, no
     * reordering), and every acknowledged record at the offset its acknowledgement gave.
     */
    private static void checkExactlyOnceInOrder(Acknowledged acked, Map<Integer, List<Consumed>> consumed) {
        assertThat(consumed.keySet()).as("partitions read back").allMatch(p -> p >= 0 && p < PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            Map<Integer, Long> offsetOfSeq = new HashMap<>();
            int previous = -1;
            long previousOffset = -1;
            for (Consumed record : consumed.getOrDefault(p, List.of())) {
                String[] parts = record.value().split(":");
                assertThat(Integer.parseInt(parts[0])).as("record %s in partition %d", record.value(), p).isEqualTo(p);
                int seq = Integer.parseInt(parts[1]);
                assertThat(seq).as("partition %d at offset %d follows seq %d: no duplicate, no reordering", p,
                    record.offset(), previous).isGreaterThan(previous);
                assertThat(record.offset()).as("offsets of partition %d increase", p).isGreaterThan(previousOffset);
                previous = seq;
                previousOffset = record.offset();
                offsetOfSeq.put(seq, record.offset());
            }
            for (Ack ack : acked.of(p)) {
                assertThat(offsetOfSeq.get(ack.seq())).as("acknowledged %d:%d at offset %d", p, ack.seq(), ack.offset())
                    .isEqualTo(ack.offset());
            }
        }
    }

    private static void report(String client, int records, Acknowledged acked, List<String> failovers) {
        System.out.printf("%s (%s): %d records, %s%n  failover as the client saw it:%n    %s%n",
            LibrdkafkaAndKafkajsLeaderCrashTest.class.getSimpleName(), client, records, acked.summary(),
            String.join("\n    ", failovers));
    }

    /** Runs {@code program} to its end, bounded in time; its stdout, or a failure with its stderr. */
    private static String run(Path program, List<String> args, Path logs) throws Exception {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(args);
        Path out = Path.of(logs + ".out");
        Path err = Path.of(logs + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        try {
            awaitExit(process, command.toString(), err);
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("%s exit code; see %s", program.getFileName(), err).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void awaitExit(Process process, String what, Path log) throws InterruptedException {
        boolean exited = process.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(exited).as("%s exits within %d s; see %s", what, CLIENT_TIMEOUT_SECONDS, log).isTrue();
    }

    /** Starts {@code node <script>} (a resource under kafkajs/) with kafkajs on NODE_PATH; stderr to {@code err}. */
    private static Process node(String script, List<String> args, Path err) throws IOException, URISyntaxException {
        Path file = Path.of(LibrdkafkaAndKafkajsLeaderCrashTest.class.getResource("/kafkajs/" + script).toURI());
        List<String> command = new ArrayList<>(List.of(node.toString(), file.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().put("NODE_PATH", nodeModules.toString());
        return builder.start();
    }

    private static void copyTo(Process process, Path file) {
        try (var in = process.getInputStream()) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The node_modules directory holding kafkajs: {@code TRIBUTARY_NODE_MODULES}, else {@code .ci/node/node_modules}
     * in the repository (found upwards from the working directory, the module's under Maven); null if absent.
     */
    private static Path kafkajsModules() {
        String configured = System.getenv("TRIBUTARY_NODE_MODULES");
        if (configured != null && !configured.isBlank()) {
            Path modules = Path.of(configured).toAbsolutePath();
            return Files.isRegularFile(modules.resolve("kafkajs/package.json")) ? modules : null;
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path modules = dir.resolve(".ci/node/node_modules");
            if (Files.isRegularFile(modules.resolve("kafkajs/package.json"))) {
                return modules;
            }
        }
        return null;
    }
}
