package io.tributary.bench.driver;

import java.util.Map;

/** One producer of a driver. {@link #send} may block while the client's buffer is full (back-pressure). */
public interface BenchProducer extends AutoCloseable {

    /** Called once per record, on a client thread, with null or the reason the record was not acknowledged. */
    @FunctionalInterface
    interface Completion {
        void completed(Throwable error);
    }

    /**
     * Sends one record to the partition the client chooses for {@code key} (any partition when null).
     * Errors raised here rather than through {@code completion} are the caller's to count.
     */
    void send(String topic, byte[] key, byte[] value, String headerKey, byte[] headerValue, Completion completion);

    /**
     * The client library's own view of this producer (e.g. kafka-clients' {@code producer-metrics}: record-queue-time,
     * request-latency, records-per-request ...), by metric name, times in ms; empty when the library keeps none. Finite
     * values only. Read from another thread than the one sending.
     */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** Sends what is buffered and waits for every completion. */
    void flush();

    @Override
    void close();
}
