package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.compression.Compression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction against a model: any sequence of keyed appends (values and tombstones, any codec, with and
 * without producer ids), clock advances and cleanings, over segments small enough to roll every few batches
 * and offset maps small enough to need several passes. After each cleaning the log holds exactly one record
 * per key — the latest one written, at its offset with its timestamp — except for tombstones that have been
 * kept for {@code delete.retention.ms} since the cleaning that first saw them, which are gone; each producer's
 * last batch is still there; appends continue at the log end offset.
 */
class CompactionProperties {
    private static final List<Compression> CODECS = List.of(Compression.none(), Compression.gzip(), Compression.snappy(),
        Compression.lz4(), Compression.zstd());

    sealed interface Step permits Append, Clean, Advance {
    }

    /** Records as (key index, value length or -1 for a tombstone); producer -1 for none. */
    record Append(List<int[]> records, int codec, int producer) implements Step {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Append(" + CODECS.get(codec) + ", producer " + producer + ":");
            records.forEach(r -> text.append(" k").append(r[0]).append(r[1] < 0 ? "=null" : "=" + r[1] + "B"));
            return text.append(")").toString();
        }
    }

    record Clean() implements Step {
    }

    record Advance(long ms) implements Step {
    }

    record Plan(int segmentBytes, int indexIntervalBytes, long deleteRetentionMs, long dedupeBytes, int keySpace,
                List<Step> steps) {
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<int[]> record = Combinators.combine(Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(-1, 20).edgeCases(e -> e.add(-1)))
            .as((key, value) -> new int[] {key, value});
        Arbitrary<Step> append = Combinators.combine(record.list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.integers().between(0, CODECS.size() - 1), Arbitraries.integers().between(-1, 1))
            .as(Append::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(7, append),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(new Clean())),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 3_000).map(Advance::new)));
        return Combinators.combine(
                Arbitraries.integers().between(400, 2_500),
                Arbitraries.integers().between(0, 600),
                Arbitraries.longs().between(1, 5_000),
                Arbitraries.of(1024L, 1L << 20),
                Arbitraries.integers().between(2, 60),
                step.list().ofMinSize(1).ofMaxSize(45))
            .as(Plan::new);
    }

    /** What the log should hold. */
    private static final class Model {
        final Map<Long, Entry> written = new HashMap<>();
        final Map<String, Entry> latest = new LinkedHashMap<>();
        /** Keys whose latest record is a tombstone that a cleaning has seen, and when it first did. */
        final Map<String, Long> tombstoneFirstCleaned = new HashMap<>();
        final Map<Long, Integer> nextSequence = new HashMap<>();
        final Map<Long, Long> producerLastOffset = new HashMap<>();
        final Map<Long, Integer> producerLastBaseSequence = new HashMap<>();

        void cleanedAt(long now, long deleteRetentionMs) {
            for (Map.Entry<String, Long> seen : List.copyOf(tombstoneFirstCleaned.entrySet())) {
                if (now >= seen.getValue() + deleteRetentionMs) {
                    latest.remove(seen.getKey());
                    tombstoneFirstCleaned.remove(seen.getKey());
                }
            }
            latest.forEach((key, entry) -> {
                if (entry.isTombstone()) {
                    tombstoneFirstCleaned.putIfAbsent(key, now);
                }
            });
        }

        List<Entry> expected() {
            return latest.values().stream().sorted(Comparator.comparingLong(Entry::offset)).toList();
        }
    }

    @Property(tries = 60)
    void afterEachCleaningTheLogHoldsTheModel(@ForAll("plans") Plan plan) {
        ManualClock clock = new ManualClock(1_000_000);
        Path dir = TempDirs.create();
        LogConfig cfg = LogTestSupport.config(Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", Integer.toString(plan.segmentBytes()),
            "index.interval.bytes", Integer.toString(plan.indexIntervalBytes()),
            "delete.retention.ms", Long.toString(plan.deleteRetentionMs())));
        PartitionLog log = LogTestSupport.open(dir, cfg, clock);
        LogCleaner cleaner = KeyedRecords.cleaner(clock, plan.dedupeBytes());
        Model model = new Model();
        try {
            for (Step step : plan.steps()) {
                if (step instanceof Append append) {
                    append(log, append, plan.keySpace(), clock, model);
                } else if (step instanceof Advance advance) {
                    clock.advance(advance.ms());
                } else {
                    cleanAndCheck(log, cleaner, clock, model, plan.deleteRetentionMs());
                }
            }
            // Every tombstone has now been seen by a cleaning; after delete.retention.ms none is left.
            cleanAndCheck(log, cleaner, clock, model, plan.deleteRetentionMs());
            clock.advance(plan.deleteRetentionMs());
            cleanAndCheck(log, cleaner, clock, model, plan.deleteRetentionMs());
            assertThat(KeyedRecords.entries(log)).noneMatch(Entry::isTombstone);

            long end = log.logEndOffset();
            List<Entry> content = KeyedRecords.entries(log);
            log.close();
            log = LogTestSupport.open(dir, cfg, clock);
            assertThat(KeyedRecords.entries(log)).isEqualTo(content);
            assertThat(log.append(KeyedRecords.batch(Compression.none(), clock.millis(), List.of(KeyedRecords.kv("k0", "last"))), 0)
                .firstOffset()).isEqualTo(end);
        } finally {
            log.close();
            cleaner.close();
            TempDirs.delete(dir);
        }
    }

    private static void append(PartitionLog log, Append append, int keySpace, ManualClock clock, Model model) {
        List<KeyValue> records = new ArrayList<>();
        for (int[] record : append.records()) {
            String key = "k" + record[0] % keySpace;
            records.add(KeyedRecords.kv(key, record[1] < 0 ? null : "v".repeat(record[1]) + "@" + clock.millis()));
        }
        long producerId = append.producer() < 0 ? RecordBatch.NO_PRODUCER_ID : 100 + append.producer();
        int sequence = producerId < 0 ? -1 : model.nextSequence.getOrDefault(producerId, 0);
        AppendResult result = log.append(KeyedRecords.batch(CODECS.get(append.codec()), clock.millis(), records,
            producerId, (short) 0, sequence), 0);
        for (int i = 0; i < records.size(); i++) {
            Entry entry = new Entry(result.firstOffset() + i, clock.millis(), records.get(i).key(), records.get(i).value());
            model.written.put(entry.offset(), entry);
            model.latest.put(entry.key(), entry);
            model.tombstoneFirstCleaned.remove(entry.key());
        }
        if (producerId >= 0) {
            model.nextSequence.put(producerId, sequence + records.size());
            model.producerLastOffset.put(producerId, result.lastOffset());
            model.producerLastBaseSequence.put(producerId, sequence);
        }
    }

    private static void cleanAndCheck(PartitionLog log, LogCleaner cleaner, ManualClock clock, Model model, long deleteRetentionMs) {
        long end = log.logEndOffset();
        log.roll(); // everything written becomes cleanable
        model.cleanedAt(clock.millis(), deleteRetentionMs);
        cleaner.cleanNow(log);

        List<Entry> entries = KeyedRecords.entries(log);
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).offset()).isGreaterThan(entries.get(i - 1).offset());
        }
        for (Entry entry : entries) {
            assertThat(entry).isEqualTo(model.written.get(entry.offset()));
        }
        assertThat(entries).isEqualTo(model.expected());
        assertThat(log.logEndOffset()).isEqualTo(end);
        List<RecordBatch> batches = KeyedRecords.batches(log);
        model.producerLastOffset.forEach((producerId, lastOffset) -> assertThat(batches)
            .as("last batch of producer %d", producerId)
            .anyMatch(b -> b.producerId() == producerId && b.lastOffset() == lastOffset
                && b.baseSequence() == model.producerLastBaseSequence.get(producerId)));
    }
}
