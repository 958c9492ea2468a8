package io.tributary.bench.micro;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Building (encode + compress) and reading (decompress + decode) one v2 batch of 16 x 1 KiB records, per codec. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecordBatchCodecBenchmark {
    @Param({"none", "gzip", "snappy", "lz4", "zstd"})
    public String codec;

    private ByteBuffer[] values;
    private Compression compression;
    private ByteBuffer batch;

    @Setup
    public void setUp() {
        byte[][] raw = BatchPayload.values(16, 1024, 1);
        values = new ByteBuffer[raw.length];
        for (int i = 0; i < raw.length; i++) {
            values[i] = ByteBuffer.wrap(raw[i]);
        }
        compression = Compression.of(CompressionType.forName(codec));
        batch = encode();
    }

    @Benchmark
    public ByteBuffer encode() {
        RecordBatchBuilder builder = new RecordBatchBuilder(compression, 20_000);
        long now = 1_700_000_000_000L;
        for (ByteBuffer value : values) {
            builder.append(now, null, value.duplicate());
        }
        return builder.build();
    }

    @Benchmark
    public void decode(Blackhole bh) {
        List<Record> records = RecordBatchReader.DEFAULT.read(RecordBatch.at(batch, 0));
        for (Record r : records) {
            bh.consume(r.value());
        }
    }
}
