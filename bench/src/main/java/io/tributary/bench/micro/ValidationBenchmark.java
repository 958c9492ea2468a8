package io.tributary.bench.micro;

import io.tributary.log.LogConfig;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.validation.LogValidator;
import io.tributary.log.validation.ValidationSettings;
import io.tributary.log.validation.Verdict;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * What an append's validation costs per batch ({@link LogValidator}, issue 18), per codec and record size, for a
 * 16 KiB batch (Kafka's default batch.size) of text-like records: {@code validate} is the whole check (CRC, then
 * every record walked, compressed batches decompressed as a stream); {@code crcOnly} is the batch-level check
 * alone, which is all an append did for a compressed batch before. Their difference is the price of opening
 * compressed batches; divide by the record count (160 records of 100 B, 16 of 1 KiB) for a per-record figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ValidationBenchmark {
    private static final int BATCH_BYTES = 16 * 1024;

    @Param({"none", "gzip", "snappy", "lz4", "zstd"})
    public String codec;

    @Param({"100", "1024"})
    public int recordBytes;

    /**
     * Where the batch lies: "direct" as in a produce request (the network layer's buffers), "heap" as in a test.
     * The codecs read both in place; before, gzip and zstd (and lz4 before that) copied a direct batch first.
     */
    @Param({"direct", "heap"})
    public String buffer;

    private ByteBuffer batch;
    private ValidationSettings settings;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        int count = BATCH_BYTES / recordBytes;
        now = System.currentTimeMillis();
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.of(codec(codec)));
        byte[][] values = BatchPayload.values(count, recordBytes, 42);
        for (byte[] value : values) {
            builder.append(now, null, ByteBuffer.wrap(value));
        }
        batch = builder.build();
        if (buffer.equals("direct")) {
            ByteBuffer direct = ByteBuffer.allocateDirect(batch.remaining());
            direct.put(batch.duplicate()).flip();
            batch = direct;
        }
        settings = ValidationSettings.of(new TopicPartition("bench", 0), LogConfig.defaults(), 0);
        if (!(LogValidator.validate(batch, settings, now) instanceof Verdict.Accepted)) {
            throw new IllegalStateException("the benchmark batch does not validate");
        }
    }

    private static CompressionType codec(String name) {
        for (CompressionType type : CompressionType.values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("No codec " + name);
    }

    @Benchmark
    public Verdict validate() {
        return LogValidator.validate(batch, settings, now);
    }

    @Benchmark
    public int crcOnly() {
        RecordBatch view = RecordBatch.at(batch, 0);
        view.ensureValid();
        return view.recordCount();
    }
}
