package io.tributary.server.txn;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka Streams 4.3.1 word count with {@code processing.guarantee=exactly_once_v2} and two stream threads against
 * one broker: the counts read with read_committed are exact, also after the application is stopped, its state
 * directory wiped, and started again (its stores restored from the changelog, more input counted on top).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StreamsExactlyOnceTest {
    private static final String IN = "lines";
    private static final String OUT = "word-counts";
    private static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta");

    private final BrokerFixture fixture = new BrokerFixture(Map.of("transaction.state.log.num.partitions", "4",
        "offsets.topic.num.partitions", "4", "group.initial.rebalance.delay.ms", "0"));
    private Path stateDir;

    @AfterEach
    void close() throws Exception {
        fixture.close();
        if (stateDir != null) {
            try (Stream<Path> paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private KafkaStreams start() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(IN)
            .flatMapValues(line -> Arrays.asList(line.split(" ")))
            .groupBy((key, word) -> word)
            .count()
            .toStream()
            .to(OUT, Produced.with(Serdes.String(), Serdes.Long()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.start();
        return streams;
    }

    private void produceLines(int from, int to, Map<String, Long> expected) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap()),
            new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                String line = WORDS.get(i % WORDS.size()) + " " + WORDS.get((i * 3) % WORDS.size()) + " " + WORDS.get((i / 2) % WORDS.size());
                for (String w : line.split(" ")) {
                    expected.merge(w, 1L, Long::sum);
                }
                producer.send(new ProducerRecord<>(IN, "line-" + i, line));
            }
            producer.flush();
        }
    }

    /** The latest count of each word in the output, read with read_committed, once it equals {@code expected}. */
    private void awaitCounts(Map<String, Long> expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Long> latest = new HashMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new LongDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(OUT, 0), new org.apache.kafka.common.TopicPartition(OUT, 1)));
            Await.until("the committed counts reach " + expected, Duration.ofSeconds(120), () -> {
                for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                    Long before = latest.put(r.key(), r.value());
                    // a count only grows: a value seen twice or going back would be a duplicate or a lost update
                    assertThat(r.value()).as("count of %s after %s", r.key(), before).isGreaterThan(before == null ? 0 : before);
                }
                return latest.equals(expected);
            });
        }
        assertThat(latest).isEqualTo(expected);
    }

    @Test
    void wordCountIsExactAlsoAfterARestartFromAWipedStateDirectory() throws Exception {
        stateDir = Files.createTempDirectory("streams-eos");
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(IN, 2, (short) 1), new NewTopic(OUT, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Long> expected = new HashMap<>();
        produceLines(0, 300, expected);
        KafkaStreams streams = start();
        try {
            awaitCounts(expected);
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        streams.cleanUp(); // wipe the local state: the stores come back from their changelogs

        produceLines(300, 500, expected);
        KafkaStreams again = start();
        try {
            awaitCounts(expected);
            assertThat(again.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        } finally {
            again.close(Duration.ofSeconds(30));
        }
    }
}
