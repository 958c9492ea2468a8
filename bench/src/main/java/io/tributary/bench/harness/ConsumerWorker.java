package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchConsumer;
import io.tributary.bench.workload.Workload;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One consumer's poll loop: counts what arrives and, when an end-to-end recorder is given, records each
 * record's latency from the due time its producer stamped into it. A record without that header is counted
 * as an error (it was not sent by this run), and so is a record at or below an offset this consumer already
 * received on its partition: a redelivery, which an assigned consumer reading forward should never see.
 * Stops when asked; a failing poll is counted and retried.
 */
final class ConsumerWorker implements Runnable {
    private static final Duration POLL = Duration.ofMillis(100);
    private final BenchConsumer consumer;
    private final BenchClock clock;
    private final LatencyRecorder endToEnd;
    private final RunCounters counters;
    private final AtomicBoolean stop;
    /** Per partition (one topic per consumer), the offset after the last record received; 0 before any. */
    private long[] nextOffset = new long[0];

    /** @param endToEnd null when only counting, as a backlog read does */
    ConsumerWorker(BenchConsumer consumer, BenchClock clock, LatencyRecorder endToEnd, RunCounters counters, AtomicBoolean stop) {
        this.consumer = consumer;
        this.clock = clock;
        this.endToEnd = endToEnd;
        this.counters = counters;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get()) {
            try {
                consumer.poll(POLL, record -> {
                    long now = clock.nanoTime();
                    byte[] sendTime = record.header(Workload.SEND_TIME_HEADER);
                    if (sendTime == null || sendTime.length != 8) {
                        counters.errors.increment();
                        return;
                    }
                    int partition = record.partition();
                    if (partition >= nextOffset.length) {
                        nextOffset = Arrays.copyOf(nextOffset, partition + 1);
                    }
                    if (record.offset() < nextOffset[partition]) {
                        counters.redelivered.increment();
                        counters.errors.increment();
                        return;
                    }
                    nextOffset[partition] = record.offset() + 1;
                    if (endToEnd != null) {
                        endToEnd.recordNanos(now - SendTime.decode(sendTime));
                    }
                    counters.received.increment();
                    counters.receivedBytes.add(record.size());
                });
            } catch (RuntimeException e) {
                if (stop.get()) {
                    return;
                }
                counters.errors.increment();
                clock.parkUntil(clock.nanoTime() + 10_000_000); // do not spin on a broker that refuses every poll
            }
        }
    }
}
