package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Decompressor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes the records of v2 batches: checks the batch ({@link RecordBatch#ensureValid()}), decompresses its
 * records section if needed, and yields {@link Record}s with absolute offsets and timestamps.
 *
 * <p>Design note: a separate class from the {@link RecordBatch} view because reading records needs a policy
 * (how many decompressed bytes a batch may take) and the view is a zero-state flyweight that the log's append
 * path uses without ever decompressing.
 *
 * <p>Bounds: nothing is allocated in proportion to a count or length the batch declares. A record count must
 * fit in the records section at {@link #MIN_RECORD_SIZE} bytes per record (for a compressed batch, first in the
 * decompression limit, then in what was decompressed); lengths inside records must fit in what remains of the
 * record. Violations raise {@link InvalidRecordException} (or its subclasses) naming the value and the limit;
 * no buffer exception escapes.
 *
 * <p>Uncompressed batches are decoded without copying: keys, values and headers are read-only slices of the
 * batch's buffer. A compressed batch is decompressed once into a heap buffer that its records slice.
 *
 * <p>Thread-safe: holds only its {@link Decompressor}.
 */
public final class RecordBatchReader {
    /**
     * The smallest encoded record: one byte each for length, attributes, timestamp delta, offset delta, key
     * length, value length and header count.
     */
    public static final int MIN_RECORD_SIZE = 7;

    public static final RecordBatchReader DEFAULT = new RecordBatchReader(Decompressor.DEFAULT);

    private final Decompressor decompressor;

    public RecordBatchReader(Decompressor decompressor) {
        this.decompressor = decompressor;
    }

    /** A reader that lets one batch decompress to at most {@code maxDecompressedBytes}. */
    public RecordBatchReader(int maxDecompressedBytes) {
        this(new Decompressor(maxDecompressedBytes));
    }

    public int maxDecompressedBytes() {
        return decompressor.maxDecompressedBytes();
    }

    /**
     * All the batch's records, fully checked: every record decodes within its declared length, there are exactly
     * {@code recordCount} of them, and they fill the records section.
     *
     * @throws CorruptRecordException if the batch fails {@link RecordBatch#ensureValid()} or its compressed
     *     stream is malformed
     * @throws InvalidRecordException if the records break the format, naming the record, value and limit
     */
    public List<Record> read(RecordBatch batch) {
        RecordIterator records = iterator(batch);
        List<Record> result = new ArrayList<>(records.declaredCount());
        while (records.hasNext()) {
            result.add(records.next());
        }
        return result;
    }

    /**
     * The batch's records, decoded one at a time as the iterator advances. The batch is checked and
     * decompressed here, up front; each record is checked as it is decoded, and the last one also checks that
     * nothing follows it, so a consumer that stops early does not pay to decode the rest.
     */
    public Iterator<Record> records(RecordBatch batch) {
        return iterator(batch);
    }

    /**
     * The records section in uncompressed form: a read-only slice of the batch for an uncompressed batch, else
     * the decompressed bytes (read-only). Position 0, limit the section's size.
     */
    public ByteBuffer uncompressedRecords(RecordBatch batch) {
        batch.ensureValid();
        checkCountNotNegative(batch);
        return uncompressedSection(batch);
    }

    private RecordIterator iterator(RecordBatch batch) {
        batch.ensureValid();
        checkCountNotNegative(batch);
        ByteBuffer section = uncompressedSection(batch);
        return new RecordIterator(batch, section);
    }

    private ByteBuffer uncompressedSection(RecordBatch batch) {
        ByteBuffer view = batch.buffer().duplicate();
        view.limit(batch.start() + batch.sizeInBytes()).position(batch.start() + RecordBatch.RECORDS_OFFSET);
        ByteBuffer section = view.slice();
        CompressionType compression = batch.compressionType();
        if (compression == CompressionType.NONE) {
            return section.asReadOnlyBuffer();
        }
        long atLeast = (long) batch.recordCount() * MIN_RECORD_SIZE;
        if (atLeast > decompressor.maxDecompressedBytes()) {
            throw new InvalidRecordException("Record batch at offset " + batch.baseOffset() + " declares "
                + batch.recordCount() + " records, at least " + atLeast + " bytes decompressed, more than the limit of "
                + decompressor.maxDecompressedBytes() + " bytes per batch (max decompressed bytes)");
        }
        // The codecs read a heap buffer's array in place; a read-only view would hide it and cost a copy.
        return decompressor.decompress(compression, section).asReadOnlyBuffer();
    }

    private static void checkCountNotNegative(RecordBatch batch) {
        int count = batch.recordCount();
        if (count < 0) {
            throw new InvalidRecordException("Record batch at offset " + batch.baseOffset() + " declares a negative record count "
                + count);
        }
    }

    @Override
    public String toString() {
        return "RecordBatchReader(maxDecompressedBytes=" + decompressor.maxDecompressedBytes() + ")";
    }
}
