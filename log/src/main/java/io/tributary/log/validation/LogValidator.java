package io.tributary.log.validation;

import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.RecordBatch;

import java.nio.ByteBuffer;

import static io.tributary.protocol.record.InvalidRecordException.NO_INDEX;

/**
 * Checks a producer's append before the log writes any of it, as Kafka's {@code LogValidator} does, and says
 * {@link Verdict.Accepted} or why not ({@link Refusal}); it changes nothing, neither the bytes nor any state.
 *
 * <p>Per append: at most {@code segment.bytes}. Per batch, in order: a whole header, then framing, magic 2 and
 * CRC32C ({@link RecordBatch#ensureValid()}); at most {@code max.message.bytes}; a record count above 0 that
 * equals last offset delta + 1. Per record, compressed batches included (decompressed as a stream, see
 * {@link RecordWalker}): its framing (length, attributes, timestamp delta, offset delta equal to its index, key
 * and value lengths, header count and each header's key and value lengths, fields filling the length exactly),
 * exactly the declared count of records and nothing after them, and at most {@code decompressed.batch.max.bytes}
 * decompressed; then the checks on values, which like Kafka's cover every record of the batch and list each
 * failing one: a key in a compacted topic, a key that maps to this partition in an ordered topic, and the
 * timestamp (below).
 *
 * <p>Timestamps (Kafka's rule, KIP-937): in a CreateTime topic, a record timestamp other than -1 must lie in
 * [now - {@code message.timestamp.before.max.ms}, now + {@code message.timestamp.after.max.ms}]; a batch the
 * producer flagged LogAppendTime is refused in a LogAppendTime topic, and in a CreateTime topic its max timestamp
 * stands for its records' and is checked as theirs. Refused as INVALID_TIMESTAMP.
 *
 * <p>The first batch that fails ends the walk: a framing fault (which stops the record walk) outranks faults of
 * values found before it, and among faults of values, the first record's decides between misrouted and the
 * others, where any timestamp fault makes an INVALID_RECORD one INVALID_TIMESTAMP (as Kafka answers).
 *
 * <p>Stateless and thread-safe; each thread reuses its own window for decompressed records.
 */
public final class LogValidator {
    private LogValidator() {
    }

    /** Validates the batches in {@code records} (position to limit, not moved) at broker time {@code now}. */
    public static Verdict validate(ByteBuffer records, ValidationSettings settings, long now) {
        return validate(records, settings, now, null);
    }

    /**
     * As {@link #validate(ByteBuffer, ValidationSettings, long)}, showing each record whose framing passed to
     * {@code visitor} (null for none) during the one pass.
     */
    public static Verdict validate(ByteBuffer records, ValidationSettings settings, long now, RecordVisitor visitor) {
        int bytes = records.remaining();
        if (bytes > settings.segmentBytes()) {
            return Refusal.of(Refusal.Kind.APPEND_TOO_LARGE, NO_INDEX, NO_INDEX, "Append of " + bytes + " bytes to "
                + settings.topicPartition() + " is larger than the segment size segment.bytes=" + settings.segmentBytes());
        }
        int position = records.position();
        int end = records.limit();
        RecordBatch batch = RecordBatch.at(records, position);
        int batchIndex = 0;
        int recordTotal = 0;
        RecordWalker walker = RecordWalker.forThisThread();
        while (position < end) {
            if (end - position < RecordBatch.HEADER_SIZE) {
                return Refusal.of(Refusal.Kind.CORRUPT, batchIndex, NO_INDEX, "Append to " + settings.topicPartition()
                    + " ends with " + (end - position) + " bytes, fewer than a batch header (" + RecordBatch.HEADER_SIZE + ")");
            }
            batch.wrap(records, position);
            try {
                batch.ensureValid();
            } catch (CorruptRecordException e) {
                return Refusal.of(Refusal.Kind.CORRUPT, batchIndex, NO_INDEX, "Batch " + batchIndex + " of the append to "
                    + settings.topicPartition() + ": " + e.getMessage());
            }
            int size = batch.sizeInBytes();
            if (size > settings.maxMessageBytes()) {
                return Refusal.of(Refusal.Kind.RECORD_TOO_LARGE, batchIndex, NO_INDEX, "Batch of " + size + " bytes for "
                    + settings.topicPartition() + " is larger than max.message.bytes=" + settings.maxMessageBytes());
            }
            int count = batch.recordCount();
            if (count <= 0) {
                return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, NO_INDEX, "Batch for " + settings.topicPartition()
                    + " declares " + count + " records; an appended batch holds at least one");
            }
            if (batch.lastOffsetDelta() != count - 1) {
                return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, NO_INDEX, "Batch for " + settings.topicPartition()
                    + " has last offset delta " + batch.lastOffsetDelta() + " but " + count + " records (expected "
                    + (count - 1) + ")");
            }
            Refusal refusal = walker.walk(batch, batchIndex, settings, now, visitor);
            if (refusal != null) {
                return refusal;
            }
            position += size;
            batchIndex++;
            recordTotal += count;
        }
        return new Verdict.Accepted(batchIndex, recordTotal);
    }
}
