package io.tributary.bench.driver;

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

    /** Sends what is buffered and waits for every completion. */
    void flush();

    @Override
    void close();
}
