package io.tributary.server.fetch;

import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The session cache's bookkeeping with a hand-moved clock: epochs, slots and Kafka's eviction rules. */
class FetchSessionCacheTest {
    private static final long EVICTION_MS = 10_000;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private static LinkedHashMap<FetchKey, PartitionRequest> partitions(int count) {
        LinkedHashMap<FetchKey, PartitionRequest> map = new LinkedHashMap<>();
        for (int p = 0; p < count; p++) {
            FetchKey key = FetchKey.byName("t", p);
            map.put(key, new PartitionRequest(key, 0, 1024, -1, -1));
        }
        return map;
    }

    private static List<PartitionRead> reads(LinkedHashMap<FetchKey, PartitionRequest> requested) {
        List<PartitionRead> reads = new ArrayList<>();
        for (PartitionRequest request : requested.values()) {
            reads.add(new PartitionRead(request, null, ErrorCode.NONE, false, 0, 0, 0, null));
        }
        return reads;
    }

    /** A full fetch of {@code count} partitions; the id of the session it created, or 0. */
    private static int full(FetchSessionCache cache, int count) {
        LinkedHashMap<FetchKey, PartitionRequest> requested = partitions(count);
        FetchContext context = cache.newContext((short) 12, 0, FetchSession.INITIAL_EPOCH, requested, List.of());
        assertThat(context).isInstanceOf(FetchContext.Full.class);
        return context.answer(reads(requested)).sessionId();
    }

    private static FetchContext incremental(FetchSessionCache cache, int id, int epoch) {
        return cache.newContext((short) 12, id, epoch, new LinkedHashMap<>(), List.of());
    }

    @Test
    void epochsStartAtOneAdvanceByOneAndWrapToOne() {
        assertThat(FetchSession.nextEpoch(FetchSession.INITIAL_EPOCH)).isEqualTo(1);
        assertThat(FetchSession.nextEpoch(41)).isEqualTo(42);
        assertThat(FetchSession.nextEpoch(Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(FetchSession.nextEpoch(FetchSession.FINAL_EPOCH)).isEqualTo(FetchSession.FINAL_EPOCH);

        FetchSessionCache cache = new FetchSessionCache(5, EVICTION_MS, now::get);
        int id = full(cache, 2);
        for (int epoch = 1; epoch <= 3; epoch++) {
            FetchContext context = incremental(cache, id, epoch);
            assertThat(context).as("epoch %d", epoch).isInstanceOf(FetchContext.Incremental.class);
            assertThat(((FetchContext.Incremental) context).partitions()).hasSize(2);
        }
        assertThat(incremental(cache, id, 3)).isEqualTo(new FetchContext.SessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH));
        assertThat(incremental(cache, id, -2)).isEqualTo(new FetchContext.SessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH));
        assertThat(incremental(cache, id + 1, 4)).isEqualTo(new FetchContext.SessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND));
        assertThat(incremental(cache, 0, 1)).isEqualTo(new FetchContext.SessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND));
    }

    @Test
    void anAnswerToAnOutdatedEpochIsRefused() {
        FetchSessionCache cache = new FetchSessionCache(5, EVICTION_MS, now::get);
        int id = full(cache, 1);
        FetchContext first = incremental(cache, id, 1);
        FetchContext second = incremental(cache, id, 2); // accepted before the first was answered
        assertThat(first.answer(List.of()).error()).isEqualTo(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
        assertThat(second.answer(List.of()).error()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void zeroSlotsMeansNoSessions() {
        FetchSessionCache cache = new FetchSessionCache(0, EVICTION_MS, now::get);
        assertThat(full(cache, 3)).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFullCacheEvictsTheStalestSessionFirst() {
        FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS, now::get);
        int a = full(cache, 5);
        now.addAndGet(1);
        int b = full(cache, 5);
        assertThat(full(cache, 9)).as("no session is stale or old enough yet").isZero();

        now.addAndGet(EVICTION_MS);
        assertThat(incremental(cache, b, 1)).isInstanceOf(FetchContext.Incremental.class); // b used now; a is stale
        now.addAndGet(1);
        int c = full(cache, 1);
        assertThat(c).isPositive();
        assertThat(cache.sessionIds()).containsExactlyInAnyOrder(b, c);
        assertThat(cache.evictions()).isEqualTo(1);
        assertThat(a).isNotIn(b, c);
    }

    @Test
    void withoutStaleSessionsABiggerSessionEvictsTheSmallestOldOne() {
        FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS, now::get);
        int small = full(cache, 2);
        int big = full(cache, 6);
        now.addAndGet(EVICTION_MS + 1); // both older than the eviction age...
        assertThat(incremental(cache, small, 1)).isInstanceOf(FetchContext.Incremental.class); // ...but recently used
        assertThat(incremental(cache, big, 1)).isInstanceOf(FetchContext.Incremental.class);

        assertThat(full(cache, 2)).as("not bigger than the smallest").isZero();
        int bigger = full(cache, 3);
        assertThat(bigger).isPositive();
        assertThat(cache.sessionIds()).containsExactlyInAnyOrder(big, bigger);
        assertThat(full(cache, 3)).as("the new session is too young to be evicted").isZero();
    }

    @Test
    void fullAndClosingRequestsRemoveTheSessionTheyName() {
        FetchSessionCache cache = new FetchSessionCache(5, EVICTION_MS, now::get);
        int id = full(cache, 1);
        FetchContext closing = cache.newContext((short) 12, id, FetchSession.FINAL_EPOCH, partitions(1), List.of());
        assertThat(closing).isInstanceOf(FetchContext.Sessionless.class);
        assertThat(cache.session(id)).isNull();

        int next = full(cache, 1);
        FetchContext replacing = cache.newContext((short) 12, next, FetchSession.INITIAL_EPOCH, partitions(2), List.of());
        assertThat(cache.session(next)).as("a full fetch naming a session closes it").isNull();
        int replacement = replacing.answer(reads(partitions(2))).sessionId();
        assertThat(cache.session(replacement).partitionKeys()).hasSize(2);
    }
}
