package io.tributary.log.cleaner;

import io.tributary.log.LogStorageException;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the whole batches of one sealed segment front to back, many per I/O call, into a reusable heap
 * buffer, for the cleaner to decode.
 *
 * <p>Invariant: {@link #next()} returns a view of a complete batch whose framing (length at least a header,
 * inside the segment, magic 2) was checked; the CRC is checked by whoever decodes it. The view is valid until
 * the next call. The buffer grows only for a batch larger than it, to that batch's size, which is bounded by
 * the segment's published size.
 */
final class SegmentReader {
    private final int minBufferBytes;
    private ByteBuffer buffer;
    private final RecordBatch view;
    private FileChannel channel;
    private String fileName;
    private long end;
    /** File position of buffer index 0. */
    private long bufferStart;
    /** Buffer index of the next batch. */
    private int cursor;

    SegmentReader(int bufferBytes) {
        this.minBufferBytes = Math.max(bufferBytes, RecordBatch.HEADER_SIZE);
        this.buffer = ByteBuffer.allocate(minBufferBytes);
        this.view = RecordBatch.at(buffer, 0);
    }

    /** Starts reading {@code segment} from byte 0 up to its published size. */
    void open(LogSegment segment) {
        channel = segment.channel();
        fileName = segment.logFile().toString();
        end = segment.size();
        bufferStart = 0;
        cursor = 0;
        buffer.clear().limit(0);
        if (buffer.capacity() > minBufferBytes) {
            buffer = ByteBuffer.allocate(minBufferBytes).limit(0); // a large batch's buffer is not kept
        }
    }

    /** The next batch, or null at the end of the segment. */
    RecordBatch next() {
        long position = bufferStart + cursor;
        if (position >= end) {
            return null;
        }
        if (end - position < RecordBatch.HEADER_SIZE) {
            throw framing(position, (end - position) + " bytes are left, fewer than a batch header");
        }
        ensureBuffered(position, RecordBatch.HEADER_SIZE);
        int length = buffer.getInt(cursor + RecordBatch.LENGTH_OFFSET);
        if (length < RecordBatch.MIN_BATCH_LENGTH || position + RecordBatch.LOG_OVERHEAD + length > end) {
            throw framing(position, "batch length " + length + " is below " + RecordBatch.MIN_BATCH_LENGTH
                + " or runs past the segment's " + end + " bytes");
        }
        int size = RecordBatch.LOG_OVERHEAD + length;
        ensureBuffered(position, size);
        view.wrap(buffer, cursor);
        if (view.magic() != RecordBatch.MAGIC) {
            throw framing(position, "magic " + view.magic() + " is not " + RecordBatch.MAGIC);
        }
        cursor += size;
        return view;
    }

    /** Makes file bytes [position, position + length) available at buffer index {@code cursor}. */
    private void ensureBuffered(long position, int length) {
        if (cursor + length <= buffer.limit()) {
            return;
        }
        if (length > buffer.capacity()) {
            buffer = ByteBuffer.allocate(length);
            view.wrap(buffer, 0);
        } else {
            buffer.clear();
        }
        int want = (int) Math.min(buffer.capacity(), end - position);
        buffer.limit(want);
        long at = position;
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new LogStorageException("Unexpected end of " + fileName + " at position " + at
                        + ", before its published size " + end);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot read " + fileName + " at position " + at, e);
        }
        buffer.flip();
        bufferStart = position;
        cursor = 0;
    }

    private LogStorageException framing(long position, String problem) {
        return new LogStorageException("Segment " + fileName + " has a bad batch at position " + position + ": " + problem);
    }
}
