package io.tributary.log;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** A random log configuration and a random sequence of batches to append, for the log properties. */
record AppendPlan(int segmentBytes, int indexIntervalBytes, int segmentIndexBytes, List<BatchSpec> batches) {

    /** One batch: per-record timestamps and a value size. */
    record BatchSpec(long[] timestamps, int valueSize) {
        ByteBuffer build() {
            return TestBatches.batch(timestamps, valueSize);
        }

        @Override
        public String toString() {
            return "Batch(" + timestamps.length + " records, ts=" + java.util.Arrays.toString(timestamps) + ", value=" + valueSize + ")";
        }
    }

    Map<String, String> overrides() {
        return Map.of(
            "segment.bytes", Integer.toString(segmentBytes),
            "index.interval.bytes", Integer.toString(indexIntervalBytes),
            "segment.index.bytes", Integer.toString(segmentIndexBytes),
            "retention.ms", "-1");
    }

    static Arbitrary<AppendPlan> plans(int maxBatches) {
        Arbitrary<BatchSpec> batch = Combinators.combine(
                Arbitraries.longs().between(1_000, 1_200).array(long[].class).ofMinSize(1).ofMaxSize(8),
                Arbitraries.integers().between(0, 200))
            .as(BatchSpec::new);
        return Combinators.combine(
                Arbitraries.integers().between(2_000, 12_000),
                Arbitraries.integers().between(0, 3_000),
                Arbitraries.integers().between(24, 600),
                batch.list().ofMinSize(1).ofMaxSize(maxBatches))
            .as(AppendPlan::new);
    }
}
