package io.tributary.clients.producer;

/**
 * Told once whether a record was written. Runs on the producer's I/O thread, as KafkaProducer's callbacks do, in
 * send order for records of the same partition, before the record's future completes. Keep it short: the
 * producer sends nothing while a callback runs, so slow work belongs on an executor of the application's own.
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param metadata  where the record landed, or null if it failed
     * @param exception null on success, else why it failed (a {@code RetriableException} when retries ran out)
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
