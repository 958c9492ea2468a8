package io.tributary.ops.console;

import io.tributary.clients.Headers;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.serialization.ByteArraySerializer;
import io.tributary.ops.OperationFailedException;
import io.tributary.ops.arguments.KeyValues;
import io.tributary.ops.TributaryCommand;
import io.tributary.ops.broker.BrokerOptions;
import io.tributary.ops.broker.BrokerSession;
import io.tributary.ops.output.Json;
import io.tributary.ops.output.OutputOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code tributary produce TOPIC}: sends each line of standard input as one record, with Tributary's producer.
 * A line is the value, or {@code KEY<separator>VALUE} with {@code --key-separator}; {@code --header K=V} adds
 * headers to every record. Every record is acknowledged (as {@code --acks} asks) before the command reports
 * success; the first failure stops it, naming the line.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Send each line of standard input as a record (Tributary's producer).",
        "Example: printf 'order-1:created\\n' | tributary produce orders --key-separator :"})
public final class ProduceCommand implements Callable<Integer> {
    /** The codecs the producer offers, as compression.type names them. */
    enum Compression { none, gzip, snappy, lz4, zstd }

    @Parameters(paramLabel = "TOPIC", description = "The topic to write to (it must exist).")
    String topic;

    @Option(names = {"-k", "--key-separator"}, paramLabel = "SEP",
        description = "Split each line at the first SEP into key and value (without it, lines are values with no key).")
    String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "A header for every record; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-z", "--compression"}, paramLabel = "CODEC", defaultValue = "none",
        description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    Compression compression;

    @Option(names = "--acks", paramLabel = "ACKS", defaultValue = "all", description = "0, 1 or all (default: ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = {"-p", "--partition"}, paramLabel = "P", description = "Send every record to this partition (default: by key, as Kafka).")
    Integer partition;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A producer setting (Kafka key names), repeatable.")
    List<String> properties = new ArrayList<>();

    @Mixin
    BrokerOptions broker;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cli = spec.commandLine();
        if (!acks.equals("0") && !acks.equals("1") && !acks.equals("all") && !acks.equals("-1")) {
            throw new CommandLine.ParameterException(cli, "--acks must be 0, 1 or all, got '" + acks + "'");
        }
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--key-separator must not be empty");
        }
        if (partition != null && partition < 0) {
            throw new CommandLine.ParameterException(cli, "--partition must be 0 or more, got " + partition);
        }
        Map<String, byte[]> recordHeaders = new LinkedHashMap<>();
        for (String header : headers) {
            int eq = header.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(cli, "--header takes KEY=VALUE, got '" + header + "'");
            }
            recordHeaders.put(header.substring(0, eq), header.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("client.id", "tributary-console-producer");
        config.put("acks", acks);
        config.put("compression.type", compression.name());
        config.put("linger.ms", 5L);
        config.put("max.block.ms", 15_000L);
        config.putAll(broker.clientProperties()); // --command-config / --command-property: security and the like
        config.putAll(KeyValues.parse(cli, "--property", properties));
        config.put("bootstrap.servers", broker.bootstrap().config());

        int partitions;
        try (BrokerSession session = BrokerSession.open(broker, "tributary-console-producer")) {
            partitions = session.partitionCount(topic);
        }
        if (partition != null && partition >= partitions) {
            throw new OperationFailedException("topic " + topic + " has no partition " + partition + " (it has " + partitions + ")");
        }
        TributaryProducer<byte[], byte[]> producer;
        try {
            producer = new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        try (producer) {
            BufferedReader in = new BufferedReader(new InputStreamReader(
                ((TributaryCommand) spec.root().userObject()).in(), StandardCharsets.UTF_8));
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                sent.add(send(producer, line, lineNumber, recordHeaders));
            }
            producer.flush();
            TreeMap<Integer, long[]> offsets = new TreeMap<>(); // partition -> first, last offset
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata metadata = await(sent.get(i), i + 1);
                long[] range = offsets.computeIfAbsent(metadata.partition().partition(), p -> new long[] {Long.MAX_VALUE, -1});
                range[0] = Math.min(range[0], metadata.offset());
                range[1] = Math.max(range[1], metadata.offset());
            }
            report(cli.getOut(), sent.size(), offsets);
        } catch (TributaryException e) {
            throw new OperationFailedException("producing to " + topic + " failed: " + e.getMessage(), e);
        }
        return 0;
    }

    private CompletableFuture<RecordMetadata> send(TributaryProducer<byte[], byte[]> producer, String line, int lineNumber,
                                                   Map<String, byte[]> recordHeaders) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new OperationFailedException("line " + lineNumber + " has no key separator '" + keySeparator + "': " + line);
            }
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
        }
        Headers h = new Headers();
        recordHeaders.forEach(h::add);
        try {
            return producer.send(new ProducerRecord<>(topic, partition, null, key, value.getBytes(StandardCharsets.UTF_8), h));
        } catch (TributaryException e) {
            throw new OperationFailedException("line " + lineNumber + " could not be sent: " + e.getMessage(), e);
        }
    }

    private static RecordMetadata await(CompletableFuture<RecordMetadata> future, int lineNumber) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new OperationFailedException("line " + lineNumber + " was not written: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void report(PrintWriter out, int records, TreeMap<Integer, long[]> offsets) {
        if (output.json()) {
            List<Object> partitions = new ArrayList<>();
            offsets.forEach((p, range) -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("partition", p);
                json.put("firstOffset", range[0] < 0 ? null : range[0]);
                json.put("lastOffset", range[1] < 0 ? null : range[1]);
                partitions.add(json);
            });
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("topic", topic);
            json.put("records", records);
            json.put("partitions", partitions);
            out.println(Json.write(json));
        } else {
            StringBuilder where = new StringBuilder();
            offsets.forEach((p, range) -> where.append(where.isEmpty() ? "" : ", ").append("partition ").append(p)
                .append(range[1] < 0 ? "" : " offsets " + range[0] + "-" + range[1]));
            out.println("Produced " + records + " record(s) to " + topic + (where.isEmpty() ? "" : " (" + where + ")") + ".");
        }
        out.flush();
    }
}
