package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.SerializationException;

/**
 * A fetched record that could not be turned into the application's types (its deserializer failed) or whose
 * batch is corrupt. The position stays at the record, so the next poll fails the same way: the application
 * may {@code seek} past {@link #offset()} to skip it.
 */
public class RecordDeserializationException extends SerializationException {
    private final TopicPartition partition;
    private final long offset;

    public RecordDeserializationException(TopicPartition partition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.offset = offset;
    }

    public TopicPartition topicPartition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
