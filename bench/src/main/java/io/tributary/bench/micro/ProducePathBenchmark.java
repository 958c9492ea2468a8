package io.tributary.bench.micro;

import io.tributary.log.LeaderAppend;
import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.ValidatedBatches;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireWriter;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The broker's produce path for one partition, without the network: a Produce v9 body decoded from a direct buffer
 * (as the frame arrives from Netty), the partition's records validated ({@link PartitionLog#validate}) and appended as
 * leader ({@link PartitionLog#appendAsLeader}): what {@code ProduceHandler} does per partition on the event loop.
 * A 16 KiB batch (Kafka's default batch.size) of 100 B or 1 KiB records, without a producer id (acks=1 clients, as in
 * issue 17's runs), uncompressed or lz4, with no header or one per record. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per
 * batch; times {@code 1 MiB / batchBytes} (printed at set-up) it is the allocation per produced MiB.
 * The log rolls at 64 MiB and keeps 256 MiB, as {@link LogBenchmark} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProducePathBenchmark {
    private static final int BATCH_BYTES = 16 * 1024;
    private static final short PRODUCE_VERSION = 9;

    @Param({"none", "lz4"})
    public String codec;

    @Param({"100", "1024"})
    public int recordBytes;

    /** Headers per record: 0, or 1 as the bench harness's producers send (an 8-byte send time under a short key). */
    @Param({"0", "1"})
    public int headers;

    private Path dir;
    private ExecutorService background;
    private PartitionLog log;
    private ByteBuffer request;
    private long appends;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("produce-path-bench");
        background = Executors.newSingleThreadExecutor(r -> new Thread(r, "produce-bench-flush"));
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.of(codec.equals("lz4") ? CompressionType.LZ4 : CompressionType.NONE));
        java.util.List<Header> recordHeaders = headers == 0 ? java.util.List.of()
            : java.util.List.of(Header.of("bench-sent-ns", new byte[8]));
        for (byte[] value : BatchPayload.values(BATCH_BYTES / recordBytes, recordBytes, 7)) {
            builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(value), recordHeaders);
        }
        ByteBuffer batch = builder.build();
        System.out.println("batch bytes " + batch.remaining() + ": gc.alloc.rate.norm x " + ((1 << 20) / (double) batch.remaining())
            + " = bytes allocated per produced MiB");
        Struct produce = ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.ACKS, (short) 1).set(ProduceRequest.TIMEOUT_MS, 30_000);
        produce.add(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TopicProduceData.NAME, "bench")
            .add(ProduceRequest.TopicProduceData.PARTITION_DATA)
            .set(ProduceRequest.PartitionProduceData.INDEX, 0)
            .set(ProduceRequest.PartitionProduceData.RECORDS, batch);
        request = ByteBuffer.allocateDirect(ProduceRequest.SCHEMA.sizeOf(produce, PRODUCE_VERSION));
        ProduceRequest.SCHEMA.write(produce, PRODUCE_VERSION, new WireWriter(request));
        request.flip();
        LogConfig config = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", Integer.toString(64 * 1024 * 1024), "retention.bytes", Integer.toString(256 * 1024 * 1024)));
        log = PartitionLog.open(dir.resolve("bench-0"), new TopicPartition("bench", 0), config, 0, true, Clock.systemUTC(), background);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        log.close();
        background.shutdown();
        background.awaitTermination(30, TimeUnit.SECONDS);
        FetchReadBenchmark.delete(dir);
    }

    @Benchmark
    public LeaderAppend produce() {
        Struct body = ProduceRequest.SCHEMA.read(request.duplicate(), PRODUCE_VERSION);
        ByteBuffer records = body.get(ProduceRequest.TOPIC_DATA).get(0).get(ProduceRequest.TopicProduceData.PARTITION_DATA).get(0)
            .get(ProduceRequest.PartitionProduceData.RECORDS);
        ValidatedBatches validated = log.validate(records);
        LeaderAppend appended = log.appendAsLeader(validated, LeaderEpochs.SINGLE_BROKER);
        if (++appends % 4096 == 0) {
            log.deleteRetainedSegments();
        }
        return appended;
    }
}
