package io.tributary.clients.routing.retry;

import io.tributary.clients.consumer.ConsumerRecord;

/** The application's processing of one record; any exception means it failed and may be retried. */
@FunctionalInterface
public interface RecordHandler<K, V> {
    void handle(ConsumerRecord<K, V> record) throws Exception;
}
