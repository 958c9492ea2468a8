package io.tributary.metadata.record;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecProperties {
    @Provide
    Arbitrary<List<MetadataRecord>> batches() {
        return RecordArbitraries.records().list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<MetadataRecord>> nonEmptyBatches() {
        return RecordArbitraries.records().list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void everyBatchDecodesToTheRecordsEncoded(@ForAll("batches") List<MetadataRecord> records) {
        assertThat(RecordCodec.decodeBatch(RecordCodec.encodeBatch(records))).isEqualTo(records);
    }

    @Property
    void aTruncatedBatchIsRefusedAsMalformed(@ForAll("nonEmptyBatches") List<MetadataRecord> records,
                                             @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] whole = RecordCodec.encodeBatch(records);
        byte[] truncated = Arrays.copyOf(whole, cut % whole.length);
        assertThatThrownBy(() -> RecordCodec.decodeBatch(truncated)).isInstanceOf(MalformedRecordException.class);
    }

    @Property
    void extraBytesAfterTheLastRecordAreRefused(@ForAll("batches") List<MetadataRecord> records) {
        byte[] whole = RecordCodec.encodeBatch(records);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> RecordCodec.decodeBatch(longer)).isInstanceOf(MalformedRecordException.class);
    }

    @Property
    void anUnknownTypeIsRefusedNamingIt(@ForAll @IntRange(min = 11, max = 127) int code) {
        ByteBuffer batch = ByteBuffer.allocate(11);
        batch.put((byte) 0).putInt(1).put((byte) code).put((byte) 0).putInt(0);
        assertThatThrownBy(() -> RecordCodec.decodeBatch(batch.array()))
            .isInstanceOfSatisfying(UnknownRecordException.class, e -> {
                assertThat(e.typeCode()).isEqualTo(code);
                assertThat(e.getMessage()).contains("Unknown metadata record type " + code);
            });
    }

    @Test
    void aNewerVersionOfAKnownTypeIsRefusedNamingIt() {
        byte[] batch = RecordCodec.encodeBatch(List.of(new MetadataRecord.BrokerFencing(1, 2, true)));
        batch[6] = 1; // the version byte of the first record: 1 byte batch version, 4 count, 1 type
        assertThatThrownBy(() -> RecordCodec.decodeBatch(batch))
            .isInstanceOfSatisfying(UnknownRecordException.class, e -> {
                assertThat(e.typeCode()).isEqualTo(RecordType.BROKER_FENCING.code());
                assertThat(e.version()).isEqualTo(1);
                assertThat(e.getMessage()).contains("version 1 of metadata record BROKER_FENCING");
            });
    }

    @Test
    void aBodyLongerThanItsVersionReadsIsRefused() {
        byte[] batch = RecordCodec.encodeBatch(List.of(new MetadataRecord.BrokerFencing(1, 2, true)));
        ByteBuffer longer = ByteBuffer.allocate(batch.length + 1);
        longer.put(batch);
        int bodyLength = ByteBuffer.wrap(batch).getInt(7);
        longer.putInt(7, bodyLength + 1);
        assertThatThrownBy(() -> RecordCodec.decodeBatch(longer.array()))
            .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unread bytes");
    }

    @Test
    void anUnknownBatchVersionIsRefused() {
        byte[] batch = RecordCodec.encodeBatch(List.of());
        batch[0] = 5;
        assertThatThrownBy(() -> RecordCodec.decodeBatch(batch)).isInstanceOf(UnknownRecordException.class);
    }
}
