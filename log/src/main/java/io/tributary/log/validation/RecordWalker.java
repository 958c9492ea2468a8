package io.tributary.log.validation;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.InvalidRecordException.RecordError;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.Varints;
import io.tributary.protocol.record.compression.DecompressingStream;
import io.tributary.protocol.routing.RoutingMode;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of one batch once, checking each record's framing and values (the rules are listed on
 * {@link LogValidator}), without decoding keys, values or headers into objects.
 *
 * <p>An uncompressed batch is walked in place. A compressed one is read from a {@link DecompressingStream} into a
 * window: the bytes of the record being checked are made contiguous in it (what is left of the previous read moves
 * to the front, more is read behind it), so the window holds about one record plus one read, not the batch; it
 * grows only for a record larger than itself, never past the decompression limit, and is kept per thread for the
 * next batch unless it grew beyond {@link #MAX_RETAINED_WINDOW}. A record whose declared length exceeds what the
 * limit still allows is refused before the window grows. The walk stops at the first framing fault and at the
 * declared count: a stream that holds more is refused after one more byte is read, not decompressed to its end.
 *
 * <p>Design note: one class for both cases, so the framing rules exist once; the case differs only in
 * {@link #ensure}.
 */
final class RecordWalker {
    private static final int INITIAL_WINDOW = 64 * 1024;
    private static final int MAX_RETAINED_WINDOW = 1024 * 1024;
    /** A header takes at least a key length and a value length, one byte each. */
    private static final int MIN_HEADER_SIZE = 2;
    /** The header index {@code skipBytes} is given for a record's own key or value. */
    private static final int NOT_A_HEADER = -1;
    private static final ThreadLocal<RecordWalker> WALKERS = ThreadLocal.withInitial(RecordWalker::new);

    private final RecordView view = new RecordView();
    private final List<RecordError> valueErrors = new ArrayList<>();
    private byte[] window = new byte[INITIAL_WINDOW];
    /** The bytes being walked: the batch (uncompressed) or {@link #window}, position to limit not yet walked. */
    private ByteBuffer buffer;
    private DecompressingStream stream;
    private boolean streamEnded;

    static RecordWalker forThisThread() {
        return WALKERS.get();
    }

    /** Checks {@code batch}'s records; null if they pass, else why not. Header fields were checked already. */
    Refusal walk(RecordBatch batch, int batchIndex, ValidationSettings settings, long now, RecordVisitor visitor) {
        int count = batch.recordCount();
        CompressionType compression = batch.compressionType();
        ByteBuffer section = batch.buffer().duplicate();
        section.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatch.RECORDS_OFFSET);
        if (compression == CompressionType.NONE) {
            buffer = section;
            stream = null;
        } else {
            long atLeast = (long) count * RecordBatchReader.MIN_RECORD_SIZE;
            if (atLeast > settings.maxDecompressedBytes()) {
                return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, InvalidRecordException.NO_INDEX, "Batch "
                    + batchIndex + " of the append to " + settings.topicPartition() + " declares " + count
                    + " records, at least " + atLeast + " bytes decompressed, more than decompressed.batch.max.bytes="
                    + settings.maxDecompressedBytes());
            }
            buffer = ByteBuffer.wrap(window, 0, 0);
            stream = settings.decompressor().stream(compression, section.slice());
            streamEnded = false;
        }
        valueErrors.clear();
        int index = 0;
        try {
            Walk walk = new Walk(batch, batchIndex, settings, now, visitor);
            for (; index < count; index++) {
                Refusal framing = walk.record(index);
                if (framing != null) {
                    return framing;
                }
            }
            if (buffer.hasRemaining() || (stream != null && !streamEnded && stream.read() >= 0)) {
                return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, InvalidRecordException.NO_INDEX, "Record batch "
                    + batchIndex + " of the append to " + settings.topicPartition() + " declares " + count
                    + " records but holds more: bytes follow record " + (count - 1));
            }
            return valueErrors.isEmpty() ? null : walk.valueRefusal();
        } catch (CorruptRecordException e) {
            return Refusal.of(Refusal.Kind.CORRUPT, batchIndex, index, "Batch " + batchIndex + " of the append to "
                + settings.topicPartition() + " does not decompress (at record " + index + "): " + e.getMessage());
        } catch (InvalidRecordException e) {
            // the decompression limit, reached while reading record `index`
            return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, index, "Batch " + batchIndex + " of the append to "
                + settings.topicPartition() + " (at record " + index + "): " + e.getMessage());
        } finally {
            if (stream != null) {
                stream.close();
                stream = null;
            }
            buffer = null;
            view.buffer = null;
            if (window.length > MAX_RETAINED_WINDOW) {
                window = new byte[INITIAL_WINDOW];
            }
        }
    }

    /**
     * Makes at least {@code n} unwalked bytes contiguous in {@link #buffer}, reading more of the stream if need
     * be; false when the records end first (then what remains is all there is).
     */
    private boolean ensure(int n) {
        if (buffer.remaining() >= n) {
            return true;
        }
        if (stream == null || streamEnded) {
            return false;
        }
        int remaining = buffer.remaining();
        if (window.length < n) {
            byte[] grown = new byte[Math.max(n, Math.min(2 * window.length, stream.limit()))];
            System.arraycopy(window, buffer.position(), grown, 0, remaining);
            window = grown;
        } else if (buffer.position() > 0) {
            System.arraycopy(window, buffer.position(), window, 0, remaining);
        }
        int filled = remaining;
        while (filled < n) {
            int read = stream.read(window, filled, window.length - filled);
            if (read < 0) {
                streamEnded = true;
                break;
            }
            filled += read;
        }
        buffer = ByteBuffer.wrap(window, 0, filled);
        return filled >= n;
    }

    /** The state of one batch's walk. */
    private final class Walk {
        private final RecordBatch batch;
        private final int batchIndex;
        private final ValidationSettings settings;
        private final long now;
        private final RecordVisitor visitor;
        private final int partition;
        private final boolean logAppendTimeBatch;
        private final long baseTimestamp;
        private final long maxTimestamp;
        private int firstMisroutedTo = -1;
        private Refusal.Kind firstValueFault;
        private boolean timestampFault;

        Walk(RecordBatch batch, int batchIndex, ValidationSettings settings, long now, RecordVisitor visitor) {
            this.batch = batch;
            this.batchIndex = batchIndex;
            this.settings = settings;
            this.now = now;
            this.visitor = visitor;
            this.partition = settings.topicPartition().partition();
            this.logAppendTimeBatch = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
            this.baseTimestamp = batch.baseTimestamp();
            this.maxTimestamp = batch.maxTimestamp();
        }

        /** Walks record {@code index}: null when its framing holds (faults of values are collected), else the refusal. */
        Refusal record(int index) {
            ensure(5); // a length varint takes at most 5 bytes; fewer may remain at the end
            if (!buffer.hasRemaining()) {
                return invalid(index, "Record batch " + batchIndex + " of the append to " + settings.topicPartition()
                    + " declares " + batch.recordCount() + " records but holds " + index);
            }
            int recordStart = buffer.position();
            int length;
            try {
                length = Varints.readVarint(buffer);
            } catch (BufferUnderflowException e) {
                return invalid(index, prefix(index) + "has a length varint cut off by the end of the records");
            } catch (InvalidRecordException e) {
                return invalid(index, prefix(index) + "has a malformed length: " + e.getMessage());
            }
            if (length < 1) {
                return invalid(index, prefix(index) + "claims " + length + " bytes; a record takes at least 1");
            }
            if (stream != null && length > (long) buffer.remaining() + stream.limit() - stream.produced()) {
                return invalid(index, prefix(index) + "claims " + length + " bytes, more than decompressed.batch.max.bytes="
                    + stream.limit() + " leaves (" + stream.produced() + " bytes decompressed)");
            }
            // Make the whole record, length varint included, contiguous: the walk moves unwalked bytes from the position.
            int varintSize = buffer.position() - recordStart;
            buffer.position(recordStart);
            if (!ensure(varintSize + length)) {
                return invalid(index, prefix(index) + "claims " + length + " bytes, but " + (buffer.remaining() - varintSize)
                    + " remain in the batch");
            }
            recordStart = buffer.position();
            int bodyStart = recordStart + varintSize;
            buffer.position(bodyStart);
            int headerLength = varintSize;
            int bodyEnd = bodyStart + length;
            int limit = buffer.limit();
            buffer.limit(bodyEnd);
            try {
                return body(index, recordStart, headerLength + length);
            } catch (BufferUnderflowException e) {
                return invalid(index, prefix(index) + "claims " + length + " bytes, fewer than its own fields");
            } catch (InvalidRecordException e) {
                return invalid(index, prefix(index) + "has a malformed varint: " + e.getMessage());
            } finally {
                buffer.limit(limit);
                buffer.position(bodyEnd);
            }
        }

        private Refusal body(int index, int recordStart, int sizeInBytes) {
            buffer.get(); // attributes: unused by every Kafka version
            long timestampDelta = Varints.readVarlong(buffer);
            int offsetDelta = Varints.readVarint(buffer);
            if (offsetDelta != index) {
                return invalid(index, prefix(index) + "has offset delta " + offsetDelta + ", expected " + index);
            }
            int keyLength = Varints.readVarint(buffer);
            int keyPosition = buffer.position();
            Refusal fault = skipBytes(index, "key", NOT_A_HEADER, keyLength, true);
            if (fault != null) {
                return fault;
            }
            int valueLength = Varints.readVarint(buffer);
            int valuePosition = buffer.position();
            fault = skipBytes(index, "value", NOT_A_HEADER, valueLength, true);
            if (fault != null) {
                return fault;
            }
            int headerCount = Varints.readVarint(buffer);
            int maxHeaders = buffer.remaining() / MIN_HEADER_SIZE;
            if (headerCount < 0 || headerCount > maxHeaders) {
                return invalid(index, prefix(index) + "has header count " + headerCount + ", out of range [0, " + maxHeaders
                    + "] (the " + buffer.remaining() + " bytes left hold at most that many)");
            }
            for (int header = 0; header < headerCount; header++) {
                fault = skipBytes(index, "key", header, Varints.readVarint(buffer), false);
                if (fault == null) {
                    fault = skipBytes(index, "value", header, Varints.readVarint(buffer), true);
                }
                if (fault != null) {
                    return fault;
                }
            }
            if (buffer.hasRemaining()) {
                return invalid(index, prefix(index) + "claims " + (buffer.limit() - recordStart) + " bytes but its fields end "
                    + buffer.remaining() + " bytes earlier");
            }
            long timestamp = logAppendTimeBatch ? maxTimestamp : baseTimestamp + timestampDelta;
            checkValues(index, keyPosition, keyLength, timestamp, offsetDelta);
            if (visitor != null) {
                view.buffer = buffer;
                view.index = index;
                view.recordStart = recordStart;
                view.sizeInBytes = sizeInBytes;
                view.offsetDelta = offsetDelta;
                view.timestamp = timestamp;
                view.keyPosition = keyPosition;
                view.keyLength = keyLength;
                view.valuePosition = valuePosition;
                view.valueLength = valueLength;
                view.headerCount = headerCount;
                visitor.visit(batchIndex, view);
            }
            return null;
        }

        /**
         * Skips a length-prefixed field: the record's key or value ({@code header} {@link #NOT_A_HEADER}) or a header's.
         * The field's name is only spelt out for a refusal: this runs for every header of every record appended.
         */
        private Refusal skipBytes(int index, String part, int header, int length, boolean nullable) {
            if (length < 0) {
                if (length == -1 && nullable) {
                    return null;
                }
                return invalid(index, prefix(index) + "has " + fieldName(part, header) + " length " + length + ", which is negative"
                    + (nullable ? " and not -1 (null)" : ""));
            }
            if (length > buffer.remaining()) {
                return invalid(index, prefix(index) + "has a " + fieldName(part, header) + " of " + length + " bytes, longer than the "
                    + buffer.remaining() + " bytes left in the record");
            }
            buffer.position(buffer.position() + length);
            return null;
        }

        private static String fieldName(String part, int header) {
            return header == NOT_A_HEADER ? part : "header " + header + " " + part;
        }

        /** The checks of values, which do not stop the walk: each failing record is collected. */
        private void checkValues(int index, int keyPosition, int keyLength, long timestamp, int offsetDelta) {
            if (keyLength < 0) {
                if (settings.compact()) {
                    valueFault(Refusal.Kind.INVALID_RECORD, index, "Compacted topic partition " + settings.topicPartition()
                        + " cannot accept a record without a key: record " + index + " of batch " + batchIndex
                        + " in the append has a null key (cleanup.policy=" + settings.cleanupPolicy() + ")");
                }
            } else if (settings.routingCount() != 0) {
                int routed = RoutingMode.ORDERED.partition(buffer, keyPosition, keyLength, settings.routingCount());
                if (routed != partition) {
                    if (firstMisroutedTo < 0) {
                        firstMisroutedTo = routed;
                    }
                    valueFault(Refusal.Kind.MISROUTED, index, "Record " + index + " of batch " + batchIndex
                        + " in the append to " + settings.topicPartition() + " has a key that maps to partition " + routed
                        + " of " + settings.routingCount() + " (routing.mode=ordered); refresh the topic's metadata and send it there");
                }
            }
            if (settings.timestampType() == TimestampType.CREATE_TIME && timestamp != RecordBatch.NO_TIMESTAMP) {
                long difference = now - timestamp;
                if (difference > settings.timestampBeforeMaxMs() || -difference > settings.timestampAfterMaxMs()) {
                    timestampFault = true;
                    valueFault(Refusal.Kind.INVALID_TIMESTAMP, index, "Timestamp " + timestamp + " of message with offset "
                        + (batch.baseOffset() + offsetDelta) + " is out of range. The timestamp should be within ["
                        + (now - settings.timestampBeforeMaxMs()) + ", " + (now + settings.timestampAfterMaxMs())
                        + "] (message.timestamp.before.max.ms=" + settings.timestampBeforeMaxMs()
                        + ", message.timestamp.after.max.ms=" + settings.timestampAfterMaxMs() + ")");
                }
            } else if (logAppendTimeBatch) {
                timestampFault = true;
                valueFault(Refusal.Kind.INVALID_TIMESTAMP, index, "Record " + index + " of batch " + batchIndex
                    + " in the append to " + settings.topicPartition() + " is in a batch flagged LogAppendTime: "
                    + "producers should not set the timestamp type to LogAppendTime");
            }
        }

        private void valueFault(Refusal.Kind kind, int index, String message) {
            if (firstValueFault == null) {
                firstValueFault = kind;
            }
            valueErrors.add(new RecordError(index, message));
        }

        /** The refusal for the collected faults of values. */
        Refusal valueRefusal() {
            Refusal.Kind kind = firstValueFault == Refusal.Kind.MISROUTED ? Refusal.Kind.MISROUTED
                : timestampFault ? Refusal.Kind.INVALID_TIMESTAMP : Refusal.Kind.INVALID_RECORD;
            List<RecordError> errors = List.copyOf(valueErrors);
            RecordError first = errors.get(0);
            String message = errors.size() == 1 ? first.message()
                : first.message() + " (and " + (errors.size() - 1) + " more of the batch's records refused)";
            if (kind == Refusal.Kind.INVALID_TIMESTAMP) {
                message = "One or more records have been rejected due to invalid timestamp: " + message;
            }
            return new Refusal(kind, batchIndex, first.recordIndex(), message, errors, firstMisroutedTo,
                kind == Refusal.Kind.MISROUTED ? settings.routingCount() : 0);
        }

        private String prefix(int index) {
            return "Record " + index + " of batch " + batchIndex + " in the append to " + settings.topicPartition() + " ";
        }

        private Refusal invalid(int index, String message) {
            return Refusal.of(Refusal.Kind.INVALID_RECORD, batchIndex, index, message);
        }
    }
}
