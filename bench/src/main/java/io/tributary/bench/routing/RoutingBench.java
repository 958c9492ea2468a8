package io.tributary.bench.routing;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.routing.RoutingMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * What ordered routing costs, each figure against its baseline in the same run:
 *
 * <ul>
 *   <li>routing cost per record: {@code RoutingMode.ORDERED} (murmur2 then jump hash) against {@code RoutingMode.HASH}
 *       (Kafka's murmur2 modulo) over the same keys;</li>
 *   <li>the broker's key check: appends of the same batches to a partition of an ordered topic (every key hashed,
 *       compressed batches decompressed) against a partition of a plain topic, through {@code PartitionLog.append},
 *       uncompressed and lz4.</li>
 * </ul>
 *
 * <p>Design note: the two sides of each ratio alternate which runs first in each round and the best round of each
 * is reported, so JIT and page-cache state favour neither. Run it on its own (it is not a subcommand of the bench
 * jar's main, to stay independent of the harness): {@code java -cp bench/target/tributary-bench.jar
 * io.tributary.bench.routing.RoutingBench}.
 */
@Command(name = "routing", mixinStandardHelpOptions = true,
    description = "Routing cost per record and the broker's key check, ordered against hash.")
public final class RoutingBench implements Callable<Integer> {
    @Option(names = "--dir", description = "Directory for the logs (default: bench/target/routing-bench).")
    Path dir = Path.of("bench", "target", "routing-bench");

    @Option(names = "--keys", description = "Distinct keys, routed over and over (default: ${DEFAULT-VALUE}).")
    int keys = 10_000;

    @Option(names = "--key-bytes", description = "Key size in bytes (default: ${DEFAULT-VALUE}).")
    int keyBytes = 16;

    @Option(names = "--partitions", description = "Partition count routed to (default: ${DEFAULT-VALUE}).")
    int partitions = 18;

    @Option(names = "--batches", description = "Batches appended per round and topic (default: ${DEFAULT-VALUE}).")
    int batches = 20_000;

    @Option(names = "--records-per-batch", description = "Records per batch (default: ${DEFAULT-VALUE}).")
    int recordsPerBatch = 16;

    @Option(names = "--record-bytes", description = "Value size of each record (default: ${DEFAULT-VALUE}).")
    int recordBytes = 100;

    @Option(names = "--rounds", description = "Rounds per measurement; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 7;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RoutingBench()).execute(args));
    }

    @Override
    public Integer call() {
        routingCost();
        keyCheck(Compression.none());
        keyCheck(Compression.lz4());
        return 0;
    }

    private void routingCost() {
        Random random = new Random(1);
        byte[][] all = new byte[keys][keyBytes];
        for (byte[] key : all) {
            random.nextBytes(key);
        }
        // Enough passes over the keys that each side routes 20 million keys per round: past JIT warm-up.
        int passes = Math.max(1, 20_000_000 / keys);
        double bestHash = Double.MAX_VALUE;
        double bestOrdered = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            boolean orderedFirst = round % 2 == 1;
            for (int side = 0; side < 2; side++) {
                RoutingMode mode = (side == 0) == orderedFirst ? RoutingMode.ORDERED : RoutingMode.HASH;
                long start = System.nanoTime();
                for (int pass = 0; pass < passes; pass++) {
                    for (byte[] key : all) {
                        sink += mode.partition(key, partitions);
                    }
                }
                double nsPerKey = (System.nanoTime() - start) / ((double) keys * passes);
                if (mode == RoutingMode.ORDERED) {
                    bestOrdered = Math.min(bestOrdered, nsPerKey);
                } else {
                    bestHash = Math.min(bestHash, nsPerKey);
                }
            }
        }
        System.out.printf("routing cost, %d keys of %d bytes, %d partitions: hash (murmur2 %% n) %.1f ns/record, "
                + "ordered (murmur2 + jump hash) %.1f ns/record, ratio %.2f (checksum %d)%n",
            keys, keyBytes, partitions, bestHash, bestOrdered, bestOrdered / bestHash, sink);
    }

    private void keyCheck(Compression codec) {
        List<ByteBuffer> prepared = batchesForPartitionZero(codec);
        long recordsPerRound = (long) batches * recordsPerBatch;
        double bestPlain = Double.MAX_VALUE;
        double bestOrdered = Double.MAX_VALUE;
        deleteRecursively(dir);
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC())) {
            for (int round = 0; round < rounds; round++) {
                boolean orderedFirst = round % 2 == 1;
                for (int side = 0; side < 2; side++) {
                    boolean ordered = (side == 0) == orderedFirst;
                    String topic = (ordered ? "ordered-" : "plain-") + round;
                    logs.createTopic(topic, partitions, ordered ? Map.of("routing.mode", "ordered") : Map.of());
                    PartitionLog log = logs.log(new TopicPartition(topic, 0));
                    long start = System.nanoTime();
                    for (ByteBuffer batch : prepared) {
                        log.append(batch.duplicate(), LeaderEpochs.SINGLE_BROKER);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    logs.deleteTopic(topic);
                    if (ordered) {
                        bestOrdered = Math.min(bestOrdered, seconds);
                    } else {
                        bestPlain = Math.min(bestPlain, seconds);
                    }
                }
            }
        } finally {
            deleteRecursively(dir);
        }
        System.out.printf("append %s, %d batches of %d x %d B records: plain topic %.0f records/s, ordered topic %.0f "
                + "records/s, ordered/plain %.2f; key check %.0f ns/record%n",
            codec.type().configName, batches, recordsPerBatch, recordBytes, recordsPerRound / bestPlain,
            recordsPerRound / bestOrdered, bestPlain / bestOrdered, (bestOrdered - bestPlain) * 1e9 / recordsPerRound);
    }

    /** Batches whose keys all route to partition 0 of an ordered topic, so both topics accept them. */
    private List<ByteBuffer> batchesForPartitionZero(Compression codec) {
        Random random = new Random(2);
        byte[] value = new byte[recordBytes];
        List<ByteBuffer> prepared = new ArrayList<>(batches);
        int next = 0;
        for (int b = 0; b < batches; b++) {
            RecordBatchBuilder builder = new RecordBatchBuilder(codec);
            for (int r = 0; r < recordsPerBatch; r++) {
                byte[] key;
                do {
                    key = ("key-" + next++).getBytes(StandardCharsets.UTF_8);
                } while (RoutingMode.ORDERED.partition(key, partitions) != 0);
                random.nextBytes(value);
                builder.append(System.currentTimeMillis(), ByteBuffer.wrap(key), ByteBuffer.wrap(value.clone()));
            }
            prepared.add(builder.build());
        }
        return prepared;
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
