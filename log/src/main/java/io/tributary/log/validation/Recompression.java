package io.tributary.log.validation;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.compression.Compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.tributary.protocol.record.InvalidRecordException.NO_INDEX;

/**
 * Re-encodes an append's batches with the topic's {@code compression.type}, from the records {@link LogValidator}
 * decoded in its one pass: handed to {@link LogValidator#validate} as its {@link RecordVisitor}, it copies the
 * framed bytes of each record of a batch whose codec differs from the target, so no batch is decompressed twice.
 *
 * <p>A re-encoded batch keeps the producer's header — base timestamp, max timestamp, producer id, epoch, base
 * sequence, last offset delta, record count, the transactional and timestamp-type bits — and its records byte for
 * byte (their timestamp and offset deltas are relative to that header, so they stay right); only the records section is
 * compressed anew with the target codec and level, and the codec bits, the length and the CRC32C are rewritten. The
 * log stamps offsets on the result as on any append. This is what Kafka's
 * {@code LogValidator.validateMessagesAndAssignOffsetsCompressed} stores, except that Kafka merges an append into one
 * batch: Produce carries one batch per partition, so the two agree on what the wire carries. Batches already in the
 * target codec are copied unchanged; when none differs, {@link #stored()} is the producer's buffer itself.
 *
 * <p>Because sequences are kept, the producer state recognises a retry of a re-encoded batch as a duplicate.
 *
 * <p>One instance per append, on one thread; the records it copies are held until {@link #finish}.
 */
public final class Recompression implements RecordVisitor {
    private final ByteBuffer received;
    private final Compression target;
    /** Where the batch being visited starts in {@link #received}, and its index (-1 before the first). */
    private int batchStart;
    private int batchIndex = -1;
    /** Where batch {@link #nextIndex} starts: the one after the batch being visited. */
    private int nextStart;
    private int nextIndex;
    private boolean converting;
    /** The visited batch's records, uncompressed and framed, when it is being converted. */
    private ByteBuffer records = ByteBuffer.allocate(0);
    /** batch index -> the re-encoded batch, for the batches converted so far. */
    private final List<ByteBuffer> converted = new ArrayList<>();
    private final List<Integer> convertedIndices = new ArrayList<>();
    private ByteBuffer stored;

    /** Re-encodes the batches of {@code received} (position to limit) that are not in {@code target}'s codec. */
    public Recompression(ByteBuffer received, Compression target) {
        this.received = received;
        this.target = target;
        this.nextStart = received.position();
    }

    @Override
    public void visit(int batchIndex, RecordView record) {
        if (batchIndex != this.batchIndex) {
            startBatch(batchIndex);
        }
        if (!converting) {
            return;
        }
        int size = record.sizeInBytes();
        if (records.remaining() < size) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(records.capacity() * 2, records.position() + size));
            grown.put(records.flip());
            records = grown;
        }
        records.put(records.position(), record.buffer(), record.recordStart(), size);
        records.position(records.position() + size);
    }

    /** The validator walks batches in order (every accepted batch has a record), so {@code index} is after the last. */
    private void startBatch(int index) {
        endBatch();
        while (nextIndex < index) {
            // A batch the visitor did not see (its append is refused anyway): step over it.
            nextStart += RecordBatch.at(received, nextStart).sizeInBytes();
            nextIndex++;
        }
        RecordBatch batch = RecordBatch.at(received, nextStart);
        batchIndex = index;
        batchStart = nextStart;
        nextStart += batch.sizeInBytes();
        nextIndex++;
        converting = batch.compressionType() != target.type();
        records.clear();
    }

    private void endBatch() {
        if (batchIndex >= 0 && converting) {
            converted.add(reencode(RecordBatch.at(received, batchStart), records.duplicate().flip()));
            convertedIndices.add(batchIndex);
            converting = false;
        }
    }

    /**
     * Ends the pass after an accepted validation: builds the stored form and checks it against the limits the
     * received form passed ({@code max.message.bytes} per batch, {@code segment.bytes} per append).
     *
     * @return null when the stored form is within them, else the refusal
     */
    public Refusal finish(ValidationSettings settings) {
        endBatch();
        if (converted.isEmpty()) {
            stored = received;
            return null;
        }
        List<ByteBuffer> batches = new ArrayList<>();
        int position = received.position();
        int index = 0;
        int next = 0;
        int total = 0;
        while (position < received.limit()) {
            int size = RecordBatch.at(received, position).sizeInBytes();
            ByteBuffer batch = next < convertedIndices.size() && convertedIndices.get(next) == index
                ? converted.get(next++)
                : received.duplicate().position(position).limit(position + size).slice();
            if (batch.remaining() > settings.maxMessageBytes()) {
                return Refusal.of(Refusal.Kind.RECORD_TOO_LARGE, index, NO_INDEX, "Batch of " + batch.remaining()
                    + " bytes for " + settings.topicPartition() + " after re-compression with compression.type="
                    + target.type().configName + " is larger than max.message.bytes=" + settings.maxMessageBytes());
            }
            batches.add(batch);
            total += batch.remaining();
            position += size;
            index++;
        }
        if (total > settings.segmentBytes()) {
            return Refusal.of(Refusal.Kind.APPEND_TOO_LARGE, NO_INDEX, NO_INDEX, "Append of " + total + " bytes to "
                + settings.topicPartition() + " after re-compression is larger than the segment size segment.bytes="
                + settings.segmentBytes());
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (ByteBuffer batch : batches) {
            all.put(batch.duplicate());
        }
        stored = all.flip();
        return null;
    }

    /** The batches to store, position to limit: the received buffer when nothing was re-encoded. After {@link #finish}. */
    public ByteBuffer stored() {
        if (stored == null) {
            throw new IllegalStateException("Recompression of " + received.remaining() + " bytes has not finished");
        }
        return stored;
    }

    /** The number of batches re-encoded. */
    public int convertedBatches() {
        return converted.size();
    }

    /** {@code original}'s header with {@code uncompressed} (its framed records) compressed by the target codec. */
    private ByteBuffer reencode(RecordBatch original, ByteBuffer uncompressed) {
        BatchOutput out = new BatchOutput(RecordBatch.HEADER_SIZE + uncompressed.remaining() / 2 + 64);
        byte[] header = new byte[RecordBatch.HEADER_SIZE];
        original.buffer().get(original.start(), header);
        out.write(header, 0, header.length);
        try {
            if (target.type() == CompressionType.NONE) {
                out.write(uncompressed);
            } else {
                target.compress(uncompressed, out);
            }
        } catch (IOException e) {
            // BatchOutput never throws; a codec library failing to compress is not the producer's input.
            throw new UncheckedIOException("Re-compressing " + uncompressed.remaining() + " bytes with " + target + " failed", e);
        }
        ByteBuffer batch = out.toBuffer();
        int size = batch.remaining();
        short attributes = (short) ((batch.getShort(RecordBatch.ATTRIBUTES_OFFSET) & ~CompressionType.ATTRIBUTE_MASK)
            | target.type().id);
        batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, attributes);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());
        return batch;
    }

    /** A growing byte sink whose bytes become the batch without another copy. */
    private static final class BatchOutput extends ByteArrayOutputStream {
        BatchOutput(int capacity) {
            super(capacity);
        }

        void write(ByteBuffer bytes) {
            if (bytes.hasArray()) {
                write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            } else {
                while (bytes.hasRemaining()) {
                    write(bytes.get());
                }
            }
        }

        ByteBuffer toBuffer() {
            return ByteBuffer.wrap(buf, 0, count).slice();
        }
    }
}
