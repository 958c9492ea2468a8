package io.tributary.server.group;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A group member in a child JVM, for tests that must kill a consumer without letting it leave (SIGKILL): no
 * LeaveGroup, no last commit, just a silent member whose session expires. The child polls until it is killed
 * and prints {@code ASSIGNED <member id> <partitions>} on every assignment; the parent reads those lines. A
 * child whose parent is gone (its stdin closes) or that has lived {@link #MAX_LIFETIME} exits by itself, so
 * a crashed test run leaves no consumer behind.
 */
final class ChildConsumer implements AutoCloseable {
    private static final String ASSIGNED = "ASSIGNED ";
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(3);

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** In the child: {@code bootstrap group topic sessionTimeoutMs heartbeatIntervalMs}. */
    public static void main(String[] args) {
        Thread orphaned = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; end of input means it is gone
                }
            } catch (IOException gone) {
                // the same
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        orphaned.setDaemon(true);
        orphaned.start();
        Map<String, Object> settings = GroupTestSupport.member(args[0], args[1]);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.parseInt(args[3]));
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.parseInt(args[4]));
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "child");
        Properties properties = new Properties();
        properties.putAll(settings);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                TreeSet<Integer> numbers = new TreeSet<>();
                consumer.assignment().forEach(tp -> numbers.add(tp.partition()));
                System.out.println(ASSIGNED + consumer.groupMetadata().memberId() + " " + numbers);
                System.out.flush();
            }
        });
        long deadline = System.nanoTime() + MAX_LIFETIME.toNanos();
        while (System.nanoTime() < deadline) { // until killed
            consumer.poll(Duration.ofMillis(100));
        }
        Runtime.getRuntime().halt(4);
    }

    /** Starts the child JVM; its output other than assignments goes to {@code log}. */
    ChildConsumer(String bootstrap, String group, String topic, int sessionTimeoutMs, int heartbeatIntervalMs, Path log)
        throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp", classpath,
            ChildConsumer.class.getName(), bootstrap, group, topic, Integer.toString(sessionTimeoutMs),
            Integer.toString(heartbeatIntervalMs)));
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the child is gone
            }
        }, "child-consumer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** A reported assignment: the child's member id and its partitions. */
    record Assignment(String memberId, String partitions) {
    }

    /**
     * Waits (at most {@code timeout}) until the child reports the assignment {@code partitions} (as
     * {@code Set.toString()} of sorted partition numbers: "[1, 4]").
     */
    Assignment awaitAssignment(String partitions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            if (line.startsWith(ASSIGNED)) {
                String[] parts = line.substring(ASSIGNED.length()).split(" ", 2);
                if (parts[1].equals(partitions)) {
                    return new Assignment(parts[0], parts[1]);
                }
            }
        }
        throw new AssertionError("The child consumer did not report the assignment " + partitions + " within "
            + timeout.toMillis() + " ms; it reported " + seen + (process.isAlive() ? "" : " and exited with " + process.exitValue()));
    }

    /** SIGKILL: the consumer leaves nothing behind but its membership. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The child consumer survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing the child consumer", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
