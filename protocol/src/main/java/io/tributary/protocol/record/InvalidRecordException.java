package io.tributary.protocol.record;

import java.util.List;

/**
 * Record bytes that are intact (their checksum matches) but break a rule of the format or of the log:
 * inconsistent counts or offsets, unknown attributes, sizes out of range. The wire error is INVALID_RECORD.
 *
 * <p>Where the broken rule is about one batch of an append or one record of a batch, the exception says which
 * as fields ({@link #batchIndex()}, {@link #recordIndex()}, and for rules checked record by record, every
 * failing record in {@link #recordErrors()}), so nobody has to read them out of the message. Kafka's Produce
 * response names failing records by their index in the batch ({@code record_errors.batch_index}).
 */
public class InvalidRecordException extends RuntimeException {
    /** What {@link #batchIndex()} and {@link #recordIndex()} return when the rule is not about one batch or record. */
    public static final int NO_INDEX = -1;

    private final int batchIndex;
    private final int recordIndex;
    private final List<RecordError> recordErrors;

    public InvalidRecordException(String message) {
        this(message, NO_INDEX, NO_INDEX, List.of());
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
        this.batchIndex = NO_INDEX;
        this.recordIndex = NO_INDEX;
        this.recordErrors = List.of();
    }

    /**
     * @param batchIndex   the batch of the append (0-based), or {@link #NO_INDEX}
     * @param recordIndex  the first failing record's index in that batch, or {@link #NO_INDEX}
     * @param recordErrors every failing record of the batch when the rule is checked per record (keys,
     *                     timestamps); empty when the batch failed as a whole or at one record's framing
     */
    public InvalidRecordException(String message, int batchIndex, int recordIndex, List<RecordError> recordErrors) {
        super(message);
        this.batchIndex = batchIndex;
        this.recordIndex = recordIndex;
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The failing batch's index in the append, or {@link #NO_INDEX}. */
    public int batchIndex() {
        return batchIndex;
    }

    /** The first failing record's index within its batch, or {@link #NO_INDEX}. */
    public int recordIndex() {
        return recordIndex;
    }

    /**
     * The failing records, by index within their batch: the per-record errors given, or else the one record
     * {@link #recordIndex()} names with this exception's message, or else none.
     */
    public List<RecordError> recordErrors() {
        if (!recordErrors.isEmpty() || recordIndex == NO_INDEX) {
            return recordErrors;
        }
        return List.of(new RecordError(recordIndex, getMessage()));
    }

    /** One failing record: its index within the batch and what is wrong with it. */
    public record RecordError(int recordIndex, String message) {
    }
}
