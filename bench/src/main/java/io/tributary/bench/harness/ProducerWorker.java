package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchProducer;
import io.tributary.bench.workload.KeyChooser;
import io.tributary.bench.workload.Workload;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One producer's send loop: waits for each send to be due ({@link Pacer}), stamps the due time into the
 * record's {@link Workload#SEND_TIME_HEADER} so consumers can measure end to end, sends, and on the
 * acknowledgement records the publish latency from that same due time. Runs until {@code stopAtNanos} or
 * until asked to stop.
 */
final class ProducerWorker implements Runnable {
    private final BenchProducer producer;
    private final String topic;
    private final KeyChooser keys;
    private final byte[] value;
    private final Pacer pacer;
    private final BenchClock clock;
    private final LatencyRecorder publish;
    private final RunCounters counters;
    private final long stopAtNanos;
    private final AtomicBoolean stop;

    ProducerWorker(BenchProducer producer, String topic, KeyChooser keys, byte[] value, Pacer pacer, BenchClock clock,
                   LatencyRecorder publish, RunCounters counters, long stopAtNanos, AtomicBoolean stop) {
        this.producer = producer;
        this.topic = topic;
        this.keys = keys;
        this.value = value;
        this.pacer = pacer;
        this.clock = clock;
        this.publish = publish;
        this.counters = counters;
        this.stopAtNanos = stopAtNanos;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get()) {
            long due = pacer.awaitNext();
            if (due - stopAtNanos >= 0) {
                return;
            }
            byte[] key = keys.next();
            int bytes = value.length + (key == null ? 0 : key.length);
            try {
                producer.send(topic, key, value, Workload.SEND_TIME_HEADER, SendTime.encode(due), error -> {
                    if (error == null) {
                        publish.recordNanos(clock.nanoTime() - due);
                        counters.acked.increment();
                        counters.ackedBytes.add(bytes);
                    } else {
                        counters.errors.increment();
                    }
                });
                counters.sent.increment();
            } catch (RuntimeException e) {
                counters.errors.increment();
            }
        }
    }
}
