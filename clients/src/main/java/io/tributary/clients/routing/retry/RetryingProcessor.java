package io.tributary.clients.routing.retry;

import io.tributary.clients.Headers;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.ConsumerRebalanceListener;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.ConsumerRecords;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.routing.RoutingHeaders;
import io.tributary.clients.routing.consumer.RoutingConsumer;
import io.tributary.protocol.record.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link RecordHandler} over a {@link RoutingConsumer} with retries and dead letters: a record whose handler
 * throws is tried again after a backoff (doubling from {@code initialBackoff} up to {@code maxBackoff}), up to
 * {@code maxRetries} more times; then it is published to {@code <topic>.DLT} with headers naming where it came
 * from, the last exception and the number of attempts ({@link RoutingHeaders}), and only once that write is
 * acknowledged is it committed past.
 *
 * <h2>Guarantees</h2>
 * <ul>
 * <li>No record is committed before it was handled or dead-lettered: offsets committed after each poll are those
 *     just past the last record handled per partition.</li>
 * <li>A failing record blocks its own partition only: the partition is paused and rewound to the record until its
 *     retry is due, while the other partitions go on. Records after it in the partition (the same keys' later ones
 *     among them) wait, so per-key order in the source is kept.</li>
 * <li>Without rebalances or crashes each record is handled until it succeeds once, or dead-lettered once. After a
 *     crash, records after the last commit are handled again (at least once).</li>
 * </ul>
 * A dead-letter write that fails leaves the record uncommitted; it is tried again (another dead-letter attempt)
 * after the backoff.
 *
 * <p>Not thread-safe: the consumer's thread drives it with {@link #pollOnce}.
 */
public final class RetryingProcessor<K, V> {
    private record Failure(long offset, int attempts, long retryAtNanos) {
    }

    private final RoutingConsumer<K, V> consumer;
    private final TributaryProducer<K, V> deadLetters;
    private final RecordHandler<K, V> handler;
    private final int maxRetries;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final Map<TopicPartition, Failure> failing = new HashMap<>();

    /**
     * @param deadLetters writes dead letters; its serializers must match the consumer's deserializers
     * @param maxRetries  retries after the first attempt (0: dead-letter at the first failure)
     * @throws IllegalArgumentException for a negative retry count or backoff, or a maximum below the initial backoff
     */
    public RetryingProcessor(RoutingConsumer<K, V> consumer, TributaryProducer<K, V> deadLetters, RecordHandler<K, V> handler,
                             int maxRetries, Duration initialBackoff, Duration maxBackoff) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("Backoffs must satisfy 0 <= initial (" + initialBackoff + ") <= max (" + maxBackoff + ")");
        }
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.handler = handler;
        this.maxRetries = maxRetries;
        this.initialBackoffNanos = initialBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    /** Subscribes the consumer; partitions taken away forget their pending retries (their new owner starts over). */
    public void subscribe(Collection<String> topics) {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(failing::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
    }

    /**
     * One round: resumes partitions whose retry is due, polls (up to {@code timeout}), handles the records in order per
     * partition, and commits what was handled.
     *
     * @return how many records were handled or dead-lettered in this round
     */
    public int pollOnce(Duration timeout) {
        long now = System.nanoTime();
        long wait = timeout.toNanos();
        List<TopicPartition> due = new java.util.ArrayList<>();
        for (Map.Entry<TopicPartition, Failure> e : failing.entrySet()) {
            long untilRetry = e.getValue().retryAtNanos - now;
            if (untilRetry <= 0) {
                due.add(e.getKey());
            } else {
                wait = Math.min(wait, untilRetry);   // come back in time for the next retry
            }
        }
        consumer.resume(due);
        ConsumerRecords<K, V> records = consumer.poll(Duration.ofNanos(wait));
        Map<TopicPartition, OffsetAndMetadata> done = new LinkedHashMap<>();
        int handled = 0;
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<K, V> r : records.records(tp)) {
                Failure before = failing.get(tp);
                if (before != null && r.offset() < before.offset) {
                    continue;   // already handled; fetched before the rewind
                }
                if (attempt(tp, r, before)) {
                    done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                    handled++;
                } else {
                    break;   // the partition waits for the retry
                }
            }
        }
        if (!done.isEmpty()) {
            consumer.commitSync(done);
        }
        return handled;
    }

    /** Handles (or dead-letters) the record; false when it failed and waits for a retry. */
    private boolean attempt(TopicPartition tp, ConsumerRecord<K, V> r, Failure before) {
        int attempts = before != null && before.offset == r.offset() ? before.attempts + 1 : 1;
        Exception error;
        try {
            handler.handle(r);
            failing.remove(tp);
            return true;
        } catch (Exception e) {
            error = e;
        }
        if (attempts > maxRetries && deadLetter(r, error, attempts)) {
            failing.remove(tp);
            return true;
        }
        long backoff = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(30, attempts - 1));
        failing.put(tp, new Failure(r.offset(), attempts, System.nanoTime() + backoff));
        consumer.seek(tp, r.offset());
        consumer.pause(List.of(tp));
        return false;
    }

    private boolean deadLetter(ConsumerRecord<K, V> r, Exception error, int attempts) {
        Headers headers = new Headers();
        for (Header h : r.headers()) {
            headers.add(h);
        }
        headers.add(RoutingHeaders.DLT_ORIGINAL_TOPIC, utf8(r.topic()))
            .add(RoutingHeaders.DLT_ORIGINAL_PARTITION, utf8(Integer.toString(r.partition())))
            .add(RoutingHeaders.DLT_ORIGINAL_OFFSET, utf8(Long.toString(r.offset())))
            .add(RoutingHeaders.DLT_EXCEPTION_CLASS, utf8(error.getClass().getName()))
            .add(RoutingHeaders.DLT_EXCEPTION_MESSAGE, utf8(error.getMessage() == null ? "" : error.getMessage()))
            .add(RoutingHeaders.DLT_ATTEMPTS, utf8(Integer.toString(attempts)));
        try {
            deadLetters.send(new ProducerRecord<>(r.topic() + RoutingHeaders.DLT_SUFFIX, null, r.timestamp(), r.key(), r.value(), headers))
                .get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | TributaryException e) {
            return false;   // not committed; tried again after the backoff
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
