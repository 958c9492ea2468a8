package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of one batch, buildable with our {@link RecordBatchBuilder} and with Kafka's
 * {@link MemoryRecordsBuilder}, and the records a reader must then see.
 */
record BatchSpec(CompressionType type, int level, TimestampType timestampType, long logAppendTime, long baseOffset,
                 int partitionLeaderEpoch, long producerId, short producerEpoch, int baseSequence,
                 boolean transactional, boolean control, long deleteHorizonMs, List<RecordSpec> records) {

    record HeaderSpec(String key, byte[] value) {
    }

    record RecordSpec(long offset, long timestamp, byte[] key, byte[] value, List<HeaderSpec> headers) {
    }

    Compression compression() {
        return type == CompressionType.NONE || type == CompressionType.SNAPPY ? Compression.of(type) : Compression.of(type, level);
    }

    org.apache.kafka.common.compress.Compression kafkaCompression() {
        return switch (type) {
            case NONE -> org.apache.kafka.common.compress.Compression.NONE;
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().level(level).build();
            case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().level(level).build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().level(level).build();
        };
    }

    ByteBuffer buildWithTributary() {
        RecordBatchBuilder builder = new RecordBatchBuilder(compression())
            .baseOffset(baseOffset)
            .partitionLeaderEpoch(partitionLeaderEpoch)
            .producer(producerId, producerEpoch, baseSequence)
            .transactional(transactional)
            .control(control)
            .deleteHorizonMs(deleteHorizonMs);
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            builder.logAppendTime(logAppendTime);
        }
        for (RecordSpec r : records) {
            List<Header> headers = new ArrayList<>();
            for (HeaderSpec h : r.headers()) {
                headers.add(Header.of(h.key(), h.value()));
            }
            builder.appendWithOffset(r.offset(), r.timestamp(), wrap(r.key()), wrap(r.value()), headers);
        }
        return builder.build();
    }

    ByteBuffer buildWithKafka() {
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(new ByteBufferOutputStream(ByteBuffer.allocate(256)),
            (byte) 2, kafkaCompression(), kafkaTimestampType(), baseOffset, logAppendTime, producerId, producerEpoch,
            baseSequence, transactional, control, partitionLeaderEpoch, Integer.MAX_VALUE, deleteHorizonMs);
        for (RecordSpec r : records) {
            org.apache.kafka.common.header.Header[] headers = r.headers().stream()
                .map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
            if (control) {
                builder.appendControlRecordWithOffset(r.offset(), new SimpleRecord(r.timestamp(), r.key(), r.value(), headers));
            } else {
                builder.appendWithOffset(r.offset(), r.timestamp(), r.key(), r.value(), headers);
            }
        }
        return builder.build().buffer();
    }

    org.apache.kafka.common.record.TimestampType kafkaTimestampType() {
        return timestampType == TimestampType.LOG_APPEND_TIME
            ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
            : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    }

    /** The records every correct reader reports for this batch (sizes are left to the Kafka comparison). */
    List<DecodedBatch.DecodedRecord> expectedRecords() {
        List<DecodedBatch.DecodedRecord> expected = new ArrayList<>();
        for (RecordSpec r : records) {
            List<DecodedBatch.DecodedHeader> headers = new ArrayList<>();
            for (HeaderSpec h : r.headers()) {
                // What survives a UTF-8 round trip: unpaired surrogates become '?'.
                String key = new String(h.key().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                headers.add(new DecodedBatch.DecodedHeader(key, wrap(h.value())));
            }
            int delta = (int) (r.offset() - baseOffset);
            int sequence = baseSequence >= 0 ? RecordIterator.incrementSequence(baseSequence, delta) : -1;
            long timestamp = timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : r.timestamp();
            expected.add(new DecodedBatch.DecodedRecord(r.offset(), timestamp, sequence, wrap(r.key()), wrap(r.value()),
                headers, 0));
        }
        return expected;
    }

    long expectedMaxTimestamp() {
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            return logAppendTime;
        }
        return records.stream().mapToLong(RecordSpec::timestamp).max().orElseThrow();
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    @Override
    public String toString() {
        return "BatchSpec(" + type + " level " + level + ", " + timestampType + " " + logAppendTime + ", baseOffset "
            + baseOffset + ", ple " + partitionLeaderEpoch + ", producer " + producerId + "/" + producerEpoch + "/"
            + baseSequence + ", txn " + transactional + ", control " + control + ", horizon " + deleteHorizonMs + ", "
            + records.size() + " records, first " + (records.isEmpty() ? "-" : records.get(0)) + ")";
    }

    // ---- generators ----

    static Arbitrary<BatchSpec> batches(int maxRecords) {
        return batches(Arbitraries.of(CompressionType.class), maxRecords);
    }

    static Arbitrary<BatchSpec> batches(Arbitrary<CompressionType> types, int maxRecords) {
        Arbitrary<long[]> producer = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new long[] {-1, -1, -1})),
            net.jqwik.api.Tuple.of(2, Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.shorts().between((short) 0, Short.MAX_VALUE),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, Integer.MAX_VALUE)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(Integer.MAX_VALUE - 1200, Integer.MAX_VALUE))))
                .as((id, epoch, seq) -> new long[] {id, epoch, seq})));
        Arbitrary<long[]> timing = Combinators.combine(
            Arbitraries.of(TimestampType.class),
            Arbitraries.longs().between(0, 1L << 42),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(-1L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 1L << 42))),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(-1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, Integer.MAX_VALUE))))
            .as((tsType, appendTime, horizon, epoch) -> new long[] {tsType.id, appendTime, horizon, epoch});
        return Combinators.combine(types, Arbitraries.integers().between(-1, 22), producer, timing,
                Arbitraries.longs().between(0, 1L << 50), Arbitraries.integers().between(0, 9))
            .flatAs((type, levelSeed, prod, time, baseOffset, flags) -> {
                int level = levelFor(type, levelSeed);
                boolean hasProducer = prod[0] >= 0;
                boolean transactional = hasProducer && flags % 2 == 1;
                // Control batches need Kafka's appendControlRecord; keep them rarer and let their sequence be -1 too.
                boolean control = flags == 9;
                TimestampType tsType = time[0] == 1 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
                long horizon = time[2];
                long appendTime = tsType == TimestampType.LOG_APPEND_TIME ? time[1] : RecordBatch.NO_TIMESTAMP;
                // Kafka lets control batches of a producer go without a sequence; exercise that sometimes.
                int baseSequence = control && hasProducer && prod[2] % 3 == 0 ? -1 : (int) prod[2];
                return records(baseOffset, maxRecords).map(records -> new BatchSpec(type, level, tsType, appendTime,
                    baseOffset, (int) time[3], prod[0], (short) prod[1], baseSequence, transactional, control, horizon,
                    control ? withControlKeys(records) : records));
            });
    }

    /** Kafka checks control record keys: int16 version 0, then int16 type (0 abort, 1 commit). */
    private static List<RecordSpec> withControlKeys(List<RecordSpec> records) {
        List<RecordSpec> control = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordSpec r = records.get(i);
            control.add(new RecordSpec(r.offset(), r.timestamp(), new byte[] {0, 0, 0, (byte) (i % 2)}, r.value(), r.headers()));
        }
        return control;
    }

    private static int levelFor(CompressionType type, int seed) {
        return switch (type) {
            case NONE, SNAPPY -> Compression.NO_LEVEL;
            case GZIP -> seed < 1 ? -1 : Math.min(seed, 9);
            case LZ4 -> seed < 1 ? 9 : Math.min(seed, 17);
            // Mostly the fast levels the suite can afford, sometimes the extremes.
            case ZSTD -> seed == -1 ? Compression.ZSTD_MIN_LEVEL : seed == 22 ? 22 : seed - 5;
        };
    }

    private static Arbitrary<List<RecordSpec>> records(long baseOffset, int maxRecords) {
        Arbitrary<Long> baseTimestamp = Arbitraries.longs().between(0, 1L << 42);
        // Mostly small batches, a quarter in the upper half of the range.
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, maxRecords).withDistribution(RandomDistribution.biased())),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(Math.max(1, maxRecords / 2), maxRecords)));
        Arbitrary<Boolean> gaps = Arbitraries.of(false, false, true);
        return Combinators.combine(baseTimestamp, count, gaps).flatAs((base, n, withGaps) ->
            record(base).list().ofSize(n).flatMap(partial ->
                Arbitraries.integers().between(1, withGaps ? 3 : 1).list().ofSize(n).map(steps -> {
                    List<RecordSpec> records = new ArrayList<>(n);
                    long offset = baseOffset;
                    for (int i = 0; i < n; i++) {
                        RecordSpec r = partial.get(i);
                        records.add(new RecordSpec(offset, r.timestamp(), r.key(), r.value(), r.headers()));
                        offset += steps.get(i);
                    }
                    return records;
                })));
    }

    private static Arbitrary<RecordSpec> record(long baseTimestamp) {
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(-1L)),
            net.jqwik.api.Tuple.of(12, Arbitraries.longs().between(-1_000_000, 1_000_000).map(d -> Math.max(0, baseTimestamp + d))));
        Arbitrary<HeaderSpec> header = Combinators.combine(
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().alpha().ofMaxLength(12)),
                // Any Unicode, but no unpaired surrogates: Kafka sizes those as 3-4 bytes and encodes them as 1
                // ('?'), writing a record whose length is wrong (see RecordBatchBuilderTest).
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6).filter(BatchSpec::isWellFormedUtf16))),
            bytes()).as(HeaderSpec::new);
        return Combinators.combine(timestamps, bytes(), bytes(),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.just(List.<HeaderSpec>of())),
                    net.jqwik.api.Tuple.of(1, header.list().ofMaxSize(4))))
            .as((ts, key, value, headers) -> new RecordSpec(0, ts, key, value, headers));
    }

    static boolean isWellFormedUtf16(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** Null, empty, compressible (small alphabet) or random bytes. */
    static Arbitrary<byte[]> bytes() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])),
            net.jqwik.api.Tuple.of(4, Arbitraries.bytes().between((byte) 'a', (byte) 'e').array(byte[].class).ofMaxSize(120)),
            net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)));
    }
}
