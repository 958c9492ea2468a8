package io.tributary.clients.routing;

import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.ConsumerRecords;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.RecordMetadata;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.consumer.RecordFilter;
import io.tributary.clients.routing.consumer.RoutingConsumer;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The growth-under-load scenario of issue #6: two of our producers write per-key sequence numbers 0, 1, 2, ... for
 * {@code keys} keys while the topic grows 6 -> 12 -> 18 partitions; a group of our consumers processes them and
 * checks, at the moment each record is handed out, that it carries the next number of its key.
 *
 * <p>Producer "fresh" refreshes its metadata every 200 ms; producer "stale" keeps Kafka's 5-minute
 * metadata.max.age.ms, so it learns of each growth only when the broker refuses its records. Each writes half the
 * keys, each key in order, a round of all its keys at a time. The growths happen while the producers write rounds 2
 * and 4, and both producers write further rounds after each. Consumers
 * commit synchronously after processing each poll's records, as the hold requires.
 */
final class GrowthScenario {
    static final int KEYS = 10_000;
    /** The partition counts of the two growths, and the rounds after which each happens. */
    private static final int[] GROW_TO = {12, 18};
    private static final int[] GROWTH_ROUNDS = {2, 4};

    /** What the consumers saw. */
    record Outcome(long processed, long outOfOrder, long duplicates, int keysComplete, int staleProducerOnAddedPartitions,
                   List<String> examples, List<Throwable> errors, long heldPartitionsSeen, Map<Integer, Long> processedByPartition) {
    }

    private final BrokerFixture broker;
    private final String topic;
    private final boolean ordered;
    private final int rounds;
    private final int consumers;
    /** When set, the group starts only after both producers are done, so it reads a backlog spanning both growths. */
    private boolean consumersStartBehind;

    GrowthScenario(BrokerFixture broker, String topic, boolean ordered, int rounds, int consumers) {
        this.broker = broker;
        this.topic = topic;
        this.ordered = ordered;
        this.rounds = rounds;
        this.consumers = consumers;
    }

    /** The group starts once the producers have finished: every partition, old and added, has a backlog. */
    GrowthScenario consumersStartBehind() {
        this.consumersStartBehind = true;
        return this;
    }

    Outcome run(Duration timeout) throws Exception {
        try (var admin = broker.admin()) {
            NewTopic t = new NewTopic(topic, 6, (short) 1);
            if (ordered) {
                t.configs(Map.of("routing.mode", "ordered"));
            }
            admin.createTopics(List.of(t)).all().get();
        }
        long total = (long) KEYS * rounds;
        AtomicReferenceArray<Integer> lastSeen = new AtomicReferenceArray<>(KEYS);
        LongAdder processed = new LongAdder();
        Map<Integer, LongAdder> byPartition = new ConcurrentHashMap<>();
        AtomicLong outOfOrder = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong heldSeen = new AtomicLong();
        List<String> examples = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + timeout.toNanos();

        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            int id = c;
            threads.add(thread("consumer-" + c, errors, () -> {
                try (var consumer = new RoutingConsumer<>(consumerConfig(id), new StringDeserializer(), new StringDeserializer(),
                    RecordFilter.all())) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get() && System.nanoTime() - deadline < 0) {
                        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                        heldSeen.accumulateAndGet(consumer.held().size(), Math::max);
                        for (ConsumerRecord<String, String> r : records) {
                            int key = Integer.parseInt(r.key().substring(4));
                            int seq = Integer.parseInt(r.value());
                            Integer before = lastSeen.getAndSet(key, seq);
                            int expected = before == null ? 0 : before + 1;
                            if (seq != expected) {
                                if (before != null && seq <= before) {
                                    duplicates.incrementAndGet();
                                    lastSeen.accumulateAndGet(key, before, Math::max);
                                } else {
                                    outOfOrder.incrementAndGet();
                                }
                                if (examples.size() < 10) {
                                    examples.add(r.key() + ": got " + seq + " after " + before + " (partition " + r.partition()
                                        + ", offset " + r.offset() + ")");
                                }
                            }
                            processed.increment();
                            byPartition.computeIfAbsent(r.partition(), p -> new LongAdder()).increment();
                        }
                        if (!records.isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                }
            }));
        }
        if (!consumersStartBehind) {
            threads.forEach(Thread::start);
        }

