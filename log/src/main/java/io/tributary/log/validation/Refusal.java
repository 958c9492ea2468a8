package io.tributary.log.validation;

import io.tributary.log.MisroutedRecordException;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.log.RecordTooLargeException;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.InvalidRecordException.RecordError;
import io.tributary.protocol.record.InvalidTimestampException;

import java.util.List;

/**
 * Why an append is refused: the kind of fault (which decides the wire error), the batch of the append and the
 * record within it where it was found, and a message naming the value and the rule. Nothing of a refused append
 * is written.
 *
 * @param batchIndex   the failing batch's index in the append, or {@link InvalidRecordException#NO_INDEX}
 * @param recordIndex  the first failing record's index in that batch, or {@link InvalidRecordException#NO_INDEX}
 * @param recordErrors for faults checked record by record (keys, timestamps, routing): every failing record of
 *                     the batch, as Kafka lists them in {@code record_errors}; else empty
 * @param routedTo     for {@link Kind#MISROUTED}: the partition the first misrouted key maps to; else -1
 * @param routingCount for {@link Kind#MISROUTED}: the partition count it was routed with; else 0
 */
public record Refusal(Kind kind, int batchIndex, int recordIndex, String message, List<RecordError> recordErrors,
                      int routedTo, int routingCount) implements Verdict {

    /** The kinds of fault, each with the wire error the broker answers. */
    public enum Kind {
        /** Damaged bytes: framing, magic, CRC, a compressed stream its codec cannot read. CORRUPT_MESSAGE. */
        CORRUPT,
        /** Intact bytes that break a rule of the format or the topic. INVALID_RECORD. */
        INVALID_RECORD,
        /** A timestamp outside the topic's window, or a batch the producer flagged LogAppendTime. INVALID_TIMESTAMP. */
        INVALID_TIMESTAMP,
        /** A batch above {@code max.message.bytes}. MESSAGE_TOO_LARGE. */
        RECORD_TOO_LARGE,
        /** An append above {@code segment.bytes}. RECORD_LIST_TOO_LARGE. */
        APPEND_TOO_LARGE,
        /** An ordered topic's keyed record whose key maps to another partition. NOT_LEADER_OR_FOLLOWER (see docs/ROUTING.md). */
        MISROUTED
    }

    public Refusal {
        recordErrors = List.copyOf(recordErrors);
    }

    static Refusal of(Kind kind, int batchIndex, int recordIndex, String message) {
        return new Refusal(kind, batchIndex, recordIndex, message, List.of(), -1, 0);
    }

    /** The exception the log's throwing API raises for this refusal, carrying its indices as fields. */
    public RuntimeException toException() {
        return switch (kind) {
            case CORRUPT -> new CorruptRecordException(message, batchIndex, recordIndex);
            case INVALID_RECORD -> new InvalidRecordException(message, batchIndex, recordIndex, recordErrors);
            case INVALID_TIMESTAMP -> new InvalidTimestampException(message, batchIndex, recordErrors);
            case RECORD_TOO_LARGE -> new RecordTooLargeException(message);
            case APPEND_TOO_LARGE -> new RecordBatchTooLargeException(message);
            case MISROUTED -> new MisroutedRecordException(message, routedTo, routingCount);
        };
    }
}
