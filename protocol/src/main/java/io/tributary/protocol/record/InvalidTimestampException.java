package io.tributary.protocol.record;

import java.util.List;

/**
 * Records whose timestamps the log refuses: a CreateTime timestamp outside the window the topic's
 * {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms} allow around the broker's
 * clock, or a batch the producer flagged LogAppendTime (Kafka's rule). The wire error is INVALID_TIMESTAMP;
 * every failing record is in {@link #recordErrors()}.
 */
public class InvalidTimestampException extends InvalidRecordException {
    public InvalidTimestampException(String message, int batchIndex, List<RecordError> recordErrors) {
        super(message, batchIndex, recordErrors.isEmpty() ? NO_INDEX : recordErrors.get(0).recordIndex(), recordErrors);
    }
}
