package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.serialization.ByteArrayDeserializer;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our consumer against a real broker over sockets, with Kafka's producer writing: every codec byte for byte,
 * positions, seeks, time lookups, pause, wakeup, commits.
 */
class ConsumerIntegrationTest {
    private static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String compression) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> config(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("auto.offset.reset", "earliest");
        c.put("fetch.max.wait.ms", "100");
        if (group != null) {
            c.put("group.id", group);
        }
        return c;
    }

    private static TributaryConsumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new TributaryConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until {@code count} records arrived, within 20 s. */
    private static List<ConsumerRecord<byte[], byte[]>> pollFor(TributaryConsumer<byte[], byte[]> consumer, int count) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        Await.until(count + " records", Duration.ofSeconds(20), () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            return got.size() >= count;
        });
        return got;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void recordsFromKafkasProducerArriveByteForByteForEveryCodec(String codec) throws Exception {
        String topic = "codec-" + codec;
        createTopic(topic, 2);
        Random random = new Random(42);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        try (var producer = producer(codec)) {
            for (int i = 0; i < 300; i++) {
                byte[] key = i % 7 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
                byte[] value = i % 11 == 0 ? null : new byte[random.nextInt(300)];
                if (value != null) {
                    random.nextBytes(value);
                }
                var record = new ProducerRecord<>(topic, i % 2, 1_700_000_000_000L + i, key, value,
                    List.of(new RecordHeader("h" + (i % 3), new byte[] {(byte) i}), new RecordHeader("n", (byte[]) null)));
                producer.send(record);
                sent.add(record);
            }
            producer.flush();
        }
        try (var consumer = consumer(config(null))) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            List<ConsumerRecord<byte[], byte[]>> got = pollFor(consumer, sent.size());
            assertThat(got).hasSize(sent.size());
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
            got.forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
            Map<Integer, Integer> next = new HashMap<>();
            for (ProducerRecord<byte[], byte[]> s : sent) {
                int index = next.merge(s.partition(), 1, Integer::sum) - 1;
                ConsumerRecord<byte[], byte[]> r = byPartition.get(s.partition()).get(index);
                assertThat(r.offset()).isEqualTo(index);
                assertThat(r.key()).isEqualTo(s.key());
                assertThat(r.value()).isEqualTo(s.value());
                assertThat(r.timestamp()).isEqualTo(s.timestamp());
                assertThat(r.serializedValueSize()).isEqualTo(s.value() == null ? -1 : s.value().length);
                List<String> keys = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                r.headers().forEach(h -> {
                    keys.add(h.key());
                    ByteBuffer v = h.value();
                    values.add(v == null ? null : bytes(v));
                });
                List<String> sentKeys = new ArrayList<>();
                List<byte[]> sentValues = new ArrayList<>();
                s.headers().forEach(h -> {
                    sentKeys.add(h.key());
                    sentValues.add(h.value());
                });
                assertThat(keys).isEqualTo(sentKeys);
                assertThat(values).containsExactlyElementsOf(sentValues);
            }
            assertThat(consumer.position(new TopicPartition(topic, 0))).isEqualTo(150);
        }
    }

    @Test
    void seekOffsetsForTimesAndEdgeOffsetsReplay() throws Exception {
        String topic = "replay";
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var producer = producer("lz4")) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1_000_000L + i * 10L, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
        try (var consumer = consumer(config(null))) {
            consumer.assign(List.of(tp));
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 100L);
            Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(Map.of(tp, 1_000_000L + 425));
            assertThat(byTime.get(tp).offset()).isEqualTo(43);
            assertThat(byTime.get(tp).timestamp()).isEqualTo(1_000_000L + 430);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 9_000_000L)).get(tp)).isNull();

            consumer.seek(tp, byTime.get(tp).offset());
            List<ConsumerRecord<byte[], byte[]>> replay = pollFor(consumer, 57);
            assertThat(replay.get(0).offset()).isEqualTo(43);
            assertThat(replay.get(0).value()).containsExactly(43);
            assertThat(replay).extracting(ConsumerRecord::offset).isSorted().doesNotHaveDuplicates();

            consumer.seekToBeginning(List.of());
            assertThat(consumer.position(tp)).isEqualTo(0);
            assertThat(pollFor(consumer, 100).get(0).offset()).isZero();
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(100);
            assertThatThrownBy(() -> consumer.seek(tp, -1)).hasMessageContaining("-1");
            assertThatThrownBy(() -> consumer.seek(new TopicPartition("other", 0), 1)).hasMessageContaining("other-0");
        }
    }

    @Test
    void pausedPartitionsReturnNothingUntilResumed() throws Exception {
        String topic = "pause";
        createTopic(topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (var producer = producer("none")) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
        try (var consumer = consumer(config(null))) {
            consumer.assign(List.of(p0, p1));
            consumer.pause(List.of(p1));
            assertThat(consumer.paused()).containsExactly(p1);
            List<ConsumerRecord<byte[], byte[]>> got = pollFor(consumer, 10);
            assertThat(got).allMatch(r -> r.partition() == 0);
            // A few more polls while paused still bring nothing of p1.
            for (int i = 0; i < 3; i++) {
                assertThat(consumer.poll(Duration.ofMillis(100)).records(p1)).isEmpty();
            }
            consumer.resume(List.of(p1));
            assertThat(pollFor(consumer, 10)).allMatch(r -> r.partition() == 1).hasSize(10);
        }
    }

    @Test
    void wakeupEndsABlockingPollFromAnotherThread() throws Exception {
        createTopic("wakeup", 1);
        try (var consumer = consumer(config(null))) {
            consumer.assign(List.of(new TopicPartition("wakeup", 0)));
            consumer.poll(Duration.ZERO);
            Thread poller = Thread.currentThread();
            Thread waker = new Thread(() -> {
                Await.until("the poll to block", Duration.ofSeconds(10),
                    () -> poller.getState() == Thread.State.TIMED_WAITING || poller.getState() == Thread.State.WAITING);
                consumer.wakeup();
            });
            long start = System.nanoTime();
            waker.start();
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30))).isInstanceOf(WakeupException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            waker.join();
            // The wakeup is used up: the next poll works.
            consumer.poll(Duration.ofMillis(10));
            // A wakeup while not polling is kept for the next call.
            consumer.wakeup();
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(WakeupException.class);
        }
    }

    @Test
    void commitsSyncAsyncAndAutoAreSeenByTheGroup() throws Exception {
        String topic = "commits";
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var producer = producer("none")) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
        Map<String, Object> manual = config("commit-group");
        manual.put("enable.auto.commit", "false");
        manual.put("max.poll.records", "10");
        try (var consumer = consumer(manual)) {
            consumer.assign(List.of(tp));
            pollFor(consumer, 10);
            consumer.commitSync();
            assertThat(consumer.committed(Set.of(tp)).get(tp).offset()).isEqualTo(consumer.position(tp));

            List<Map<TopicPartition, OffsetAndMetadata>> done = new CopyOnWriteArrayList<>();
            AtomicReference<Exception> failure = new AtomicReference<>();
            consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(17, "note")), (offsets, e) -> {
                done.add(offsets);
                failure.set(e);
            });
            Await.until("the async commit callback", Duration.ofSeconds(10), () -> {
                consumer.poll(Duration.ofMillis(50));
                return !done.isEmpty();
            });
            assertThat(failure.get()).isNull();
            assertThat(done.get(0)).containsEntry(tp, new OffsetAndMetadata(17, "note"));
            OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
            assertThat(committed.offset()).isEqualTo(17);
            assertThat(committed.metadata()).isEqualTo("note");
        }

        Map<String, Object> auto = config("auto-group");
        auto.put("auto.commit.interval.ms", "100");
        try (var consumer = consumer(auto)) {
            consumer.assign(List.of(tp));
            pollFor(consumer, 30);
            Await.until("an auto-commit at 30", Duration.ofSeconds(10), () -> {
                consumer.poll(Duration.ofMillis(50));
                OffsetAndMetadata c = consumer.committed(Set.of(tp)).get(tp);
                return c != null && c.offset() == 30;
            });
        }
    }

    /**
     * A poll deadline that passes before the group's or the lookups' answers leaves those requests in flight for
     * the next poll: a loop of poll(0) joins once and reads everything, by subscription and by assignment.
     */
    @Test
    void pollsWithAZeroTimeoutJoinOnceFindPositionsAndRead() throws Exception {
        String topic = "zero-timeout";
        createTopic(topic, 2);
        try (var producer = producer("none")) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
        int[] assignedCalls = {0};
        try (var consumer = consumer(config("zero-timeout-group"))) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    assignedCalls[0]++;
                }
            });
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            Await.until("40 records by subscription with poll(0)", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ZERO).forEach(got::add);
                return got.size() >= 40;
            });
            assertThat(got).hasSize(40);
            assertThat(assignedCalls[0]).as("joins").isEqualTo(1);
        }
        try (var consumer = consumer(config(null))) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            Await.until("40 records by assignment with poll(0)", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ZERO).forEach(got::add);
                return got.size() >= 40;
            });
            assertThat(got).hasSize(40);
        }
    }

    /**
     * One partition caught up, the other with many small answers to fetch: the caught-up one must not be
     * long-polled alone while the other is held back by the buffer bound, or each pair of answers of the busy
     * partition waits fetch.max.wait.ms (here 3 s; ten such waits would be 30 s).
     */
    @Test
    void aCaughtUpPartitionDoesNotStallTheOthersForFetchMaxWait() throws Exception {
        String topic = "uneven";
        createTopic(topic, 2);
        try (var producer = producer("none")) {
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {0}));
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(topic, 1, null, new byte[1000]));
                producer.flush(); // one batch each, so max.partition.fetch.bytes takes a few per answer
            }
        }
        Map<String, Object> c = config(null);
        c.put("fetch.max.wait.ms", "3000");
        c.put("max.partition.fetch.bytes", "4096");
        c.put("max.poll.records", "2");
        try (var consumer = consumer(c)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            Await.until("41 records well within one fetch.max.wait.ms per answer", Duration.ofSeconds(8), () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(got::add);
                return got.size() >= 41;
            });
            assertThat(got).hasSize(41);
        }
    }

    @Test
    void invalidConfigsNameKeyValueAndRange() {
        Map<String, Object> c = config("g");
        c.put("max.poll.records", "0");
        assertThatThrownBy(() -> consumer(c)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("max.poll.records").hasMessageContaining("0").hasMessageContaining("[1, 2147483647]");
        Map<String, Object> reset = config("g");
        reset.put("auto.offset.reset", "smallest");
        assertThatThrownBy(() -> consumer(reset)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("auto.offset.reset").hasMessageContaining("smallest").hasMessageContaining("earliest, latest, none");
        Map<String, Object> heartbeat = config("g");
        heartbeat.put("session.timeout.ms", "6000");
        heartbeat.put("heartbeat.interval.ms", "6000");
        assertThatThrownBy(() -> consumer(heartbeat)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("heartbeat.interval.ms").hasMessageContaining("session.timeout.ms (6000)");
        Map<String, Object> strategy = config("g");
        strategy.put("partition.assignment.strategy", "range,fancy");
        assertThatThrownBy(() -> consumer(strategy)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("partition.assignment.strategy").hasMessageContaining("fancy");
        try (var noGroup = consumer(config(null))) {
            assertThatThrownBy(() -> noGroup.subscribe(List.of("t"))).hasMessageContaining("group.id");
            assertThatThrownBy(() -> noGroup.poll(Duration.ZERO)).hasMessageContaining("not subscribed");
        }
    }

    @Test
    void anUnreachableBootstrapFailsClearlyInsteadOfHanging() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "127.0.0.1:" + closedPort);
        c.put("default.api.timeout.ms", "2000");
        try (var consumer = consumer(c)) {
            TopicPartition tp = new TopicPartition("t", 0);
            long start = System.nanoTime();
            assertThatThrownBy(() -> consumer.endOffsets(List.of(tp)))
                .isInstanceOf(io.tributary.clients.errors.TimeoutException.class)
                .hasMessageContaining("t-0");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
