package io.tributary.log.segment;

import io.tributary.log.index.TimestampOffset;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.Varints;

import java.nio.ByteBuffer;

/**
 * Finds, inside one create-time batch, the first record whose timestamp is at least a target. A record's
 * timestamp is the batch's base timestamp plus the record's varlong delta, so an uncompressed batch is
 * walked record by record without decoding keys or values.
 */
final class RecordTimestampSearch {
    private RecordTimestampSearch() {
    }

    static TimestampOffset firstAtOrAfter(RecordBatch batch, long target) {
        if (batch.compressionType() != CompressionType.NONE) {
            throw new UnsupportedOperationException("compressed batches: pending protocol record decoding");
        }
        ByteBuffer records = batch.buffer().duplicate();
        records.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatch.RECORDS_OFFSET);
        long baseTimestamp = batch.baseTimestamp();
        long baseOffset = batch.baseOffset();
        while (records.hasRemaining()) {
            int length = Varints.readVarint(records);
            int next = records.position() + length;
            records.get(); // attributes
            long timestamp = baseTimestamp + Varints.readVarlong(records);
            int offsetDelta = Varints.readVarint(records);
            if (timestamp >= target) {
                return new TimestampOffset(timestamp, baseOffset + offsetDelta);
            }
            records.position(next);
        }
        return null;
    }
}
