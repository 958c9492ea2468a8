package io.tributary.server.fetch;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental fetch session against a plain model under random sequences of requests (partitions
 * named with new offsets, partitions forgotten) and read outcomes (records or not, an error or not, high
 * watermark and log start moving): the session reads what the model says in the model's order, answers
 * exactly the partitions that changed, moves partitions with records to the end, and closes when empty.
 */
class FetchSessionProperties {
    private static final int PARTITIONS = 6;
    private static Path dir;
    private static LogManager logs;
    private static PartitionLog log;

    @BeforeContainer
    static void openLog() throws IOException {
        dir = Files.createTempDirectory("fetch-session-properties");
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        logs.createTopic("t", 1, Map.of());
        log = logs.log(new TopicPartition("t", 0));
        log.append(TestRecords.simpleBatch(2, 10, 1L), 0); // real slices for reads "with records"
    }

    @AfterContainer
    static void closeLog() throws IOException {
        logs.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** What one read of a partition finds. */
    record Outcome(boolean records, boolean error, long highWatermark, long logStartOffset) {
    }

    /** One incremental request and what its reads find. */
    record Step(Map<Integer, Long> named, Set<Integer> forgotten, Map<Integer, Outcome> outcomes) {
    }

    /** The model's memory of one partition: last requested offset and the offsets last answered. */
    static final class Cached {
        long fetchOffset;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, PARTITIONS - 1);
        Arbitrary<Outcome> outcome = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 9).map(i -> i == 0),
            Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 1)).as(Outcome::new);
        Arbitrary<Step> step = Combinators.combine(
            Arbitraries.maps(partition, Arbitraries.longs().between(0, 5)).ofMaxSize(3),
            partition.set().ofMaxSize(2),
            Arbitraries.maps(partition, outcome).ofSize(PARTITIONS)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 300)
    void sessionMatchesTheModel(@ForAll("steps") List<Step> steps) {
        FetchSessionCache cache = new FetchSessionCache(4, FetchSessionCache.DEFAULT_EVICTION_MS, () -> 0L);
        LinkedHashMap<Integer, Cached> model = new LinkedHashMap<>();
        LinkedHashMap<FetchKey, PartitionRequest> first = new LinkedHashMap<>();
        for (int p = 0; p < 2; p++) {
            first.put(key(p), request(p, 0));
            model.put(p, new Cached());
        }
        List<LogSlice> slices = new ArrayList<>();
        try {
            FetchContext full = cache.newContext((short) 12, 0, FetchSession.INITIAL_EPOCH, first, List.of());
            List<PartitionRead> firstReads = new ArrayList<>();
            for (PartitionRequest request : full.partitions()) {
                firstReads.add(read(request, new Outcome(false, false, 0, 0), slices));
            }
            int id = full.answer(firstReads).sessionId();
            model.values().forEach(c -> {
                c.highWatermark = 0;
                c.lastStableOffset = 0;
                c.logStartOffset = 0;
            });
            int epoch = 1;
            for (Step step : steps) {
                LinkedHashMap<FetchKey, PartitionRequest> named = new LinkedHashMap<>();
                step.named().forEach((p, offset) -> {
                    named.put(key(p), request(p, offset));
                    model.computeIfAbsent(p, x -> new Cached()).fetchOffset = offset;
                });
                List<FetchKey> forgotten = step.forgotten().stream().map(FetchSessionProperties::key).toList();
                step.forgotten().forEach(model::remove);

                FetchContext context = cache.newContext((short) 12, id, epoch, named, forgotten);
                if (model.isEmpty()) {
                    assertThat(context).isInstanceOf(FetchContext.Sessionless.class);
                    assertThat(cache.session(id)).isNull();
                    return;
                }
                assertThat(context).isInstanceOf(FetchContext.Incremental.class);
                epoch = FetchSession.nextEpoch(epoch);
                assertThat(context.partitions()).extracting(r -> r.key().partition()).containsExactlyElementsOf(model.keySet());
                List<PartitionRead> reads = new ArrayList<>();
                for (PartitionRequest request : context.partitions()) {
                    assertThat(request.fetchOffset()).isEqualTo(model.get(request.key().partition()).fetchOffset);
                    reads.add(read(request, step.outcomes().get(request.key().partition()), slices));
                }

                List<Integer> expected = new ArrayList<>();
                for (PartitionRead read : reads) {
                    int p = read.key().partition();
                    Cached cached = model.get(p);
                    boolean must = read.bytes() > 0 || read.error() != ErrorCode.NONE
                        || cached.highWatermark != read.highWatermark() || cached.lastStableOffset != read.lastStableOffset()
                        || cached.logStartOffset != read.logStartOffset();
                    cached.highWatermark = read.error() != ErrorCode.NONE ? -1 : read.highWatermark();
                    cached.lastStableOffset = read.lastStableOffset();
                    cached.logStartOffset = read.logStartOffset();
                    if (must) {
                        expected.add(p);
                    }
                    if (read.bytes() > 0) {
                        model.put(p, model.remove(p));
                    }
                }
                FetchContext.FetchAnswer answer = context.answer(reads);
                assertThat(answer.error()).isEqualTo(ErrorCode.NONE);
                assertThat(answer.sessionId()).isEqualTo(id);
                assertThat(answer.partitions()).extracting(r -> r.key().partition()).containsExactlyElementsOf(expected);
                assertThat(cache.session(id).partitionKeys()).extracting(FetchKey::partition).containsExactlyElementsOf(model.keySet());
                assertThat(cache.session(id).epoch()).isEqualTo(epoch);
            }
        } finally {
            slices.forEach(LogSlice::release);
        }
    }

    private static FetchKey key(int partition) {
        return FetchKey.byName("t", partition);
    }

    private static PartitionRequest request(int partition, long offset) {
        return new PartitionRequest(key(partition), offset, 1 << 20, -1, -1);
    }

    private static PartitionRead read(PartitionRequest request, Outcome outcome, List<LogSlice> slices) {
        if (outcome.error()) {
            return PartitionRead.failed(request, null, ErrorCode.OFFSET_OUT_OF_RANGE);
        }
        LogSlice slice = null;
        if (outcome.records()) {
            slice = log.read(0, 1 << 20, true);
            slices.add(slice);
        }
        return new PartitionRead(request, null, ErrorCode.NONE, false, outcome.highWatermark(), outcome.highWatermark(),
            outcome.logStartOffset(), slice);
    }
}
