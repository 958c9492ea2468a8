package io.tributary.clients.producer;

import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where callbacks and futures run: callbacks on the I/O thread in send order per partition, before the record's
 * future completes on the callback thread; from a callback, flush refuses and send does not wait for what only
 * the I/O thread could bring.
 */
class ProducerCallbackTest {
    @Test
    void callbacksRunOnTheIoThreadInOrderAndNeverBlockIt() throws Exception {
        try (BrokerFixture broker = new BrokerFixture(Map.of("auto.create.topics.enable", "false"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("calls", 2, (short) 1))).all().get();
            }
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", broker.bootstrap());
            config.put("linger.ms", 5);
            config.put("batch.size", 1024);
            config.put("max.block.ms", 60_000);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            List<String> callbackThreads = Collections.synchronizedList(new ArrayList<>());
            List<String> futureThreads = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> fromCallback = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Long> missingTopicFailedAfterNanos = new CompletableFuture<>();
            CompletableFuture<RecordMetadata> sentFromCallback = new CompletableFuture<>();
            try (TributaryProducer<String, String> producer = new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    String value = (i % 2) + ":" + i;
                    CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("calls", i % 2, null, value), (md, e) -> {
                        callbackThreads.add(Thread.currentThread().getName());
                        order.add(value);
                    });
                    futures.add(f);
                    f.thenRun(() -> futureThreads.add(Thread.currentThread().getName()));
                }
                producer.send(new ProducerRecord<>("calls", 0, null, "last"), (md, e) -> {
                    try {
                        producer.flush();
                    } catch (IllegalStateException expected) {
                        fromCallback.add(expected);
                    }
                    long start = System.nanoTime();
                    try {
                        producer.send(new ProducerRecord<>("no-such-topic", "x"));
                    } catch (TimeoutException expected) {
                        fromCallback.add(expected);
                        missingTopicFailedAfterNanos.complete(System.nanoTime() - start);
                    }
                    producer.send(new ProducerRecord<>("calls", 1, null, "from-callback")).whenComplete((m, error) -> {
                        if (error != null) {
                            sentFromCallback.completeExceptionally(error);
                        } else {
                            sentFromCallback.complete(m);
                        }
                    });
                });
                producer.flush();
                assertThat(sentFromCallback.get(30, TimeUnit.SECONDS).offset()).isNotNegative();
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
            assertThat(callbackThreads).hasSize(500).allMatch(name -> name.startsWith("tributary-io-"));
            // Continuations run on the callback thread (or the registering one, if already complete), never the I/O thread.
            assertThat(futureThreads).hasSize(500).noneMatch(name -> name.startsWith("tributary-io-"))
                .anyMatch(name -> name.startsWith("tributary-producer-callbacks-"));
            for (int p = 0; p < 2; p++) {
                String prefix = p + ":";
                List<Integer> seen = order.stream().filter(v -> v.startsWith(prefix))
                    .map(v -> Integer.parseInt(v.substring(2))).toList();
                assertThat(seen).as("callbacks of partition %d", p).isSorted().hasSize(250);
            }
            assertThat(fromCallback).hasSize(2);
            assertThat(fromCallback.get(0)).hasMessageContaining("flush() from a producer callback");
            assertThat(fromCallback.get(1)).hasMessageContaining("no-such-topic").hasMessageContaining("callback");
            assertThat(missingTopicFailedAfterNanos.get()).isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }
}
