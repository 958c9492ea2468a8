package io.tributary.protocol.record;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's own record code (kafka-clients, test scope) as the oracle for random batches of every codec:
 * both directions decode to the same header fields and records, and the bytes match where they can.
 */
class KafkaOracleProperties {
    private static final RecordBatchReader READER = RecordBatchReader.DEFAULT;

    @Provide
    Arbitrary<BatchSpec> batches() {
        return BatchSpec.batches(1000);
    }

    @Provide
    Arbitrary<BatchSpec> uncompressedBatches() {
        return BatchSpec.batches(net.jqwik.api.Arbitraries.just(CompressionType.NONE), 1000);
    }

    /** Kafka writes, we read: every header field and record as Kafka reads them, and as they were written. */
    @Property(tries = 150)
    void batchesKafkaWritesDecodeIdenticallyWithOurs(@ForAll("batches") BatchSpec spec) {
        ByteBuffer kafkaBytes = spec.buildWithKafka();

        DecodedBatch ours = DecodedBatch.ours(kafkaBytes, READER);

        assertThat(ours).isEqualTo(DecodedBatch.kafka(kafkaBytes));
        assertThat(ours.recordsWithoutSizes()).isEqualTo(spec.expectedRecords());
        assertHeaderMatchesSpec(ours, spec);
    }

    /** We write, Kafka reads: its CRC and size checks pass and it sees what was written. */
    @Property(tries = 150)
    void batchesWeWriteAreAcceptedByKafka(@ForAll("batches") BatchSpec spec) {
        ByteBuffer ourBytes = spec.buildWithTributary();

        DecodedBatch kafka = DecodedBatch.kafka(ourBytes);

        assertThat(kafka.recordsWithoutSizes()).isEqualTo(spec.expectedRecords());
        assertHeaderMatchesSpec(kafka, spec);
        assertThat(DecodedBatch.ours(ourBytes, READER)).isEqualTo(kafka);
    }

    /**
     * Same inputs, same bytes. For the codecs this holds because both sides drive the same compression
     * libraries (from our classpath) the same way: same block sizes, levels, stream framing.
     */
    @Property(tries = 150)
    void ourBytesAreKafkasBytes(@ForAll("batches") BatchSpec spec) {
        assertThat(spec.buildWithTributary()).isEqualTo(spec.buildWithKafka());
    }

    @Property(tries = 100)
    void uncompressedBatchesAreByteIdenticalToKafkas(@ForAll("uncompressedBatches") BatchSpec spec) {
        assertThat(spec.buildWithTributary()).isEqualTo(spec.buildWithKafka());
    }

    private static void assertHeaderMatchesSpec(DecodedBatch batch, BatchSpec spec) {
        BatchSpec.RecordSpec last = spec.records().get(spec.records().size() - 1);
        assertThat(batch.baseOffset()).isEqualTo(spec.baseOffset());
        assertThat(batch.lastOffset()).isEqualTo(last.offset());
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(spec.partitionLeaderEpoch());
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.compression()).isEqualTo(spec.type().configName);
        assertThat(batch.timestampType()).isEqualTo(spec.timestampType().configName);
        assertThat(batch.transactional()).isEqualTo(spec.transactional());
        assertThat(batch.control()).isEqualTo(spec.control());
        assertThat(batch.deleteHorizonMs()).isEqualTo(spec.deleteHorizonMs());
        assertThat(batch.baseTimestamp()).isEqualTo(spec.deleteHorizonMs() >= 0
            ? spec.deleteHorizonMs() : spec.records().get(0).timestamp());
        assertThat(batch.maxTimestamp()).isEqualTo(spec.expectedMaxTimestamp());
        assertThat(batch.producerId()).isEqualTo(spec.producerId());
        assertThat(batch.producerEpoch()).isEqualTo(spec.producerEpoch());
        assertThat(batch.baseSequence()).isEqualTo(spec.baseSequence());
        assertThat(batch.recordCount()).isEqualTo(spec.records().size());
    }
}