        AtomicLong acked = new AtomicLong();
        java.util.concurrent.CountDownLatch[] grown = {new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1)};
        Map<String, AtomicInteger> onAdded = new ConcurrentHashMap<>();
        List<Thread> producers = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            int first = half * KEYS / 2;
            String name = half == 0 ? "fresh" : "stale";
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("linger.ms", 5);
            config.put("client.id", "growth-" + name);
            config.put("metadata.max.age.ms", half == 0 ? 200 : 300_000);
            boolean fresh = half == 0;
            producers.add(thread("producer-" + name, errors, () -> {
                AtomicInteger added = onAdded.computeIfAbsent(name, n -> new AtomicInteger());
                try (var producer = new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
                    for (int round = 0; round < rounds; round++) {
                        for (int k = first; k < first + KEYS / 2; k++) {
                            producer.send(new ProducerRecord<>(topic, String.format("key-%05d", k), Integer.toString(round)),
                                (RecordMetadata md, Exception e) -> {
                                    if (e != null) {
                                        errors.add(e);
                                        return;
                                    }
                                    if (md.partition().partition() >= 6) {
                                        added.incrementAndGet();
                                    }
                                    acked.incrementAndGet();
                                });
                        }
                        producer.flush();
                        int stage = round == GROWTH_ROUNDS[0] ? 0 : round == GROWTH_ROUNDS[1] ? 1 : -1;
                        if (stage >= 0) {
                            // The growth lands while the slower producer is still writing this round; the faster one
                            // waits for it here, so that each growth is followed by rounds from both producers.
                            if (!grown[stage].await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                                throw new AssertionError("the topic did not grow in time");
                            }
                            if (fresh) {
                                io.tributary.server.Await.until("the fresh producer sees " + GROW_TO[stage] + " partitions",
                                    Duration.ofSeconds(10), () -> producer.cluster().partitionCount(topic) == GROW_TO[stage]);
                            }
                        }
                    }
                }
            }));
        }
        producers.forEach(Thread::start);

        try (var admin = broker.admin()) {
            for (int g = 0; g < GROW_TO.length; g++) {
                // Half a round before the end of the round the producers stop after.
                long at = (long) KEYS * (GROWTH_ROUNDS[g] + 1) - KEYS / 2;
                while (acked.get() < at && errors.isEmpty() && System.nanoTime() - deadline < 0) {
                    TimeUnit.MILLISECONDS.sleep(1);   // polls the producers' progress; the growth lands wherever they are
                }
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(GROW_TO[g]))).all().get();
                grown[g].countDown();
            }
        }
        for (Thread p : producers) {
            p.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (consumersStartBehind) {
            threads.forEach(Thread::start);
        }
        while (processed.sum() < total && errors.isEmpty() && System.nanoTime() - deadline < 0) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        int complete = 0;
        for (int k = 0; k < KEYS; k++) {
            Integer last = lastSeen.get(k);
            if (last != null && last == rounds - 1) {
                complete++;
            }
        }
        return new Outcome(processed.sum(), outOfOrder.get(), duplicates.get(), complete,
            onAdded.getOrDefault("stale", new AtomicInteger()).get(), List.copyOf(examples), List.copyOf(errors), heldSeen.get(),
            new java.util.TreeMap<>(byPartition.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, en -> en.getValue().sum()))));
    }

    private Map<String, Object> consumerConfig(int id) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrap());
        c.put("group.id", topic + "-group");
        c.put("client.id", topic + "-consumer-" + id);
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", false);
        c.put("fetch.max.wait.ms", 50);
        c.put("metadata.max.age.ms", 200);
        c.put("max.poll.records", 1000);
        c.put(RoutingConsumer.HOLD_CHECK_INTERVAL_MS.name(), 20);
        return c;
    }

    private static Thread thread(String name, List<Throwable> errors, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
