package io.tributary.log;

import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer to a read: whole batches of one segment file as (channel, position, length), to be sent with
 * {@code transferTo} (sendfile) without passing through the heap.
 *
 * <p>The slice holds a reference on its segment so that retention can delete the file while the bytes are
 * still being sent; whoever ends up sending it calls {@link #release()} exactly once when done (idempotent).
 * An empty slice holds nothing.
 */
public final class LogSlice implements AutoCloseable {
    private static final LogSlice EMPTY = new LogSlice(null, 0, 0, -1, -1);

    private final LogSegment segment;
    private final long position;
    private final int length;
    private final long firstOffset;
    private final long nextOffset;
    private final AtomicBoolean released = new AtomicBoolean();

    LogSlice(LogSegment segment, long position, int length, long firstOffset, long nextOffset) {
        this.segment = segment;
        this.position = position;
        this.length = length;
        this.firstOffset = firstOffset;
        this.nextOffset = nextOffset;
    }

    public static LogSlice empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** The segment file; valid until {@link #release()}. Null for an empty slice. */
    public FileChannel channel() {
        return segment == null ? null : segment.channel();
    }

    public long position() {
        return position;
    }

    public int length() {
        return length;
    }

    /** Base offset of the first batch in the slice; -1 when empty. */
    public long firstOffset() {
        return firstOffset;
    }

    /** The offset to read from after this slice: past its last batch. -1 when empty. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Sends the whole slice to {@code target} with zero-copy transfers. */
    public long transferTo(WritableByteChannel target) throws IOException {
        if (segment == null) {
            return 0;
        }
        long sent = 0;
        while (sent < length) {
            long n = segment.channel().transferTo(position + sent, length - sent, target);
            if (n <= 0) {
                throw new IOException("transferTo made no progress at " + (position + sent) + " of " + segment.logFile());
            }
            sent += n;
        }
        return sent;
    }

    /** Copies the bytes onto the heap; for tests and tools, not for the fetch path. */
    public ByteBuffer readIntoHeap() throws IOException {
        ByteBuffer copy = ByteBuffer.allocate(length);
        if (segment == null) {
            return copy.flip();
        }
        long at = position;
        while (copy.hasRemaining()) {
            int n = segment.channel().read(copy, at);
            if (n < 0) {
                throw new IOException("Unexpected end of " + segment.logFile() + " at " + at);
            }
            at += n;
        }
        return copy.flip();
    }

    /** Lets the segment close once deleted; safe to call more than once. */
    public void release() {
        if (segment != null && released.compareAndSet(false, true)) {
            segment.release();
        }
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "LogSlice(" + (segment == null ? "empty" : segment.logFile() + "@" + position + "+" + length) + ")";
    }
}
