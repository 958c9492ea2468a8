package io.tributary.ops.console;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.ConsumerRecords;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.consumer.OffsetAndTimestamp;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.consumer.WakeupException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.serialization.ByteArrayDeserializer;
import io.tributary.ops.OperationFailedException;
import io.tributary.ops.arguments.KeyValues;
import io.tributary.ops.arguments.TimeArguments;
import io.tributary.ops.broker.BrokerOptions;
import io.tributary.ops.broker.BrokerSession;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import io.tributary.protocol.record.Header;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tributary consume TOPIC}: prints a topic's records, one line each, with Tributary's consumer.
 *
 * <p>Without {@code --group} it reads every partition (or one, {@code --partition}) from the end, the beginning,
 * an offset or a time. With {@code --group} it joins that consumer group (positions from its committed offsets,
 * else the end, or the beginning with {@code --from-beginning}) and, when it stops, commits exactly what it
 * printed: {@code --max-messages 3} commits the offsets after those three records, not the rest of the batch the
 * broker sent; an assigned partition it printed nothing from gets its current position, so the group's lag is
 * known for every partition. It stops after {@code --max-messages}, after {@code --timeout-ms} without a
 * record, or at Ctrl-C (committing first).
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print a topic's records (Tributary's consumer), one line each, formatted by --format.",
        "Example: tributary consume orders --from-beginning --format '{offset} {key}={value}'"})
