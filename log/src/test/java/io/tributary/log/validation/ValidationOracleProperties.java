package io.tributary.log.validation;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Compression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogValidator} gives the verdicts the old PartitionLog validation gave ({@link OldValidation}) for random
 * valid and corrupted uncompressed appends, except where it is stricter by design: the old code did not walk key,
 * value and header lengths of topics without key checks, so where the record reader finds such a fault in a batch
 * the old code passed, the new verdict is INVALID_RECORD at that batch.
 */
class ValidationOracleProperties {
    static final long NOW = 1_800_000_000_000L;

    /** One record: key and value null or bytes, up to two headers. */
    record Rec(byte[] key, byte[] value, int headers) {
    }

    /** How the append is damaged after it is built: kind, which byte (of the records section), the new value. */
    record Damage(int kind, int where, int value) {
    }

    @Provide
    Arbitrary<List<List<Rec>>> appends() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
        Arbitrary<byte[]> nullable = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)), net.jqwik.api.Tuple.of(4, bytes));
        Arbitrary<Rec> record = Combinators.combine(nullable, nullable, Arbitraries.integers().between(0, 2)).as(Rec::new);
        return record.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Damage> damages() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 10_000),
            Arbitraries.integers().between(-3, 260)).as(Damage::new);
    }

    @Property(tries = 400)
    void newVerdictsAreTheOldOnesOrStricter(@ForAll("appends") List<List<Rec>> batches, @ForAll("damages") Damage damage,
                                            @ForAll boolean compact, @ForAll("routing") int routingCount,
                                            @ForAll("partitions") int partition, @ForAll boolean smallMaxMessage) {
        int routedPartition = routingCount == 0 ? partition : partition % routingCount;
        TopicPartition tp = new TopicPartition("oracle", routedPartition);
        int maxMessageBytes = smallMaxMessage ? 150 : 1 << 20;
        ByteBuffer append = damage(build(batches), damage);

        OldValidation.OldVerdict old = new OldValidation(tp, compact, maxMessageBytes, 1 << 30).verdict(append.duplicate(), routingCount);
        ValidationSettings settings = new ValidationSettings(tp, maxMessageBytes, 1 << 30, compact, compact ? "compact" : "delete",
            routingCount, TimestampType.CREATE_TIME, Long.MAX_VALUE, Long.MAX_VALUE, 1 << 20);
        Verdict now = LogValidator.validate(append.duplicate(), settings, NOW);
        int stricterAt = firstBatchOnlyTheReaderRefuses(append.duplicate(), maxMessageBytes);

        if (old.kind() == null) {
            if (stricterAt < 0) {
                assertThat(now).isEqualTo(new Verdict.Accepted(old.batches(), old.records()));
            } else {
                assertThat(now).isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID_RECORD);
                    assertThat(r.batchIndex()).isEqualTo(stricterAt);
                });
            }
            return;
        }
        assertThat(now).as("old refused %s", old).isInstanceOfSatisfying(Refusal.class, r -> {
            boolean same = r.kind() == old.kind() && r.batchIndex() == old.batchIndex();
            boolean stricter = r.kind() == Refusal.Kind.INVALID_RECORD && r.batchIndex() == stricterAt
                && r.batchIndex() <= old.batchIndex();
            assertThat(same || stricter || (old.crashed() && r.kind() == Refusal.Kind.INVALID_RECORD))
                .as("new %s vs old %s (reader refuses first at batch %d)", r, old, stricterAt).isTrue();
        });
    }

    @Provide
    Arbitrary<Integer> routing() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3)));
    }

    @Provide
    Arbitrary<Integer> partitions() {
        return Arbitraries.integers().between(0, 2);
    }

    static ByteBuffer build(List<List<Rec>> batches) {
        List<ByteBuffer> built = new ArrayList<>();
        int total = 0;
        for (List<Rec> records : batches) {
            RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
            for (Rec rec : records) {
                List<Header> headers = new ArrayList<>();
                for (int h = 0; h < rec.headers(); h++) {
                    headers.add(new Header("h" + h, h == 0 ? null : ByteBuffer.wrap(new byte[] {1})));
                }
                builder.append(NOW, rec.key() == null ? null : ByteBuffer.wrap(rec.key()),
                    rec.value() == null ? null : ByteBuffer.wrap(rec.value()), headers);
            }
            ByteBuffer batch = builder.build();
            built.add(batch);
            total += batch.remaining();
        }
        ByteBuffer append = ByteBuffer.allocate(total);
        built.forEach(append::put);
        return append.flip();
    }

    /** Kinds 0-1: none; 2: a records byte, CRC fixed; 3: a records byte, CRC not fixed; 4: cut; 5: count; 6: last offset delta; 7: header byte. */
    static ByteBuffer damage(ByteBuffer append, Damage damage) {
        List<Integer> starts = new ArrayList<>();
        for (int position = 0; position < append.limit(); position += RecordBatch.at(append, position).sizeInBytes()) {
            starts.add(position);
        }
        int batchStart = starts.get(damage.where() % starts.size());
        RecordBatch batch = RecordBatch.at(append, batchStart);
        int recordsLength = batch.sizeInBytes() - RecordBatch.HEADER_SIZE;
        switch (damage.kind()) {
            case 2, 3 -> {
                if (recordsLength > 0) {
                    int at = batchStart + RecordBatch.HEADER_SIZE + damage.where() % recordsLength;
                    append.put(at, (byte) damage.value());
                    if (damage.kind() == 2) {
                        append.putInt(batchStart + RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
                    }
                }
            }
            case 4 -> append.limit(damage.where() % append.limit());
            case 5 -> {
                append.putInt(batchStart + RecordBatch.RECORD_COUNT_OFFSET, damage.value() % 9 - 1);
                append.putInt(batchStart + RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
            }
            case 6 -> {
                append.putInt(batchStart + RecordBatch.LAST_OFFSET_DELTA_OFFSET, damage.value() % 9 - 1);
                append.putInt(batchStart + RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
            }
            case 7 -> append.put(batchStart + RecordBatch.ATTRIBUTES_OFFSET + damage.where() % 40, (byte) damage.value());
            default -> {
            }
        }
        return append;
    }

    /**
     * The first batch whose header checks pass (what the old code checked before the records) but whose records the
     * full record reader refuses, looking no further than the first batch the old header checks refuse; -1 if none.
     */
    static int firstBatchOnlyTheReaderRefuses(ByteBuffer append, int maxMessageBytes) {
        int index = 0;
        for (int position = append.position(); position < append.limit(); index++) {
            if (append.limit() - position < RecordBatch.HEADER_SIZE) {
                return -1;
            }
            RecordBatch batch = RecordBatch.at(append, position);
            try {
                batch.ensureValid();
            } catch (InvalidRecordException e) {
                return -1;
            }
            if (batch.sizeInBytes() > maxMessageBytes || batch.recordCount() <= 0
                || batch.lastOffsetDelta() != batch.recordCount() - 1 || batch.compressionType() != CompressionType.NONE) {
                return -1;
            }
            try {
                RecordBatchReader.DEFAULT.read(batch);
            } catch (InvalidRecordException e) {
                return index;
            }
            position += batch.sizeInBytes();
        }
        return -1;
    }
}
