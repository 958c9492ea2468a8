package io.tributary.log.segment;

import io.tributary.log.index.TimestampOffset;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;

import java.util.Iterator;

/**
 * Finds, inside one create-time batch, the first record whose timestamp is at least a target. Only the
 * timestamp lookup (ListOffsets by time) opens batches like this, one per lookup; appends and fetches
 * never decompress.
 */
final class RecordTimestampSearch {
    private RecordTimestampSearch() {
    }

    static TimestampOffset firstAtOrAfter(RecordBatch batch, long target) {
        Iterator<Record> records = RecordBatchReader.DEFAULT.records(batch);
        while (records.hasNext()) {
            Record record = records.next();
            if (record.timestamp() >= target) {
                return new TimestampOffset(record.timestamp(), record.offset());
            }
        }
        return null;
    }
}
