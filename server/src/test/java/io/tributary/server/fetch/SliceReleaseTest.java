package io.tributary.server.fetch;

import io.tributary.server.Await;
import io.tributary.log.PartitionLog;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.ApiKey;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records leave the broker from the segment files themselves (sendfile), and every log slice a fetch
 * takes is released once its response is written or dropped: after the topic is deleted, each segment's
 * file channel closes, which happens only when no slice holds it any more.
 */
class SliceReleaseTest {
    private static final String TOPIC = "zero-copy";

    private final BrokerFixture fixture = new BrokerFixture();
    private UUID topicId;
    private final List<PartitionLog> logs = new ArrayList<>();

    @BeforeEach
    void write() {
        topicId = fixture.broker().logs().createTopic(TOPIC, 2, Map.of("segment.bytes", "4096")).topicId();
        Random random = new Random(1);
        for (int p = 0; p < 2; p++) {
            PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, p));
            for (int round = 0; round < 3; round++) {
                for (var codec : TestRecords.CODECS) {
                    TestRecords.appendBatch(log, codec, 8, 1_000L, "k", random);
                }
            }
            assertThat(log.segments()).hasSizeGreaterThan(2);
            logs.add(log);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private List<LogSegment> segments() {
        List<LogSegment> segments = new ArrayList<>();
        logs.forEach(log -> segments.addAll(log.segments()));
        return segments;
    }

    private void deleteTopicAndAwaitEveryChannelClosed(List<LogSegment> segments) {
        fixture.broker().logs().deleteTopic(TOPIC);
        Await.until("every segment channel closes, i.e. no slice is held", Duration.ofSeconds(10),
            () -> segments.stream().noneMatch(s -> s.channel().isOpen()));
    }

    @Test
    void theRecordsSentAreTheSegmentFilesBytes() throws IOException {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            PartitionLog log = logs.get(0);
            long offset = 0;
            for (LogSegment segment : log.segments()) {
                if (segment.size() == 0) {
                    continue;
                }
                ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment.logFile()), 0, segment.size());
                Got got = FetchRequests.partitions(raw.call(ApiKey.FETCH, (short) 18, FetchRequests.fetch(0, 1, 1 << 20,
                    List.of(Wanted.byId(topicId, 0, offset, 1 << 20))))).get(0);
                assertThat(got.records()).as("segment %d, whole", segment.baseOffset()).isEqualTo(file);
                offset = segment.nextOffset();
            }
            assertThat(offset).isEqualTo(log.logEndOffset());
        }
    }

    @Test
    void slicesOfAnsweredFetchesAreReleased() {
        List<LogSegment> segments = segments();
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int total = (int) (logs.get(0).logEndOffset() + logs.get(1).logEndOffset());
            assertThat(Consumers.poll(consumer, total, Duration.ofSeconds(30))).hasSize(total);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        deleteTopicAndAwaitEveryChannelClosed(segments);
    }

    @Test
    void slicesOfAFetchWhoseConnectionClosedAreReleased() {
        List<LogSegment> segments = segments();
        // Data is there but min_bytes asks for more, so the fetch parks; closing the connection completes it
        // with fresh reads (slices taken) whose answer can no longer be sent and is dropped.
        RawConnection raw = new RawConnection(fixture.port());
        raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(60_000, 1 << 20, 1 << 20,
            List.of(Wanted.byId(topicId, 0, 0, 1 << 20), Wanted.byId(topicId, 1, 0, 1 << 20))));
        Await.until("the fetch is parked", Duration.ofSeconds(10), () -> fixture.broker().fetchPurgatory().parkedCount() == 1);
        raw.close();
        Await.until("the fetch ends with its connection", Duration.ofSeconds(10),
            () -> fixture.broker().fetchPurgatory().parkedCount() == 0);
        deleteTopicAndAwaitEveryChannelClosed(segments);
    }

    @Test
    void slicesOfResponsesNobodyReadsAreReleasedWhenTheConnectionCloses() {
        List<LogSegment> segments = segments();
        RawConnection raw = new RawConnection(fixture.port());
        for (int i = 0; i < 20; i++) {
            raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(0, 1, 1 << 20,
                List.of(Wanted.byId(topicId, 0, 0, 1 << 20), Wanted.byId(topicId, 1, 0, 1 << 20))));
        }
        raw.close();
        deleteTopicAndAwaitEveryChannelClosed(segments);
    }

    @Test
    void deletingATopicWhileASliceIsHeldKeepsTheChannelOpenUntilItIsReleased() {
        // The check the other tests rely on: a held slice does keep its channel open.
        List<LogSegment> segments = segments();
        var slice = logs.get(0).read(0, 100, true);
        fixture.broker().logs().deleteTopic(TOPIC);
        assertThat(slice.channel().isOpen()).isTrue();
        slice.release();
        // Background work (the periodic flush) may retain a segment for a moment too, so the last channel
        // closes when that finishes rather than at this very instant.
        Await.until("every segment channel closes once the slice is released", Duration.ofSeconds(10),
            () -> segments.stream().noneMatch(s -> s.channel().isOpen()));
        assertThat(Files.exists(segments.get(0).logFile())).isFalse();
    }
}
