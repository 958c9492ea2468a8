package io.tributary.server.txn;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consume-transform-produce loop in a child JVM, to be killed with SIGKILL at any point: it reads {@code in} with
 * read_committed as a static member of a group, and per poll writes each record's value prefixed with "t:" to the
 * same partition of {@code out} and commits the input offsets in the same transaction (sendOffsetsToTransaction).
 * It prints {@code COMMITTED <n>} after each commit (n: records transformed by this process). A child whose parent
 * is gone (stdin closes) or that lived {@link #MAX_LIFETIME} exits by itself.
 */
final class ChildTransformer implements AutoCloseable {
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(4);
    private static final String COMMITTED = "COMMITTED ";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** In the child: {@code bootstrap in out group transactionalId}. */
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
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, args[3] + "-member");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[4]);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "20000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            System.out.println("STARTED");
            System.out.flush();
            producer.initTransactions();
            System.out.println("INITIALIZED");
            System.out.flush();
            consumer.subscribe(List.of(args[1]));
            long transformed = 0;
            long deadline = System.nanoTime() + MAX_LIFETIME.toNanos();
            while (System.nanoTime() < deadline) { // until killed
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    producer.send(new ProducerRecord<>(args[2], r.partition(), r.key(), "t:" + r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                transformed += records.count();
                System.out.println(COMMITTED + transformed);
                System.out.flush();
            }
        }
        Runtime.getRuntime().halt(4);
    }

    ChildTransformer(String bootstrap, String in, String out, String group, String transactionalId, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp", classpath,
            ChildTransformer.class.getName(), bootstrap, in, out, group, transactionalId));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader input = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = input.readLine(); line != null; line = input.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the child is gone
            }
        }, "child-transformer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits (at most {@code timeout}) until the child reports having committed at least {@code count} records. */
    void awaitCommitted(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            last = line;
            if (line.startsWith(COMMITTED) && Long.parseLong(line.substring(COMMITTED.length()).trim()) >= count) {
                return;
            }
        }
        throw new AssertionError("The child transformer did not commit " + count + " records within " + timeout.toMillis()
            + " ms; its last report: " + last + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
    }

    /** SIGKILL: whatever transaction is open stays open until the next producer of the id (or the timeout) aborts it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The child transformer survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
