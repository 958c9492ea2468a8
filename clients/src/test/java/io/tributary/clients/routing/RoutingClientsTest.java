package io.tributary.clients.routing;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.consumer.RecordFilter;
import io.tributary.clients.routing.consumer.RoutingConsumer;
import io.tributary.clients.routing.exchange.Binding;
import io.tributary.clients.routing.exchange.Bindings;
import io.tributary.clients.routing.exchange.RoutingProducer;
import io.tributary.clients.routing.retry.RetryingProcessor;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing layer's client parts over a real broker: bindings (fanout exactly once, direct and patterns, changed at
 * run time and from a file), filtered consumption that commits to the end, and retries with dead letters.
 */
class RoutingClientsTest {
    private static BrokerFixture broker;
    private static TributaryProducer<String, String> producer;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0"));
        producer = new TributaryProducer<>(Map.of("bootstrap.servers", broker.bootstrap(), "linger.ms", 2),
            new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    private static void createTopics(int partitions, String... names) throws Exception {
        try (var admin = broker.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    /** Every record of the topic, read from the start by partition assignment. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> c = Map.of("bootstrap.servers", broker.bootstrap(), "auto.offset.reset", "earliest");
        try (var consumer = new TributaryConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            consumer.assign(partitions);
            long total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            Await.until(total + " records of " + topic, Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(50)).forEach(all::add);
                return all.size() >= total;
            });
            return all;
        }
    }

    private static Map<String, Object> groupConfig(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", false);
        c.put("fetch.max.wait.ms", 50);
        return c;
    }

    @Test
    void aSendReachesEveryBoundTopicExactlyOnce() throws Exception {
        createTopics(3, "ex-audit", "ex-orders", "ex-eu", "ex-payments");
        Bindings bindings = Bindings.of(
            Binding.fanout("ex-audit"),
            Binding.topic("order.#", "ex-orders"),
            Binding.fanout("ex-orders"),                  // a second binding to the same topic: still one copy
            Binding.topic("*.eu.*", "ex-eu"),
            Binding.direct("payment.created", "ex-payments"));
        RoutingProducer<String, String> routing = new RoutingProducer<>(producer, bindings);
        List<String> routingKeys = List.of("order.eu.created", "order.us.created", "payment.created", "payment.eu.refunded", "ping");
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String routingKey = routingKeys.get(i % routingKeys.size());
            List<CompletableFuture<RecordMetadata>> copies = routing.send(routingKey, "k" + (i % 17), "m" + i);
            assertThat(copies).hasSize(bindings.destinations(routingKey).size());
            sent.addAll(copies);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (String topic : List.of("ex-audit", "ex-orders")) {
            List<ConsumerRecord<String, String>> records = readAll(topic);
            assertThat(records).extracting(ConsumerRecord::value).hasSize(200).doesNotHaveDuplicates();
        }
        assertThat(readAll("ex-eu")).extracting(r -> RecordFilter.routingKeyOf(r))
            .hasSize(80).containsOnly("order.eu.created", "payment.eu.refunded");
        assertThat(readAll("ex-payments")).extracting(r -> RecordFilter.routingKeyOf(r)).hasSize(40).containsOnly("payment.created");
        // A key's copies keep their order within each destination: one partition per key, increasing values.
        Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
        Map<String, Integer> lastOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : readAll("ex-audit")) {
            partitionsOfKey.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
        }
        assertThat(partitionsOfKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        List<ConsumerRecord<String, String>> audit = new ArrayList<>(readAll("ex-audit"));
        audit.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        for (ConsumerRecord<String, String> r : audit) {
            int n = Integer.parseInt(r.value().substring(1));
            Integer before = lastOfKey.put(r.key(), n);
            assertThat(before == null || before < n).as("%s after %s", r, before).isTrue();
        }
    }

    @Test
    void bindingsChangeAtRunTimeAndFromAFile(@TempDir Path dir) throws Exception {
        createTopics(1, "rt-a", "rt-b");
        RoutingProducer<String, String> routing = new RoutingProducer<>(producer, Bindings.NONE);
        assertThat(routing.send("x.y", "k", "nowhere")).isEmpty();
        routing.bind(Binding.topic("x.*", "rt-a"));
        routing.send("x.y", "k", "one").get(0).get(10, TimeUnit.SECONDS);
        Path file = dir.resolve("bindings.txt");
        Files.writeString(file, "// replaces the bindings above\ntopic x.# rt-b\ndirect x.y rt-b\n", StandardCharsets.UTF_8);
        routing.reload(file);
        assertThat(routing.bindings().all()).containsExactly(Binding.topic("x.#", "rt-b"), Binding.direct("x.y", "rt-b"));
        for (CompletableFuture<RecordMetadata> f : routing.send("x.y", "k", "two")) {
            f.get(10, TimeUnit.SECONDS);
        }
        routing.unbind(Binding.topic("x.#", "rt-b"));
        assertThat(routing.send("x.z", "k", "three")).isEmpty();

        assertThat(readAll("rt-a")).extracting(ConsumerRecord::value).containsExactly("one");
        assertThat(readAll("rt-b")).extracting(ConsumerRecord::value).containsExactly("two");
    }

    @Test
    void aFilteredConsumerSeesExactlyTheMatchingRecordsAndCommitsToTheEnd() throws Exception {
        createTopics(3, "filtered");
        RoutingProducer<String, String> routing = new RoutingProducer<>(producer, Bindings.of(Binding.fanout("filtered")));
        List<String> routingKeys = List.of("order.eu.created", "order.us.created", "order.eu.cancelled", "stock.eu.created");
        Set<String> expected = new HashSet<>();
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String routingKey = routingKeys.get(i % routingKeys.size());
            boolean urgent = i % 3 == 0;
            if (i % 5 == 0) {
                // No routing-key header: the record key is matched.
                ProducerRecord<String, String> plain = new ProducerRecord<>("filtered", routingKey, "v" + i);
                plain.headers().add("priority", (urgent ? "high" : "low").getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(plain));
            } else {
                sent.addAll(routing.send(routingKey, "key" + i, "v" + i));
            }
            if (routingKey.matches("order\\.[^.]*\\.created") && !(i % 5 == 0 && urgent)) {
                expected.add("v" + i);
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // Created orders, except keyed ones marked high priority (a header predicate, negated).
        RecordFilter filter = RecordFilter.routingKey("order.*.created").and(RecordFilter.headerEquals("priority", "high").negate());
        List<String> seen = new ArrayList<>();
        try (var consumer = new RoutingConsumer<>(groupConfig("filtered-group"), new StringDeserializer(), new StringDeserializer(), filter)) {
            consumer.subscribe(List.of("filtered"));
            Await.until("every matching record", Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                consumer.commitSync();
                return seen.size() >= expected.size();
            });
            // Keep polling until the positions reach the end: the records after the last match are skipped, not left.
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> ends = endOffsets(partitions);
            Await.until("committed offsets at the end", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> seen.add(r.value()));
                consumer.commitSync();
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
                return partitions.stream().allMatch(tp -> committed.get(tp) != null && committed.get(tp).offset() == ends.get(tp));
            });
        }
        assertThat(seen).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        Map<String, Object> c = Map.of("bootstrap.servers", broker.bootstrap());
        try (var consumer = new TributaryConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(partitions);
        }
    }

    @Test
    void failingRecordsAreRetriedThenDeadLetteredOnceAndEverythingIsCommitted() throws Exception {
        createTopics(3, "work", "work.DLT");
        int count = 300;
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(producer.send(new ProducerRecord<>("work", "key" + (i % 23), Integer.toString(i))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // Records divisible by 37 always fail; those divisible by 11 fail on their first try only.
        Map<Integer, AtomicInteger> tries = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> successes = new ConcurrentHashMap<>();
        Map<String, Integer> lastPerKey = new HashMap<>();
        List<String> orderViolations = new ArrayList<>();
        Set<Integer> poison = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (i % 37 == 0) {
                poison.add(i);
            }
        }
        int maxRetries = 2;
        try (var consumer = new RoutingConsumer<>(groupConfig("work-group"), new StringDeserializer(), new StringDeserializer(),
            RecordFilter.all())) {
            RetryingProcessor<String, String> processor = new RetryingProcessor<>(consumer, producer, r -> {
                int n = Integer.parseInt(r.value());
                int attempt = tries.computeIfAbsent(n, x -> new AtomicInteger()).incrementAndGet();
                if (poison.contains(n)) {
                    throw new IllegalStateException("record " + n + " cannot be processed");
                }
                if (n % 11 == 0 && attempt == 1) {
                    throw new java.io.IOException("transient failure of " + n);
                }
                successes.computeIfAbsent(n, x -> new AtomicInteger()).incrementAndGet();
                Integer before = lastPerKey.put(r.key(), n);
                if (before != null && before > n) {
                    orderViolations.add(r.key() + ": " + n + " after " + before);
                }
            }, maxRetries, Duration.ofMillis(10), Duration.ofMillis(40));
            processor.subscribe(List.of("work"));
            AtomicInteger handled = new AtomicInteger();
            Await.until("every record handled or dead-lettered", Duration.ofSeconds(30), () -> {
                handled.addAndGet(processor.pollOnce(Duration.ofMillis(50)));
                return handled.get() >= count;
            });
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
            Map<TopicPartition, Long> ends = endOffsets(partitions);
            assertThat(partitions).hasSize(3);
            partitions.forEach(tp -> assertThat(committed.get(tp).offset()).as("committed %s", tp).isEqualTo(ends.get(tp)));
        }

        for (int i = 0; i < count; i++) {
            if (poison.contains(i)) {
                assertThat(tries.get(i).get()).as("tries of %s", i).isEqualTo(1 + maxRetries);
                assertThat(successes).doesNotContainKey(i);
            } else {
                assertThat(successes.get(i)).as("successes of %s", i).hasValue(1);
            }
        }
        assertThat(orderViolations).isEmpty();
        List<ConsumerRecord<String, String>> dead = readAll("work.DLT");
        assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(poison.stream().map(String::valueOf).toList());
        Map<String, List<ConsumerRecord<String, String>>> sources = new HashMap<>();
        for (ConsumerRecord<String, String> r : readAll("work")) {
            sources.computeIfAbsent(r.value(), v -> new ArrayList<>()).add(r);
        }
        for (ConsumerRecord<String, String> d : dead) {
            ConsumerRecord<String, String> source = sources.get(d.value()).get(0);
            assertThat(header(d, RoutingHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("work");
            assertThat(header(d, RoutingHeaders.DLT_ORIGINAL_PARTITION)).isEqualTo(Integer.toString(source.partition()));
            assertThat(header(d, RoutingHeaders.DLT_ORIGINAL_OFFSET)).isEqualTo(Long.toString(source.offset()));
            assertThat(header(d, RoutingHeaders.DLT_EXCEPTION_CLASS)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(d, RoutingHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("record " + d.value() + " cannot be processed");
            assertThat(header(d, RoutingHeaders.DLT_ATTEMPTS)).isEqualTo(Integer.toString(1 + maxRetries));
            assertThat(d.key()).isEqualTo(source.key());
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        byte[] v = r.headers().lastValue(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
}
