package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A records field: zero or more v2 batches back-to-back, each {@code batchLength + 12} bytes, with nothing
 * between them. This is what a Produce request carries per partition, what a Fetch response returns, and how a
 * log segment stores batches.
 *
 * <p>A fetch may end in the middle of a batch (the broker cuts at the byte limit); iteration stops before such
 * a partial batch and {@link #sizeOfCompleteBatches()} says where. A batch whose length field is below the
 * minimum cannot be skipped over and is reported as corrupt.
 */
public final class Records implements Iterable<RecordBatch> {
    private final ByteBuffer buffer;

    private Records(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A view of {@code buffer}'s remaining bytes; its position and limit are not moved. */
    public static Records wrap(ByteBuffer buffer) {
        return new Records(buffer.slice());
    }

    /**
     * Writes {@code batches} back-to-back into one new buffer (position 0, limit the total size), each checked
     * with {@link RecordBatch#ensureValid()} first. Each batch's remaining bytes must be exactly one batch.
     *
     * @throws CorruptRecordException if one is not a single valid batch, naming its index
     */
    public static ByteBuffer concat(List<ByteBuffer> batches) {
        long total = 0;
        for (int i = 0; i < batches.size(); i++) {
            ByteBuffer batch = batches.get(i);
            RecordBatch view = RecordBatch.at(batch, batch.position());
            try {
                view.ensureValid();
            } catch (CorruptRecordException e) {
                throw new CorruptRecordException("Batch " + i + " of " + batches.size() + ": " + e.getMessage());
            }
            if (view.sizeInBytes() != batch.remaining()) {
                throw new CorruptRecordException("Batch " + i + " of " + batches.size() + " is " + view.sizeInBytes()
                    + " bytes but its buffer holds " + batch.remaining());
            }
            total += batch.remaining();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("The batches total " + total + " bytes, more than one buffer can hold");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        for (ByteBuffer batch : batches) {
            out.put(batch.duplicate());
        }
        return out.flip();
    }

    /** The whole buffer, read-only, position 0. */
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    public int sizeInBytes() {
        return buffer.limit();
    }

    /**
     * The size of the leading batches that are complete (their whole length is in the buffer); equal to
     * {@link #sizeInBytes()} unless the buffer ends in a partial batch. Does not check CRCs.
     */
    public int sizeOfCompleteBatches() {
        int position = 0;
        while (true) {
            int next = nextBatchEnd(position);
            if (next < 0) {
                return position;
            }
            position = next;
        }
    }

    /**
     * The complete batches in order, each a new {@link RecordBatch} view of this buffer. The views are not
     * validated: call {@link RecordBatch#ensureValid()} or read them with a {@link RecordBatchReader}.
     *
     * @throws CorruptRecordException from {@code next()} if a batch's length is below the minimum
     */
    @Override
    public Iterator<RecordBatch> iterator() {
        return new Iterator<>() {
            private int position;

            @Override
            public boolean hasNext() {
                return nextBatchEnd(position) >= 0;
            }

            @Override
            public RecordBatch next() {
                int end = nextBatchEnd(position);
                if (end < 0) {
                    throw new NoSuchElementException("No complete batch at byte " + position + " of " + buffer.limit());
                }
                RecordBatch batch = RecordBatch.at(buffer, position);
                position = end;
                return batch;
            }
        };
    }

    /** The end of the complete batch starting at {@code position}, or -1 if none is complete there. */
    private int nextBatchEnd(int position) {
        int available = buffer.limit() - position;
        if (available < RecordBatch.LOG_OVERHEAD) {
            return -1;
        }
        int length = buffer.getInt(position + RecordBatch.LENGTH_OFFSET);
        if (length < RecordBatch.MIN_BATCH_LENGTH) {
            throw new CorruptRecordException("Batch at byte " + position + " has length " + length
                + ", less than the minimum " + RecordBatch.MIN_BATCH_LENGTH);
        }
        if ((long) length + RecordBatch.LOG_OVERHEAD > available) {
            return -1;
        }
        return position + RecordBatch.LOG_OVERHEAD + length;
    }

    @Override
    public String toString() {
        return "Records(" + buffer.limit() + " bytes)";
    }
}
