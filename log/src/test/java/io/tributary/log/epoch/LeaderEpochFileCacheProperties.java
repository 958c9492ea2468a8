package io.tributary.log.epoch;

import io.tributary.protocol.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader-epoch cache against a model: a sorted map from epoch to start offset changed by Kafka's rules as
 * written out below, under random sequences of assign, truncation from either end, and queries; then a reload
 * from the checkpoint file answers every query as the cache did.
 */
class LeaderEpochFileCacheProperties {
    private static final TopicPartition TP = new TopicPartition("orders", 3);

    sealed interface Op permits Assign, TruncateFromEnd, TruncateFromStart, Query {
    }

    record Assign(int epoch, long startOffset) implements Op {
    }

    record TruncateFromEnd(long endOffset) implements Op {
    }

    record TruncateFromStart(long startOffset) implements Op {
    }

    record Query(int epoch, long logEndOffset) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> epochs = Arbitraries.integers().between(0, 12);
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, 120);
        Arbitrary<Op> assign = Combinators.combine(epochs, offsets).as(Assign::new);
        // Epochs mostly rise, as a log's do; the random ones above also exercise stale and same-epoch assigns.
        Arbitrary<Op> fromEnd = offsets.map(TruncateFromEnd::new);
        Arbitrary<Op> fromStart = offsets.map(TruncateFromStart::new);
        Arbitrary<Op> query = Combinators.combine(Arbitraries.integers().between(-2, 14), offsets).as(Query::new);
        return Arbitraries.frequencyOf(
            Tuple.of(5, assign),
            Tuple.of(1, fromEnd),
            Tuple.of(1, fromStart),
            Tuple.of(3, query)).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 150)
    void behavesAsTheModelAndReloadsToTheSameAnswers(@ForAll("operations") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("tributary-epoch-cache");
        try {
            LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.in(dir);
            LeaderEpochFileCache cache = LeaderEpochFileCache.fromCheckpoint(TP, file);
            TreeMap<Integer, Long> model = new TreeMap<>();
            for (Op op : ops) {
                if (op instanceof Assign a) {
                    assertThat(cache.assign(a.epoch(), a.startOffset())).as("%s changes", op)
                        .isEqualTo(modelAssign(model, a.epoch(), a.startOffset()));
                } else if (op instanceof TruncateFromEnd t) {
                    assertThat(cache.truncateFromEnd(t.endOffset())).as("%s changes", op)
                        .isEqualTo(modelTruncateFromEnd(model, t.endOffset()));
                } else if (op instanceof TruncateFromStart t) {
                    assertThat(cache.truncateFromStart(t.startOffset())).as("%s changes", op)
                        .isEqualTo(modelTruncateFromStart(model, t.startOffset()));
                } else if (op instanceof Query q) {
                    assertThat(cache.endOffsetFor(q.epoch(), q.logEndOffset())).as("%s after %s", op, model)
                        .isEqualTo(modelEndOffsetFor(model, q.epoch(), q.logEndOffset()));
                }
                assertThat(asMap(cache.entries())).as("entries after %s", op).isEqualTo(model);
                assertThat(cache.latestEpoch()).isEqualTo(model.isEmpty() ? LeaderEpochs.UNDEFINED : model.lastKey());
                assertIncreasing(cache.entries());
            }

            LeaderEpochFileCache reloaded = LeaderEpochFileCache.fromCheckpoint(TP, file);
            assertThat(reloaded.entries()).isEqualTo(cache.entries());
            assertThat(reloaded.latestEpoch()).isEqualTo(cache.latestEpoch());
            for (int epoch = -1; epoch <= 14; epoch++) {
                assertThat(reloaded.endOffsetFor(epoch, 500)).as("epoch %d after reload", epoch).isEqualTo(cache.endOffsetFor(epoch, 500));
            }
            for (long offset = 0; offset <= 121; offset++) {
                assertThat(reloaded.epochForOffset(offset)).isEqualTo(modelEpochForOffset(model, offset));
            }
        } finally {
            delete(dir);
        }
    }

    // ---- the model: Kafka's rules, on a TreeMap

    private static boolean modelAssign(TreeMap<Integer, Long> model, int epoch, long startOffset) {
        if (!model.isEmpty()) {
            Map.Entry<Integer, Long> latest = model.lastEntry();
            if (epoch < latest.getKey()) {
                return false; // stale epoch: ignored
            }
            if (epoch == latest.getKey() && startOffset >= latest.getValue()) {
                return false; // already known to start there or earlier
            }
        }
        model.entrySet().removeIf(e -> e.getKey() >= epoch || e.getValue() >= startOffset);
        model.put(epoch, startOffset);
        return true;
    }

    private static boolean modelTruncateFromEnd(TreeMap<Integer, Long> model, long endOffset) {
        return model.entrySet().removeIf(e -> e.getValue() >= endOffset);
    }

    private static boolean modelTruncateFromStart(TreeMap<Integer, Long> model, long startOffset) {
        Map<Integer, Long> before = new TreeMap<>(model);
        Integer covering = null;
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            if (e.getValue() <= startOffset) {
                covering = e.getKey();
            }
        }
        if (covering != null) {
            model.entrySet().removeIf(e -> e.getValue() <= startOffset);
            model.put(covering, startOffset);
        }
        return !before.equals(model);
    }

    private static EpochEndOffset modelEndOffsetFor(TreeMap<Integer, Long> model, int epoch, long logEndOffset) {
        if (epoch < 0 || model.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (epoch == model.lastKey()) {
            return new EpochEndOffset(epoch, logEndOffset);
        }
        Map.Entry<Integer, Long> higher = model.higherEntry(epoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, Long> floor = model.floorEntry(epoch);
        return new EpochEndOffset(floor == null ? epoch : floor.getKey(), higher.getValue());
    }

    private static int modelEpochForOffset(TreeMap<Integer, Long> model, long offset) {
        int epoch = LeaderEpochs.UNDEFINED;
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            if (e.getValue() <= offset) {
                epoch = e.getKey();
            }
        }
        return epoch;
    }

    private static TreeMap<Integer, Long> asMap(List<EpochEntry> entries) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        entries.forEach(e -> map.put(e.epoch(), e.startOffset()));
        return map;
    }

    private static void assertIncreasing(List<EpochEntry> entries) {
        List<EpochEntry> list = new ArrayList<>(entries);
        for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i).epoch()).isGreaterThan(list.get(i - 1).epoch());
            assertThat(list.get(i).startOffset()).isGreaterThan(list.get(i - 1).startOffset());
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
