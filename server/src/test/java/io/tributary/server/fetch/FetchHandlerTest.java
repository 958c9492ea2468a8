package io.tributary.server.fetch;

import io.tributary.server.Await;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.fetch.FetchRequests.Wanted;
import io.tributary.server.network.LogSliceRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch handler and its purgatory without sockets: the connection's event loop is a queue this test
 * runs by hand, so what an append, the timer or a close schedules there can be seen and counted.
 */
class FetchHandlerTest {
    private static final String TOPIC = "unit";

    @TempDir
    Path dir;
    private LogManager logs;
    private FetchPurgatory purgatory;
    private FetchHandler handler;
    private final ConcurrentLinkedQueue<Runnable> eventLoop = new ConcurrentLinkedQueue<>();
    private PartitionLog p0;
    private PartitionLog p1;

    @BeforeEach
    void open() {
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        logs.createTopic(TOPIC, 2, Map.of());
        p0 = logs.log(new TopicPartition(TOPIC, 0));
        p1 = logs.log(new TopicPartition(TOPIC, 1));
        purgatory = new FetchPurgatory();
        handler = new FetchHandler(logs, new FetchSessionCache(10, FetchSessionCache.DEFAULT_EVICTION_MS, System::currentTimeMillis),
            purgatory, 1 << 20);
    }

    @AfterEach
    void close() {
        purgatory.close();
        logs.close();
    }

    private RequestContext context() {
        Executor queue = eventLoop::add;
        return new RequestContext(new RequestHeader(ApiKey.FETCH, (short) 12, 1, "unit"), new InetSocketAddress("127.0.0.1", 1),
            "conn-1", queue, Runnable::run);
    }

    private CompletableFuture<ApiResponse> fetch(int maxWaitMs, int minBytes, List<Wanted> partitions) {
        return handler.handle(context(), FetchRequests.fetch(maxWaitMs, minBytes, 1 << 20, partitions));
    }

    private int runEventLoop() {
        int ran = 0;
        for (Runnable task; (task = eventLoop.poll()) != null; ran++) {
            task.run();
        }
        return ran;
    }

    private static List<Struct> partitionsOf(ApiResponse response) {
        List<Struct> partitions = new ArrayList<>();
        for (Struct topic : response.body().get(FetchResponse.RESPONSES)) {
            partitions.addAll(topic.get(FetchableTopicResponse.PARTITIONS));
        }
        return partitions;
    }

    @Test
    void recordsAreHandedOverAsLogSlicesNotCopies() {
        ByteBuffer batch = TestRecords.simpleBatch(3, 10, 1L);
        int size = batch.remaining();
        p0.append(batch, 0);
        ApiResponse response = fetch(0, 1, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20), Wanted.byName(TOPIC, 1, 0, 1 << 20))).join();
        List<Struct> partitions = partitionsOf(response);
        Object records = partitions.get(0).recordsValue(PartitionData.RECORDS);
        assertThat(records).isInstanceOf(LogSliceRecords.class);
        LogSlice slice = ((LogSliceRecords) records).slice();
        assertThat(slice.length()).isEqualTo(size);
        assertThat(slice.channel()).isSameAs(p0.activeSegment().channel());
        assertThat(response.slices()).containsExactly(slice);
        assertThat(partitions.get(1).get(PartitionData.RECORDS).remaining()).as("no records, no slice").isZero();
        response.discard();
    }

    @Test
    void onlyAnAppendToAWatchedPartitionWakesTheFetchAndBurstsAreCoalesced() {
        CompletableFuture<ApiResponse> answer = fetch(60_000, 100, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20)));
        assertThat(answer).isNotDone();
        assertThat(purgatory.parkedCount()).isEqualTo(1);

        p1.append(TestRecords.simpleBatch(3, 50, 1L), 0);
        purgatory.wake(p1.topicPartition());
        assertThat(eventLoop).as("an append elsewhere schedules nothing").isEmpty();

        p0.append(TestRecords.simpleBatch(1, 1, 1L), 0);
        purgatory.wake(p0.topicPartition());
        purgatory.wake(p0.topicPartition());
        assertThat(eventLoop).as("one check for two appends").hasSize(1);
        runEventLoop();
        assertThat(purgatory.checks()).isEqualTo(1);
        assertThat(answer).as("fewer than 100 bytes").isNotDone();

        p0.append(TestRecords.simpleBatch(3, 50, 1L), 0);
        purgatory.wake(p0.topicPartition());
        runEventLoop();
        assertThat(answer).isDone();
        assertThat(purgatory.parkedCount()).isZero();
        ApiResponse response = answer.join();
        assertThat(response.slices()).singleElement().satisfies(slice -> assertThat(slice.nextOffset()).isEqualTo(4));
        response.discard();
    }

    @Test
    void aParkNoticesALogThatMovedSinceTheReadsThatFoundTooLittle() {
        // An append between a fetch's first read and its park announces itself before anyone watches; the
        // park therefore checks at once when movedSince says a read partition's offsets changed.
        PartitionReader reader = new PartitionReader(logs);
        FetchReads before = reader.read(List.of(new PartitionRequest(FetchKey.byName(TOPIC, 0), 0, 1 << 20, -1, -1)), 1 << 20, false);
        p0.append(TestRecords.simpleBatch(1, 10, 1L), 0);
        assertThat(reader.movedSince(before)).isTrue();
        assertThat(reader.movedSince(reader.read(List.of(new PartitionRequest(FetchKey.byName(TOPIC, 0), 1, 1 << 20, -1, -1)),
            1 << 20, false))).isFalse();
    }

    @Test
    void expiryCompletesOnTheEventLoopWithWhatIsThereThen() {
        CompletableFuture<ApiResponse> answer = fetch(50, 1_000_000, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20)));
        p0.append(TestRecords.simpleBatch(1, 10, 1L), 0); // not announced: only the expiry read can see it
        Await.until("the timer hands the expiry to the event loop", Duration.ofSeconds(10), () -> !eventLoop.isEmpty());
        assertThat(answer).as("completion waits for the event loop").isNotDone();
        runEventLoop();
        ApiResponse response = answer.join();
        assertThat(response.slices()).hasSize(1);
        response.discard();
    }

    @Test
    void aClosedConnectionEndsItsFetchesOnly() {
        CompletableFuture<ApiResponse> answer = fetch(60_000, 1, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20)));
        handler.connectionClosed("another-connection");
        assertThat(eventLoop).isEmpty();
        handler.connectionClosed("conn-1");
        runEventLoop();
        assertThat(answer).isDone();
        assertThat(purgatory.parkedCount()).isZero();
        answer.join().discard();
    }

    @Test
    void closingThePurgatoryAbandonsWhatWaitsWithoutAnswering() {
        CompletableFuture<ApiResponse> answer = fetch(60_000, 1, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20)));
        purgatory.close();
        assertThat(answer.join().isNone()).isTrue();
        assertThat(purgatory.parkedCount()).isZero();
        CompletableFuture<ApiResponse> late = fetch(60_000, 1, List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20)));
        assertThat(late.join().isNone()).as("nothing parks after close").isTrue();
    }
}
