package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** routing.mode=ordered in the log: the key check, the fences taken at growth, and their persistence. */
class OrderedRoutingTest {
    private static final Map<String, String> ORDERED = Map.of("routing.mode", "ordered");

    @TempDir
    Path root;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<LogManager> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(LogManager::close);
    }

    LogManager open() {
        LogManager manager = LogManager.open(LogManagerConfig.of(List.of(root.resolve("data")), LogConfig.defaults()), clock);
        opened.add(manager);
        return manager;
    }

    static int route(String key, int partitions) {
        return RoutingMode.ORDERED.partition(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The first key "k<i>" that routes to {@code partition} of {@code partitions}. */
    static String keyFor(int partition, int partitions) {
        return firstKey(key -> route(key, partitions) == partition);
    }

    /** A key in {@code partition} of {@code before} that a growth to {@code after} moves to a new partition. */
    static String movingKey(int partition, int before, int after) {
        return firstKey(key -> route(key, before) == partition && route(key, after) >= before);
    }

    /** A key in {@code partition} of {@code before} that stays there after a growth to {@code after}. */
    static String stayingKey(int partition, int before, int after) {
        return firstKey(key -> route(key, before) == partition && route(key, after) == partition);
    }

    private static String firstKey(java.util.function.Predicate<String> wanted) {
        for (int i = 0; i < 1_000_000; i++) {
            if (wanted.test("k" + i)) {
                return "k" + i;
            }
        }
        throw new AssertionError("no such key among the first million");
    }

    static ByteBuffer batch(Compression codec, String... keys) {
        List<KeyedRecords.KeyValue> records = new ArrayList<>();
        for (String key : keys) {
            records.add(kv(key, "v"));
        }
        return KeyedRecords.batch(codec, 1_700_000_000_000L, records);
    }

    @Test
    void keyedRecordsAreTakenOnlyWhereTheirKeyRoutesKeylessOnesAnywhere() {
        LogManager logs = open();
        logs.createTopic("orders", 6, ORDERED);
        PartitionLog p2 = logs.log(new TopicPartition("orders", 2));
        String mine = keyFor(2, 6);
        String other = keyFor(4, 6);

        p2.append(batch(Compression.none(), mine, mine), 0);
        p2.append(batch(Compression.none(), (String) null), 0);
        for (Compression codec : List.of(Compression.none(), Compression.lz4(), Compression.zstd())) {
            assertThatThrownBy(() -> p2.append(batch(codec, mine, other, mine), 0))
                .isInstanceOf(MisroutedRecordException.class)
                .hasMessageContaining("Record 1 of batch 0")
                .hasMessageContaining("orders-2")
                .hasMessageContaining("partition 4 of 6")
                .satisfies(e -> assertThat(((MisroutedRecordException) e).expectedPartition()).isEqualTo(4));
        }
        assertThat(p2.logEndOffset()).isEqualTo(3);
        p2.append(batch(Compression.gzip(), mine, null, mine), 0);
        assertThat(p2.logEndOffset()).isEqualTo(6);
    }

    @Test
    void hashTopicsAreNotChecked() {
        LogManager logs = open();
        logs.createTopic("plain", 6, Map.of());
        PartitionLog p2 = logs.log(new TopicPartition("plain", 2));
        p2.append(batch(Compression.none(), keyFor(4, 6)), 0);
        assertThat(p2.logEndOffset()).isEqualTo(1);
    }

    @Test
    void growthFencesOldPartitionsAtTheirEndsAndChecksLaterAppendsWithTheNewCount() {
        LogManager logs = open();
        logs.createTopic("orders", 2, ORDERED);
        PartitionLog p0 = logs.log(new TopicPartition("orders", 0));
        PartitionLog p1 = logs.log(new TopicPartition("orders", 1));
        String moving = movingKey(0, 2, 4);
        String staying = stayingKey(0, 2, 4);
        p0.append(batch(Compression.none(), moving, staying, moving), 0);
        p1.append(batch(Compression.none(), keyFor(1, 2)), 0);

        TopicMetadata grown = logs.createPartitions("orders", 4);

        assertThat(grown.routingFences().toConfigValue()).isEqualTo("2->4:3,1");
        assertThat(logs.topic("orders").routingFences()).isEqualTo(grown.routingFences());
        assertThat(p0.recoveryPoint()).as("fenced partitions are fsynced up to the fence").isEqualTo(3);
        assertThatThrownBy(() -> p0.append(batch(Compression.none(), moving), 0)).isInstanceOf(MisroutedRecordException.class);
        p0.append(batch(Compression.none(), staying), 0);
        PartitionLog newHome = logs.log(new TopicPartition("orders", route(moving, 4)));
        newHome.append(batch(Compression.none(), moving), 0);
        assertThat(newHome.logEndOffset()).isEqualTo(1);

        logs.createPartitions("orders", 6);
        assertThat(logs.topic("orders").routingFences().toConfigValue()).isEqualTo("2->4:3,1;4->6:4,1," + logs.log(
            new TopicPartition("orders", 2)).logEndOffset() + "," + logs.log(new TopicPartition("orders", 3)).logEndOffset());
    }

    @Test
    void fencesAndTheCheckSurviveARestart() {
        LogManager logs = open();
        logs.createTopic("orders", 3, ORDERED);
        logs.log(new TopicPartition("orders", 1)).append(batch(Compression.none(), keyFor(1, 3)), 0);
        logs.createPartitions("orders", 5);
        RoutingFences fences = logs.topic("orders").routingFences();
        logs.close();

        LogManager again = open();
        assertThat(again.topic("orders").routingFences()).isEqualTo(fences);
        assertThat(again.topic("orders").partitionCount()).isEqualTo(5);
        String moving = movingKey(1, 3, 5);
        assertThatThrownBy(() -> again.log(new TopicPartition("orders", 1)).append(batch(Compression.none(), moving), 0))
            .isInstanceOf(MisroutedRecordException.class).hasMessageContaining("of 5");
        // A new partition checks against the count it was created with, after a restart too.
        String other = keyFor(3, 5);
        assertThatThrownBy(() -> again.log(new TopicPartition("orders", 4)).append(batch(Compression.none(), other), 0))
            .isInstanceOf(MisroutedRecordException.class);
    }

    @Test
    void aMetadataFileWhoseFencesDisagreeWithItsCountIsRefusedAtStart() throws Exception {
        LogManager logs = open();
        logs.createTopic("orders", 2, ORDERED);
        logs.createPartitions("orders", 3);
        logs.close();
        Path file = root.resolve("data").resolve(LogManager.TOPIC_METADATA_DIR).resolve("orders.properties");
        Files.writeString(file, Files.readString(file).replace("partitions=3", "partitions=4"));

        assertThatThrownBy(this::open).isInstanceOf(LogStorageException.class).hasMessageContaining("4 partitions")
            .hasMessageContaining("end at 3");
    }

    @Test
    void routingModeIsFixedAtCreation() {
        LogManager logs = open();
        logs.createTopic("orders", 2, ORDERED);
        logs.createTopic("plain", 2, Map.of());

        assertThatThrownBy(() -> logs.setTopicConfig("orders", Map.of("retention.ms", "1000")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("routing.mode=ordered");
        assertThatThrownBy(() -> logs.setTopicConfig("plain", Map.of("routing.mode", "ordered")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("created with routing.mode=hash");
        assertThatThrownBy(() -> logs.createTopic("bad", 1, Map.of("routing.mode", "sorted")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sorted").hasMessageContaining("hash, ordered");

        logs.setTopicConfig("orders", Map.of("routing.mode", "ORDERED", "retention.ms", "1000"));
        assertThat(logs.topic("orders").configOverrides()).containsEntry("routing.mode", "ordered");
        logs.setTopicConfig("plain", Map.of("routing.mode", "hash"));
    }

    /**
     * The fence is exact under concurrent appends: writers keep appending records routed with the old count
     * (stale metadata) while the topic grows; afterwards every record at or above a partition's fence maps to
     * that partition with the new count, and every record below it with the old count.
     */
    @Test
    void noAppendStraddlesTheFence() throws Exception {
        LogManager logs = open();
        int before = 4;
        int after = 8;
        logs.createTopic("orders", before, ORDERED);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                running.add(writers.submit(() -> {
                    started.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    for (int i = 0; !stop.get() && System.nanoTime() < deadline; i++) {
                        String key = "w" + writer + "-" + i;
                        int partition = route(key, before);
                        try {
                            logs.log(new TopicPartition("orders", partition)).append(batch(Compression.none(), key), 0);
                            accepted.incrementAndGet();
                        } catch (MisroutedRecordException e) {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepted.get() < 2_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            logs.createPartitions("orders", after);
            int acceptedAtGrowth = accepted.get();
            while (accepted.get() < acceptedAtGrowth + 2_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Future<?> f : running) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            writers.shutdownNow();
            assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(refused.get()).as("stale writers were refused after the growth").isPositive();
        RoutingFences.Growth growth = logs.topic("orders").routingFences().growthOf(1);
        for (int p = 0; p < before; p++) {
            PartitionLog partition = logs.log(new TopicPartition("orders", p));
            long fence = growth.fenceOffset(p);
            assertThat(fence).isPositive().isLessThan(partition.logEndOffset());
            for (Entry entry : KeyedRecords.entries(partition)) {
                int routedBefore = route(entry.key(), before);
                int routedAfter = route(entry.key(), after);
                assertThat(routedBefore).isEqualTo(p);
                if (entry.offset() >= fence) {
                    assertThat(routedAfter).as("record at %d >= fence %d of partition %d", entry.offset(), fence, p).isEqualTo(p);
                }
            }
        }
    }
}
