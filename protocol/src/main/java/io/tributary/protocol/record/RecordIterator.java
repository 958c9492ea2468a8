package io.tributary.protocol.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Decodes the records of one batch from its uncompressed records section (layout in {@link Record}), one per
 * {@link #next()}.
 *
 * <p>Invariant: every read is bounded by the current record's declared length, which is bounded by the
 * section; the section's limit is narrowed to the record while its fields are read, so a length that lies ends
 * in an {@link InvalidRecordException} naming it, never in a read of the next record or a buffer exception.
 * The declared count was checked against the section size before the first record, so the count is never
 * trusted for allocation.
 */
final class RecordIterator implements Iterator<Record> {
    /** A header takes at least a key length and a value length, one byte each. */
    private static final int MIN_HEADER_SIZE = 2;

    private final ByteBuffer section;
    private final long baseOffset;
    private final long baseTimestamp;
    private final boolean logAppendTime;
    private final long maxTimestamp;
    private final int baseSequence;
    private final int count;
    private int index;
    /** The declared length of the record being decoded, for messages; -1 before it is read. */
    private int bodyLength;

    RecordIterator(RecordBatch batch, ByteBuffer section) {
        this.section = section;
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.maxTimestamp = batch.maxTimestamp();
        this.baseSequence = batch.baseSequence();
        this.count = batch.recordCount();
        long atLeast = (long) count * RecordBatchReader.MIN_RECORD_SIZE;
        if (atLeast > section.remaining()) {
            throw new InvalidRecordException("Record batch at offset " + baseOffset + " declares " + count
                + " records, at least " + atLeast + " bytes, but its records section has " + section.remaining());
        }
        if (count == 0 && section.hasRemaining()) {
            throw trailingBytes();
        }
    }

    /** The record count the batch declares, already checked to fit in its records section. */
    int declaredCount() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return index < count;
    }

    @Override
    public Record next() {
        if (index >= count) {
            throw new NoSuchElementException("All " + count + " records of the batch at offset " + baseOffset + " were read");
        }
        if (!section.hasRemaining()) {
            throw new InvalidRecordException("Record batch at offset " + baseOffset + " declares " + count
                + " records but its records section ends after " + index);
        }
        Record record = decode();
        index++;
        if (index == count && section.hasRemaining()) {
            throw trailingBytes();
        }
        return record;
    }

    private Record decode() {
        int recordStart = section.position();
        bodyLength = -1;
        bodyLength = readVarint("length");
        int bodyStart = section.position();
        if (bodyLength < 0 || bodyLength > section.limit() - bodyStart) {
            throw invalid("length " + bodyLength + " is out of range [0, " + (section.limit() - bodyStart)
                + "] (the bytes left in the records section)");
        }
        int bodyEnd = bodyStart + bodyLength;
        int sectionLimit = section.limit();
        section.limit(bodyEnd);
        try {
            section.get(); // attributes: unused by every Kafka version
            long timestampDelta = readVarlong("timestamp delta");
            int offsetDelta = readVarint("offset delta");
            ByteBuffer key = readBytes("key", -1, true);
            ByteBuffer value = readBytes("value", -1, true);
            List<Header> headers = readHeaders();
            if (section.hasRemaining()) {
                throw invalid("length " + bodyLength + " is larger than its fields, which end after "
                    + (section.position() - bodyStart) + " bytes");
            }
            long offset = baseOffset + offsetDelta;
            long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
            int sequence = baseSequence >= 0 ? incrementSequence(baseSequence, offsetDelta) : RecordBatch.NO_SEQUENCE;
            return new Record(offset, timestamp, sequence, key, value, headers, bodyEnd - recordStart);
        } catch (BufferUnderflowException e) {
            throw invalid("fields run past its length " + bodyLength);
        } finally {
            section.limit(sectionLimit);
        }
    }

    /**
     * A length-prefixed byte field: -1 is null when {@code nullable}, any other negative is invalid.
     *
     * @param field  "key", "value", or for headers, "key"/"value" with {@code header} the header's index
     * @param header -1 outside headers; the field's name is only put together for an error message
     */
    private ByteBuffer readBytes(String field, int header, boolean nullable) {
        int length;
        try {
            length = Varints.readVarint(section);
        } catch (BufferUnderflowException e) {
            throw invalid(name(field, header) + " length varint is cut off by " + endOfRecord());
        } catch (InvalidRecordException e) {
            throw invalid(name(field, header) + " length: " + e.getMessage());
        }
        if (length < 0) {
            if (length == -1 && nullable) {
                return null;
            }
            throw invalid(name(field, header) + " length " + length + " is negative" + (nullable ? " and not -1 (null)" : ""));
        }
        int position = section.position();
        if (length > section.limit() - position) {
            throw invalid(name(field, header) + " length " + length + " runs past the record's end: "
                + (section.limit() - position) + " bytes remain");
        }
        ByteBuffer bytes = section.slice(position, length);
        section.position(position + length);
        return bytes;
    }

    private static String name(String field, int header) {
        return header < 0 ? field : "header " + header + " " + field;
    }

    private List<Header> readHeaders() {
        int headerCount = readVarint("header count");
        if (headerCount == 0) {
            return List.of();
        }
        int maxHeaders = section.remaining() / MIN_HEADER_SIZE;
        if (headerCount < 0 || headerCount > maxHeaders) {
            throw invalid("header count " + headerCount + " is out of range [0, " + maxHeaders + "] (the "
                + section.remaining() + " bytes left hold at most that many " + MIN_HEADER_SIZE + "-byte headers)");
        }
        List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            ByteBuffer key = readBytes("key", i, false);
            ByteBuffer value = readBytes("value", i, true);
            headers.add(new Header(key, value));
        }
        return Collections.unmodifiableList(headers);
    }

    private int readVarint(String field) {
        try {
            return Varints.readVarint(section);
        } catch (BufferUnderflowException e) {
            throw invalid(field + " varint is cut off by " + endOfRecord());
        } catch (InvalidRecordException e) {
            throw invalid(field + ": " + e.getMessage());
        }
    }

    private long readVarlong(String field) {
        try {
            return Varints.readVarlong(section);
        } catch (BufferUnderflowException e) {
            throw invalid(field + " varlong is cut off by " + endOfRecord());
        } catch (InvalidRecordException e) {
            throw invalid(field + ": " + e.getMessage());
        }
    }

    private String endOfRecord() {
        return bodyLength < 0 ? "the end of the records section" : "the record's end (its length is " + bodyLength + ")";
    }

    /** Kafka's sequence arithmetic: past Integer.MAX_VALUE, sequences wrap to 0. */
    static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    private InvalidRecordException invalid(String problem) {
        return new InvalidRecordException("Record " + index + " of the batch at offset " + baseOffset + ": " + problem);
    }

    private InvalidRecordException trailingBytes() {
        return new InvalidRecordException("Record batch at offset " + baseOffset + " declares " + count
            + " records but " + section.remaining() + " bytes of its records section follow the last of them");
    }
}
