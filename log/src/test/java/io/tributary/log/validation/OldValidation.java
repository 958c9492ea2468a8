package io.tributary.log.validation;

import io.tributary.log.MisroutedRecordException;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.log.RecordTooLargeException;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.Varints;
import io.tributary.protocol.routing.RoutingMode;

import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * The oracle: PartitionLog's batch validation as it was before {@link LogValidator} (commit 1b2ec3b), kept only
 * here so a property can compare the new verdicts with the old ones. Returns the verdict with the index of the
 * batch where it refused (the old code threw; the index is what the loop had reached).
 */
final class OldValidation {
    /**
     * The old verdict: kind null for accepted; {@code crashed} when the old code failed with a buffer exception
     * (which the broker answered UNKNOWN_SERVER_ERROR).
     */
    record OldVerdict(Refusal.Kind kind, int batchIndex, int batches, int records, boolean crashed) {
        OldVerdict(Refusal.Kind kind, int batchIndex, int batches, int records) {
            this(kind, batchIndex, batches, records, false);
        }
    }

    private final TopicPartition topicPartition;
    private final boolean compact;
    private final int maxMessageBytes;
    private final int segmentBytes;
    private int batchIndex;

    OldValidation(TopicPartition topicPartition, boolean compact, int maxMessageBytes, int segmentBytes) {
        this.topicPartition = topicPartition;
        this.compact = compact;
        this.maxMessageBytes = maxMessageBytes;
        this.segmentBytes = segmentBytes;
    }

    OldVerdict verdict(ByteBuffer records, int routingCount) {
        batchIndex = 0;
        try {
            if (records.remaining() > segmentBytes) {
                throw new RecordBatchTooLargeException("too large");
            }
            int[] counts = validate(records, routingCount);
            return new OldVerdict(null, -1, counts[0], counts[1]);
        } catch (MisroutedRecordException e) {
            return new OldVerdict(Refusal.Kind.MISROUTED, batchIndex, 0, 0);
        } catch (CorruptRecordException e) {
            return new OldVerdict(Refusal.Kind.CORRUPT, batchIndex, 0, 0);
        } catch (InvalidRecordException e) {
            return new OldVerdict(Refusal.Kind.INVALID_RECORD, batchIndex, 0, 0);
        } catch (RecordTooLargeException e) {
            return new OldVerdict(Refusal.Kind.RECORD_TOO_LARGE, batchIndex, 0, 0);
        } catch (RecordBatchTooLargeException e) {
            return new OldVerdict(Refusal.Kind.APPEND_TOO_LARGE, -1, 0, 0);
        } catch (RuntimeException e) {
            return new OldVerdict(Refusal.Kind.INVALID_RECORD, batchIndex, 0, 0, true);
        }
    }

    private int[] validate(ByteBuffer records, int routingCount) {
        int position = records.position();
        int end = records.limit();
        RecordBatch batch = RecordBatch.at(records, position);
        int batches = 0;
        int recordTotal = 0;
        while (position < end) {
            batchIndex = batches;
            if (end - position < RecordBatch.HEADER_SIZE) {
                throw new CorruptRecordException("short");
            }
            batch.wrap(records, position);
            batch.ensureValid();
            int size = batch.sizeInBytes();
            if (size > maxMessageBytes) {
                throw new RecordTooLargeException("large");
            }
            int count = batch.recordCount();
            if (count <= 0) {
                throw new InvalidRecordException("count");
            }
            if (batch.lastOffsetDelta() != count - 1) {
                throw new InvalidRecordException("delta");
            }
            if (batch.compressionType() == CompressionType.NONE) {
                batch.validateUncompressedRecords();
            }
            if (compact || routingCount != 0) {
                checkKeys(batch, routingCount);
            }
            position += size;
            batches++;
            recordTotal += count;
        }
        return new int[] {batches, recordTotal};
    }

    private void checkKeys(RecordBatch batch, int routingCount) {
        if (batch.compressionType() == CompressionType.NONE) {
            ByteBuffer records = batch.buffer().duplicate();
            records.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatch.RECORDS_OFFSET);
            walkKeys(records, batch.recordCount(), routingCount);
        } else if (!compact) {
            ByteBuffer records = RecordBatchReader.DEFAULT.uncompressedRecords(batch);
            try {
                walkKeys(records, batch.recordCount(), routingCount);
            } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
                throw new InvalidRecordException("ends inside a record");
            }
        } else {
            Iterator<Record> records = RecordBatchReader.DEFAULT.records(batch);
            while (records.hasNext()) {
                Record record = records.next();
                if (!record.hasKey()) {
                    throw new InvalidRecordException("no key");
                } else if (routingCount != 0) {
                    int routed = RoutingMode.ORDERED.partition(record.key(), routingCount);
                    if (routed != topicPartition.partition()) {
                        throw new MisroutedRecordException("misrouted", routed, routingCount);
                    }
                }
            }
        }
    }

    private void walkKeys(ByteBuffer records, int count, int routingCount) {
        for (int index = 0; index < count; index++) {
            int length = Varints.readVarint(records);
            int next = records.position() + length;
            if (length < 0 || next > records.limit()) {
                throw new InvalidRecordException("length");
            }
            records.get();
            Varints.readVarlong(records);
            Varints.readVarint(records);
            int keyLength = Varints.readVarint(records);
            if (keyLength > next - records.position()) {
                throw new InvalidRecordException("key length");
            }
            if (keyLength < 0) {
                if (compact) {
                    throw new InvalidRecordException("no key");
                }
            } else if (routingCount != 0) {
                int routed = RoutingMode.ORDERED.partition(records, records.position(), keyLength, routingCount);
                if (routed != topicPartition.partition()) {
                    throw new MisroutedRecordException("misrouted", routed, routingCount);
                }
            }
            records.position(next);
        }
    }
}
