package io.tributary.clients.producer;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compressed batches fill to about batch.size after compression (KafkaProducer's rule), uncompressed ones to
 * batch.size; buffer.memory counts what batches hold: more while a compressed batch fills, its compressed size
 * once built, nothing once released.
 */
class CompressedBatchFillTest {
    private static final int BATCH_SIZE = 4096;
    private static final long MEMORY = 4L << 20;
    private static final String[] WORDS = {"order", "created", "shipped", "customer", "status", "total", "warehouse",
        "north", "south", "item", "quantity", "price", "payment", "accepted", "declined", "region"};

    private static List<ProducerBatch> fill(Compression compression, MemoryBudget memory, int records) {
        RecordAccumulator accumulator = new RecordAccumulator(BATCH_SIZE, compression, memory, () -> { });
        Random random = new Random(3);
        for (int i = 0; i < records; i++) {
            StringBuilder line = new StringBuilder();
            while (line.length() < 100) {
                line.append(WORDS[random.nextInt(WORDS.length)]).append('=').append(random.nextInt(100)).append(' ');
            }
            byte[] value = line.toString().getBytes(StandardCharsets.US_ASCII);
            int size = RecordAccumulator.estimateSize(null, value, List.of());
            accumulator.append("t", 0, 1_700_000_000_000L + i, null, value, List.of(), size, null, System.nanoTime() + 1_000_000_000L,
                1_000);
        }
        return new ArrayList<>(accumulator.queue(new TopicPartition("t", 0)).batches);
    }

    @Test
    void compressedBatchesCarryMoreRecordsAndStayNearBatchSizeOnTheWire() {
        MemoryBudget memory = new MemoryBudget(MEMORY);
        List<ProducerBatch> batches = fill(Compression.lz4(), memory, 20_000);
        List<ProducerBatch> built = batches.subList(0, batches.size() - 1);   // the last is still open
        // The estimate falls by 0.005 a batch: after 100 batches it has learned, and each carries more than
        // batch.size of records.
        List<ProducerBatch> learned = built.subList(100, built.size());
        int uncompressedCapacity = BATCH_SIZE / 110;
        double average = learned.stream().mapToInt(ProducerBatch::recordCount).average().orElseThrow();
        assertThat(average).isGreaterThan(1.4 * uncompressedCapacity);
        for (ProducerBatch b : learned) {
            assertThat(b.buffer().remaining()).as("compressed %s", b).isLessThanOrEqualTo(BATCH_SIZE)
                .isGreaterThan(BATCH_SIZE * 3 / 4);
        }
        // Built batches hold their compressed bytes, the open one its expected fill.
        long held = MEMORY - memory.available();
        long builtBytes = built.stream().mapToLong(b -> b.buffer().capacity()).sum();
        assertThat(held).isBetween(builtBytes, builtBytes + 4L * BATCH_SIZE);
        batches.forEach(b -> memory.release(b.takeReservation()));
        assertThat(memory.available()).isEqualTo(MEMORY);
    }

    @Test
    void uncompressedBatchesFillToBatchSize() {
        MemoryBudget memory = new MemoryBudget(MEMORY);
        List<ProducerBatch> batches = fill(Compression.NONE, memory, 2_000);
        for (ProducerBatch b : batches.subList(0, batches.size() - 1)) {
            assertThat(b.buffer().remaining()).isLessThanOrEqualTo(BATCH_SIZE).isGreaterThan(BATCH_SIZE - 200);
        }
        assertThat(MEMORY - memory.available()).isEqualTo((long) batches.size() * BATCH_SIZE);
        batches.forEach(b -> memory.release(b.takeReservation()));
        assertThat(memory.available()).isEqualTo(MEMORY);
    }

    @Test
    void theEstimateRisesAtOnceAndFallsSlowly() {
        CompressionRatio ratio = new CompressionRatio();
        ratio.observe(1000, 400);
        assertThat(ratio.estimate()).isEqualTo(0.995f);
        ratio.observe(1000, 900);
        assertThat(ratio.estimate()).isEqualTo(0.99f);
        ratio.observe(1000, 1200);
        assertThat(ratio.estimate()).isEqualTo(1.2f);
        ratio.observe(1000, 1210);
        assertThat(ratio.estimate()).isEqualTo(1.25f);
        assertThat(ratio.estimatedCompressedSize(1000)).isEqualTo(1313);
        assertThat(RecordBatch.HEADER_SIZE).isEqualTo(61);
    }
}
