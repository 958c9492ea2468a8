package io.tributary.bench.micro;

import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireWriter;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Request bodies through the schema-driven codec, as the broker decodes them and a client encodes them:
 * a Produce v9 (flexible) with one topic and 6 partitions of one 16 KiB batch each — decoding slices the
 * record bytes, it does not copy them — and a Fetch v12 for 6 partitions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RequestCodecBenchmark {
    private static final short PRODUCE_VERSION = 9;
    private static final short FETCH_VERSION = 12;
    private static final int PARTITIONS = 6;

    private Struct produce;
    private Struct fetch;
    private ByteBuffer produceBytes;
    private ByteBuffer fetchBytes;
    private ByteBuffer scratch;

    @Setup
    public void setUp() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (byte[] value : BatchPayload.values(16, 1024, 2)) {
            builder.append(1_700_000_000_000L, null, ByteBuffer.wrap(value));
        }
        ByteBuffer batch = builder.build();

        produce = ProduceRequest.SCHEMA.newStruct().set(ProduceRequest.ACKS, 1).set(ProduceRequest.TIMEOUT_MS, 30_000);
        Struct topic = produce.add(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TopicProduceData.NAME, "bench");
        for (int p = 0; p < PARTITIONS; p++) {
            topic.add(ProduceRequest.TopicProduceData.PARTITION_DATA)
                .set(ProduceRequest.PartitionProduceData.INDEX, p)
                .set(ProduceRequest.PartitionProduceData.RECORDS, batch.duplicate());
        }

        fetch = FetchRequest.SCHEMA.newStruct().set(FetchRequest.MAX_WAIT_MS, 500).set(FetchRequest.MIN_BYTES, 1)
            .set(FetchRequest.MAX_BYTES, 50 * 1024 * 1024).set(FetchRequest.SESSION_ID, 0).set(FetchRequest.SESSION_EPOCH, -1);
        Struct fetchTopic = fetch.add(FetchRequest.TOPICS).set(FetchRequest.FetchTopic.TOPIC, "bench");
        for (int p = 0; p < PARTITIONS; p++) {
            fetchTopic.add(FetchRequest.FetchTopic.PARTITIONS)
                .set(FetchRequest.FetchPartition.PARTITION, p)
                .set(FetchRequest.FetchPartition.FETCH_OFFSET, 1_000_000L + p)
                .set(FetchRequest.FetchPartition.PARTITION_MAX_BYTES, 1024 * 1024);
        }
        scratch = ByteBuffer.allocate(256 * 1024);
        produceBytes = copy(encode(ProduceRequest.SCHEMA, produce, PRODUCE_VERSION));
        fetchBytes = copy(encode(FetchRequest.SCHEMA, fetch, FETCH_VERSION));
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer out = ByteBuffer.allocate(b.remaining());
        out.put(b).flip();
        return out;
    }

    private ByteBuffer encode(MessageSchema schema, Struct body, short version) {
        int size = schema.sizeOf(body, version);
        scratch.clear();
        schema.write(body, version, new WireWriter(scratch));
        scratch.flip();
        if (scratch.remaining() != size) {
            throw new IllegalStateException(schema + " wrote " + scratch.remaining() + " bytes, sized " + size);
        }
        return scratch;
    }

    @Benchmark
    public ByteBuffer produceEncode() {
        return encode(ProduceRequest.SCHEMA, produce, PRODUCE_VERSION);
    }

    @Benchmark
    public Struct produceDecode() {
        return ProduceRequest.SCHEMA.read(produceBytes.duplicate(), PRODUCE_VERSION);
    }

    @Benchmark
    public ByteBuffer fetchEncode() {
        return encode(FetchRequest.SCHEMA, fetch, FETCH_VERSION);
    }

    @Benchmark
    public Struct fetchDecode() {
        return FetchRequest.SCHEMA.read(fetchBytes.duplicate(), FETCH_VERSION);
    }
}
