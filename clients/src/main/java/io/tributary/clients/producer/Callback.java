package io.tributary.clients.producer;

/**
 * Told once whether a record was written. Runs on the producer's callback thread (never on the I/O
 * thread), in send order for records of the same partition; a slow callback delays the others' callbacks
 * but not sending.
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param metadata  where the record landed, or null if it failed
     * @param exception null on success, else why it failed (a {@code RetriableException} when retries ran out)
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
