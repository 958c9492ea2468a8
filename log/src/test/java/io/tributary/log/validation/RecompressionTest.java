package io.tributary.log.validation;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Recompression}: batches re-encoded from the validator's one pass keep their records and producer fields. */
class RecompressionTest {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final List<CompressionType> CODECS = List.of(CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY,
        CompressionType.LZ4, CompressionType.ZSTD);

    static ValidationSettings settings(int maxMessageBytes) {
        return new ValidationSettings(TP, maxMessageBytes, 1 << 30, false, "delete", 0, TimestampType.CREATE_TIME,
            Long.MAX_VALUE, 3_600_000L, 1 << 24);
    }

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (CompressionType from : CODECS) {
            for (CompressionType to : CODECS) {
                all.add(Arguments.of(from, to));
            }
        }
        return all.stream();
    }

    static ByteBuffer batch(CompressionType codec, long producerId, int baseSequence, int count, int seed) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.of(codec));
        if (producerId >= 0) {
            builder.producer(producerId, (short) 3, baseSequence);
        }
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] value = ("value " + i + " " + "x".repeat(random.nextInt(200))).getBytes(StandardCharsets.UTF_8);
            ByteBuffer key = i % 5 == 0 ? null : ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8));
            List<Header> headers = i % 3 == 0 ? List.of(Header.of("h", new byte[] {(byte) i}), Header.of("none", null)) : List.of();
            builder.append(NOW - 1000 + i * 7L, key, i % 11 == 0 ? null : ByteBuffer.wrap(value), headers);
        }
        return builder.build();
    }

    private static Recompression run(ByteBuffer received, Compression target, ValidationSettings settings) {
        Recompression recompression = new Recompression(received, target);
        Verdict verdict = LogValidator.validate(received, settings, NOW, recompression);
        assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
        assertThat(recompression.finish(settings)).isNull();
        return recompression;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void recordsAndProducerFieldsSurviveTheNewCodec(CompressionType from, CompressionType to) {
        ByteBuffer received = batch(from, 42, 100, 50, 7);
        RecordBatch original = RecordBatch.at(received, 0);
        Recompression recompression = run(received, Compression.of(to), settings(1 << 20));
        ByteBuffer stored = recompression.stored();
        if (from == to) {
            assertThat(stored).isSameAs(received);
            assertThat(recompression.convertedBatches()).isZero();
            return;
        }
        assertThat(recompression.convertedBatches()).isEqualTo(1);
        RecordBatch batch = RecordBatch.at(stored, stored.position());
        assertThat(batch.sizeInBytes()).isEqualTo(stored.remaining());
        batch.ensureValid();
        assertThat(batch.compressionType()).isEqualTo(to);
        assertThat(batch.producerId()).isEqualTo(42);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(100);
        assertThat(batch.lastSequence()).isEqualTo(original.lastSequence());
        assertThat(batch.recordCount()).isEqualTo(50);
        assertThat(batch.lastOffsetDelta()).isEqualTo(49);
        assertThat(batch.baseTimestamp()).isEqualTo(original.baseTimestamp());
        assertThat(batch.maxTimestamp()).isEqualTo(original.maxTimestamp());
        assertThat(batch.timestampType()).isEqualTo(original.timestampType());
        assertThat(RecordBatchReader.DEFAULT.read(batch)).isEqualTo(RecordBatchReader.DEFAULT.read(original));
        // The stored form validates as it is (the log re-checks it under the lock when routing changed).
        assertThat(LogValidator.validate(stored, settings(1 << 20), NOW)).isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void onlyBatchesInAnotherCodecAreReencodedAndTheOthersAreCopiedByteForByte() {
        ByteBuffer zstd = batch(CompressionType.ZSTD, -1, 0, 20, 1);
        ByteBuffer gzip = batch(CompressionType.GZIP, -1, 0, 30, 2);
        ByteBuffer none = batch(CompressionType.NONE, -1, 0, 10, 3);
        ByteBuffer received = ByteBuffer.allocate(zstd.remaining() + gzip.remaining() + none.remaining());
        received.put(zstd.duplicate()).put(gzip.duplicate()).put(none.duplicate()).flip();

        Recompression recompression = run(received, Compression.zstd(), settings(1 << 20));
        assertThat(recompression.convertedBatches()).isEqualTo(2);
        ByteBuffer stored = recompression.stored();
        List<RecordBatch> batches = new ArrayList<>();
        for (int position = stored.position(); position < stored.limit(); ) {
            RecordBatch b = RecordBatch.at(stored, position);
            b.ensureValid();
            batches.add(b);
            position += b.sizeInBytes();
        }
        assertThat(batches).extracting(RecordBatch::compressionType).containsOnly(CompressionType.ZSTD);
        assertThat(batches).extracting(RecordBatch::recordCount).containsExactly(20, 30, 10);
        ByteBuffer firstStored = stored.duplicate().position(0).limit(zstd.remaining());
        assertThat(firstStored).isEqualTo(zstd.duplicate());
        assertThat(RecordBatchReader.DEFAULT.read(batches.get(1))).isEqualTo(RecordBatchReader.DEFAULT.read(RecordBatch.at(gzip, 0)));
        assertThat(RecordBatchReader.DEFAULT.read(batches.get(2))).isEqualTo(RecordBatchReader.DEFAULT.read(RecordBatch.at(none, 0)));
    }

    @Test
    void theLevelApplies() {
        ByteBuffer received = batch(CompressionType.NONE, -1, 0, 200, 9);
        int fast = run(received.duplicate(), Compression.zstd(-50), settings(1 << 20)).stored().remaining();
        int strong = run(received.duplicate(), Compression.zstd(19), settings(1 << 20)).stored().remaining();
        assertThat(strong).isLessThan(fast);
    }

    @Test
    void aBatchThatGrowsPastMaxMessageBytesIsRefused() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        byte[] noise = new byte[4000];
        new Random(5).nextBytes(noise);
        builder.append(NOW, null, ByteBuffer.wrap(noise));
        ByteBuffer received = builder.build();
        ValidationSettings tight = settings(received.remaining());
        Recompression recompression = new Recompression(received, Compression.gzip(9));
        assertThat(LogValidator.validate(received, tight, NOW, recompression)).isInstanceOf(Verdict.Accepted.class);
        Refusal refusal = recompression.finish(tight);
        assertThat(refusal).isNotNull();
        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.RECORD_TOO_LARGE);
        assertThat(refusal.message()).contains("compression.type=gzip", "max.message.bytes=" + received.remaining());
    }
}