public final class ConsumeCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Consume as a member of this consumer group and commit what was printed.")
    String group;

    @Option(names = "--from-beginning", description = "Start at the earliest offset (with --group: when the group has no committed offset).")
    boolean fromBeginning;

    @Option(names = "--offset", paramLabel = "N", description = "Start at offset N of every partition read (not with --group).")
    Long offset;

    @Option(names = "--from-time", paramLabel = "TIME", converter = TimeArguments.InstantConverter.class,
        description = "Start at the first record at or after this time, e.g. 2026-01-31T12:00:00Z (not with --group).")
    Instant fromTime;

    @Option(names = "--from-ago", paramLabel = "DURATION", converter = TimeArguments.DurationConverter.class,
        description = "Start at the first record of the last DURATION, e.g. PT1H or 1h (not with --group).")
    Duration fromAgo;

    @Option(names = {"-p", "--partition"}, paramLabel = "P", description = "Read only this partition (not with --group).")
    Integer partition;

    @Option(names = {"-n", "--max-messages"}, paramLabel = "N", description = "Stop after N records.")
    Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Stop when no record arrives for MS milliseconds.")
    Long timeoutMs;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", defaultValue = "{value}",
        description = "Line template: {topic} {partition} {offset} {timestamp} {key} {value} {headers}, \\t, \\n (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A consumer setting (Kafka key names), repeatable.")
    List<String> properties = new ArrayList<>();

    @Mixin
    BrokerOptions broker;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cli = spec.commandLine();
        RecordFormat lineFormat = checkOptions(cli);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("client.id", "tributary-console-consumer");
        config.put("allow.auto.create.topics", false);
        config.put("enable.auto.commit", false);
        config.put("auto.offset.reset", fromBeginning ? "earliest" : "latest");
        if (group != null) {
            config.put("group.id", group);
        }
        config.putAll(broker.clientProperties()); // --command-config / --command-property: security and the like
        config.putAll(KeyValues.parse(cli, "--property", properties));
        config.put("bootstrap.servers", broker.bootstrap().config());

        int partitions;
        try (BrokerSession session = BrokerSession.open(broker, "tributary-console-consumer")) {
            partitions = session.partitionCount(topic);
        }
        if (partition != null && partition >= partitions) {
            throw new OperationFailedException("topic " + topic + " has no partition " + partition + " (it has " + partitions + ")");
        }
        TributaryConsumer<byte[], byte[]> consumer;
        try {
            consumer = new TributaryConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            consumer.wakeup();
            try {
                finished.await(10, TimeUnit.SECONDS); // let the loop commit and close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consume-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try (consumer) {
            start(consumer, partitions);
            return consumeLoop(consumer, lineFormat, cli.getOut());
        } catch (TributaryException e) {
            throw new OperationFailedException("consuming " + topic + " failed: " + e.getMessage(), e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping: the hook is running and waits for us
            }
        }
    }

    private RecordFormat checkOptions(CommandLine cli) {
        int starts = (fromBeginning ? 1 : 0) + (offset != null ? 1 : 0) + (fromTime != null ? 1 : 0) + (fromAgo != null ? 1 : 0);
        if (starts > 1) {
            throw new CommandLine.ParameterException(cli, "Choose one start: --from-beginning, --offset, --from-time or --from-ago");
        }
        if (group != null && (offset != null || fromTime != null || fromAgo != null || partition != null)) {
            throw new CommandLine.ParameterException(cli, "With --group the start is the group's committed offsets; move them with "
                + "'tributary groups reset-offsets' (--offset, --from-time, --from-ago and --partition are for reading without a group)");
        }
        if (offset != null && offset < 0) {
            throw new CommandLine.ParameterException(cli, "--offset must be 0 or more, got " + offset);
        }
        if (partition != null && partition < 0) {
            throw new CommandLine.ParameterException(cli, "--partition must be 0 or more, got " + partition);
        }
        if (maxMessages != null && maxMessages < 1) {
            throw new CommandLine.ParameterException(cli, "--max-messages must be 1 or more, got " + maxMessages);
        }
        if (timeoutMs != null && timeoutMs < 1) {
            throw new CommandLine.ParameterException(cli, "--timeout-ms must be 1 or more, got " + timeoutMs);
        }
        if (fromAgo != null && fromAgo.isNegative()) {
            throw new CommandLine.ParameterException(cli, "--from-ago must be a positive duration such as PT1H, got " + fromAgo);
        }
        try {
            return RecordFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--format: " + e.getMessage());
        }
    }

    private void start(TributaryConsumer<byte[], byte[]> consumer, int partitions) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (partition == null || partition == p) {
                assigned.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else if (offset != null) {
            assigned.forEach(tp -> consumer.seek(tp, offset));
        } else if (fromTime != null || fromAgo != null) {
            long at = Math.max(0, fromTime != null ? fromTime.toEpochMilli() : System.currentTimeMillis() - fromAgo.toMillis());
            Map<TopicPartition, Long> times = new HashMap<>();
            assigned.forEach(tp -> times.put(tp, at));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
            List<TopicPartition> nothingAfter = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                OffsetAndTimestamp o = found.get(tp);
                if (o == null) {
                    nothingAfter.add(tp);
                } else {
                    consumer.seek(tp, o.offset());
                }
            }
            consumer.seekToEnd(nothingAfter);
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    private int consumeLoop(TributaryConsumer<byte[], byte[]> consumer, RecordFormat lineFormat, PrintWriter out) {
        // Per partition, the offset to commit: after the last printed record, or the first record received but not
        // printed (a poll returns more than --max-messages may take).
        Map<TopicPartition, Long> next = new HashMap<>();
        long count = 0;
        long lastRecordNanos = System.nanoTime();
        try {
            while (maxMessages == null || count < maxMessages) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    if (timeoutMs != null && System.nanoTime() - lastRecordNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                        break;
                    }
                    continue;
                }
                lastRecordNanos = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (maxMessages != null && count >= maxMessages) {
                        next.putIfAbsent(tp, record.offset()); // received, not printed: read again next time
                        continue;
                    }
                    out.println(output.json() ? json(record) : lineFormat.format(record.topic(), record.partition(), record.offset(),
                        record.timestamp(), record.key(), record.value(), record.headers()));
                    next.put(tp, record.offset() + 1);
                    count++;
                }
                out.flush();
            }
        } catch (WakeupException stopping) {
            // Ctrl-C: commit what was printed, then close
        } finally {
            out.flush();
            if (group != null) {
                commitPrinted(consumer, next);
            }
        }
        return 0;
    }

    /**
     * Commits, for every assigned partition, where the group must go on from: {@code next} where records came,
     * else the consumer's position there (no record was received from it, so nothing is skipped).
     */
    private static void commitPrinted(TributaryConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        next.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        for (TopicPartition tp : consumer.assignment()) {
            if (!commits.containsKey(tp)) {
                try {
                    commits.put(tp, new OffsetAndMetadata(consumer.position(tp, Duration.ofSeconds(5))));
                } catch (TributaryException unknown) {
                    // no position yet (assigned a moment ago): leave that partition's commit as it was
                }
            }
        }
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private static String json(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("key", record.key() == null ? null : RecordFormat.text(record.key()));
        json.put("value", record.value() == null ? null : RecordFormat.text(record.value()));
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            byte[] value = RecordFormat.bytes(header.value());
            headers.put(header.key(), value == null ? null : RecordFormat.text(value));
        }
        json.put("headers", headers);
        return Json.write(json);
    }
}
