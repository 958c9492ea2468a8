package io.tributary.log.segment;

import io.tributary.protocol.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The log module's one walker over the batches of a segment file, front to back: it checks each one's framing
 * (length within the range, at least a header, magic 2, non-negative counts) and, when asked, its CRC32C, and
 * stops at the first batch that fails. Recovery and index rebuilds, the producer-state replay
 * ({@code PartitionLog.forEachBatchHeader}), timestamp searches and the cleaner all walk segments through it.
 *
 * <p>Design note: whole segments are scanned, so the file is read in large chunks rather than one read per
 * batch, and a batch larger than a chunk is checksummed chunk by chunk instead of being loaded whole: a corrupt
 * length field can claim up to 2 GiB and must not become an allocation. Most walkers need only the 61-byte
 * header of the current batch ({@link #header()}); one that needs the records (the cleaner) asks for the whole
 * batch ({@link #batch()}), which grows the chunk to that batch's size — bounded by the range, whose end is the
 * segment's published size — until the next {@link #reset}. One scanner can walk many segments in turn.
 */
public final class SegmentScanner {
    private FileChannel channel;
    private long end;
    private final boolean verifyChecksums;
    private final int chunkSize;
    private ByteBuffer chunk;
    private long chunkStart;
    private final ByteBuffer headerBytes = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
    private final RecordBatch header = RecordBatch.at(headerBytes, 0);
    private RecordBatch wholeBatch;
    private long position;
    private int currentSize;
    private String invalidReason;

    /**
     * @param start     byte position of the first batch
     * @param end       scan up to this byte position (exclusive), normally the file's size
     * @param chunkSize bytes read per I/O call
     */
    public SegmentScanner(FileChannel channel, long start, long end, boolean verifyChecksums, int chunkSize) {
        this.verifyChecksums = verifyChecksums;
        this.chunkSize = Math.max(chunkSize, RecordBatch.HEADER_SIZE);
        this.chunk = ByteBuffer.allocate(this.chunkSize);
        reset(channel, start, end);
    }

    /**
     * Starts over on {@code channel} from byte {@code start} up to {@code end} (exclusive), keeping the chunk
     * buffer (shrunk back to its configured size if a large batch grew it).
     */
    public void reset(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.end = end;
        if (chunk.capacity() > chunkSize) {
            chunk = ByteBuffer.allocate(chunkSize); // a large batch's buffer is not kept
        }
        chunk.clear().limit(0);
        chunkStart = start;
        position = start;
        currentSize = 0;
        invalidReason = null;
    }

    /**
     * Moves to the next batch.
     *
     * @return false at the end of the range, or at a batch that fails a check — then {@link #invalidReason()}
     * says which, and {@link #position()} is where the valid prefix ends
     */
    public boolean next() throws IOException {
        position += currentSize;
        currentSize = 0;
        if (invalidReason != null || position >= end) {
            return false;
        }
        long remaining = end - position;
        if (remaining < RecordBatch.HEADER_SIZE) {
            return invalid(remaining + " trailing bytes are fewer than a batch header (" + RecordBatch.HEADER_SIZE + ")");
        }
        if (!fill(position, RecordBatch.HEADER_SIZE)) {
            return invalid("file ended inside a batch header");
        }
        headerBytes.clear();
        ByteBuffer source = chunk.duplicate();
        source.position((int) (position - chunkStart)).limit((int) (position - chunkStart) + RecordBatch.HEADER_SIZE);
        headerBytes.put(source).flip();

        int length = header.batchLength();
        if (length < RecordBatch.MIN_BATCH_LENGTH) {
            return invalid("batch length " + length + " is below the minimum " + RecordBatch.MIN_BATCH_LENGTH);
        }
        long size = (long) length + RecordBatch.LOG_OVERHEAD;
        if (size > remaining) {
            return invalid("batch of " + size + " bytes runs past the end of the data (" + remaining + " bytes left)");
        }
        if (header.magic() != RecordBatch.MAGIC) {
            return invalid("magic byte " + header.magic() + " is not " + RecordBatch.MAGIC);
        }
        if (header.lastOffsetDelta() < 0 || header.recordCount() < 0) {
            return invalid("last offset delta " + header.lastOffsetDelta() + " or record count "
                + header.recordCount() + " is negative");
        }
        if (verifyChecksums) {
            long computed = checksum(position + RecordBatch.ATTRIBUTES_OFFSET, position + size);
            if (computed < 0) {
                return invalid("file ended inside a batch");
            }
            if (computed != header.checksum()) {
                return invalid("CRC32C " + header.checksum() + " does not match the computed " + computed);
            }
        }
        currentSize = (int) size;
        return true;
    }

    /**
     * The current batch whole (header and records), as a view into the scanner's buffer that is valid until the
     * next call; its CRC is checked only if the scanner verifies checksums.
     *
     * @throws IOException when the file is shorter than the range it was asked to scan
     */
    public RecordBatch batch() throws IOException {
        if (currentSize == 0) {
            throw new IllegalStateException("No current batch: next() has not returned true");
        }
        if (currentSize > chunk.capacity()) {
            chunk = ByteBuffer.allocate(currentSize);
            chunk.limit(0);
        }
        if (!fill(position, currentSize)) {
            throw new IOException("File ended at byte " + (chunkStart + chunk.limit()) + " inside a batch of " + currentSize
                + " bytes at byte " + position + ", before the scanned range's end " + end);
        }
        int at = (int) (position - chunkStart);
        if (wholeBatch == null) {
            wholeBatch = RecordBatch.at(chunk, at);
        } else {
            wholeBatch.wrap(chunk, at);
        }
        return wholeBatch;
    }

    /** Byte position of the current batch; after {@code next()} returned false, the end of the valid prefix. */
    public long position() {
        return position;
    }

    /** The current batch's 61-byte header (record bytes are not held). */
    public RecordBatch header() {
        return header;
    }

    public int batchSize() {
        return currentSize;
    }

    /** Why the scan stopped early, or null when it reached the end cleanly. */
    public String invalidReason() {
        return invalidReason;
    }

    private boolean invalid(String reason) {
        invalidReason = reason;
        return false;
    }

    /** Makes bytes [from, from + length) available in the chunk; false when the file is shorter. */
    private boolean fill(long from, int length) throws IOException {
        long chunkEnd = chunkStart + chunk.limit();
        if (from >= chunkStart && from + length <= chunkEnd) {
            return true;
        }
        chunk.clear();
        int want = (int) Math.min(chunk.capacity(), end - from);
        chunk.limit(want);
        long readAt = from;
        while (chunk.hasRemaining()) {
            int n = channel.read(chunk, readAt);
            if (n < 0) {
                break;
            }
            readAt += n;
        }
        chunk.flip();
        chunkStart = from;
        return chunk.limit() >= length;
    }

    /** CRC32C of file bytes [from, to), read through the chunk; -1 when the file ends first. */
    private long checksum(long from, long to) throws IOException {
        CRC32C crc = new CRC32C();
        long at = from;
        while (at < to) {
            int want = (int) Math.min(to - at, chunk.capacity());
            if (!fill(at, want)) {
                return -1;
            }
            ByteBuffer part = chunk.duplicate();
            part.position((int) (at - chunkStart)).limit((int) (at - chunkStart) + want);
            crc.update(part);
            at += want;
        }
        return crc.getValue();
    }
}
