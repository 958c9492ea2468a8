package io.tributary.server.group;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Apache Kafka consumer in a group, subscribed to one topic and polled by its own thread until closed, as
 * an application runs it. Every rebalance callback is recorded; each record is handed to the test's processor
 * on the polling thread, and a batch is processed completely before the next poll or the close.
 *
 * <p>With manual commits, it commits synchronously every {@code commitEveryPolls} non-empty polls and in
 * {@code onPartitionsRevoked}: the offsets committed when a partition is given up are exactly the records
 * processed, which is what the next owner must start from.
 */
final class PolledConsumer implements AutoCloseable {
    /** A rebalance callback: "assigned", "revoked" or "lost", with its partitions. */
    record Callback(String kind, Set<TopicPartition> partitions) {
    }

    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final Consumer<ConsumerRecord<String, String>> processor;
    private final int commitEveryPolls;
    private final boolean manualCommits;
    private final Thread thread;
    private final List<Callback> callbacks = new ArrayList<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile int generation = -1;
    private volatile String memberId = "";
    private volatile boolean stopping;

    /**
     * Starts polling at once.
     *
     * @param settings         consumer settings (bootstrap, group, ...) on top of string deserializers
     * @param commitEveryPolls with manual commits (enable.auto.commit=false): commit after this many non-empty
     *                         polls, 0 for only on revocation and close
     */
    PolledConsumer(String name, Map<String, Object> settings, String topic, Consumer<ConsumerRecord<String, String>> processor,
                   int commitEveryPolls) {
        this.name = name;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        properties.putAll(settings);
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        this.processor = processor;
        this.commitEveryPolls = commitEveryPolls;
        this.manualCommits = "false".equals(String.valueOf(settings.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)));
        this.thread = new Thread(() -> run(topic), "consumer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (manualCommits) {
                        consumer.commitSync();
                    }
                    recordCallback("revoked", partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    recordCallback("assigned", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    recordCallback("lost", partitions);
                }
            });
            int nonEmptyPolls = 0;
            while (!stopping) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                for (ConsumerRecord<String, String> record : records) {
                    processor.accept(record);
                }
                processed.addAndGet(records.count());
                polls.incrementAndGet();
                if (manualCommits && commitEveryPolls > 0 && !records.isEmpty() && ++nonEmptyPolls % commitEveryPolls == 0) {
                    consumer.commitSync();
                }
                observe();
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(20)));
            closed.complete(null);
        } catch (Throwable t) {
            closed.completeExceptionally(t);
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void recordCallback(String kind, Collection<TopicPartition> partitions) {
        synchronized (callbacks) {
            callbacks.add(new Callback(kind, Set.copyOf(partitions)));
        }
        observe();
    }

    private void observe() {
        assignment = Set.copyOf(consumer.assignment());
        generation = consumer.groupMetadata().generationId();
        memberId = consumer.groupMetadata().memberId();
    }

    String name() {
        return name;
    }

    /** The partitions assigned as of the last poll or callback. */
    Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Partition numbers of {@link #assignment()}. */
    Set<Integer> partitions() {
        Set<Integer> partitions = new HashSet<>();
        assignment.forEach(tp -> partitions.add(tp.partition()));
        return partitions;
    }

    int generation() {
        return generation;
    }

    String memberId() {
        return memberId;
    }

    long processed() {
        return processed.get();
    }

    /** Polls completed so far. */
    long polls() {
        return polls.get();
    }

    List<Callback> callbacks() {
        synchronized (callbacks) {
            return List.copyOf(callbacks);
        }
    }

    /**
     * Stops polling after the current batch and closes the consumer (revocation callbacks, commit, leave).
     *
     * @throws ExecutionException the polling thread failed (the cause), or did not close within 60 s
     */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        stopping = true;
        try {
            closed.get(60, TimeUnit.SECONDS);
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while closing consumer " + name, e);
        }
    }
}
