package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One decoded record of a v2 batch, with its offset and timestamp made absolute.
 *
 * <p>Wire form inside a batch's records section (varints zig-zag encoded, see {@link Varints}):
 * <pre>
 *  length          varint   bytes after this field
 *  attributes      int8     unused, 0
 *  timestampDelta  varlong  timestamp - the batch's base timestamp
 *  offsetDelta     varint   offset - the batch's base offset
 *  keyLength       varint   -1 for a null key
 *  key             bytes
 *  valueLength     varint   -1 for a null value
 *  value           bytes
 *  headerCount     varint
 *  headers         see {@link Header}
 * </pre>
 *
 * <p>Key, value and header buffers are read-only slices of the batch (or, for a compressed batch, of its
 * decompressed records): no bytes are copied, and they stay valid as long as that buffer's contents do.
 * Accessors return fresh views, so a caller may consume one without affecting others.
 */
public final class Record {
    private final long offset;
    private final long timestamp;
    private final int sequence;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final List<Header> headers;
    private final int sizeInBytes;

    Record(long offset, long timestamp, int sequence, ByteBuffer key, ByteBuffer value, List<Header> headers,
           int sizeInBytes) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.sequence = sequence;
        this.key = key;
        this.value = value;
        this.headers = headers;
        this.sizeInBytes = sizeInBytes;
    }

    /** Base offset plus offset delta. */
    public long offset() {
        return offset;
    }

    /**
     * Base timestamp plus timestamp delta for create-time batches; for log-append-time batches, the batch's
     * max timestamp, which the broker stamped, as Kafka reports it.
     */
    public long timestamp() {
        return timestamp;
    }

    /** The producer sequence (base sequence plus offset delta, wrapping), or -1 if the batch has none. */
    public int sequence() {
        return sequence;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The key, read-only, or null. */
    public ByteBuffer key() {
        return key == null ? null : key.duplicate();
    }

    /** Key length, or -1 for null. */
    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    public boolean hasValue() {
        return value != null;
    }

    /** The value, read-only, or null (a tombstone in a compacted topic). */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** Value length, or -1 for null. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** Unmodifiable, in wire order; may hold several headers with one key. */
    public List<Header> headers() {
        return headers;
    }

    /** Bytes the record takes in the (uncompressed) records section, its length varint included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record other && offset == other.offset && timestamp == other.timestamp
            && sequence == other.sequence && sizeInBytes == other.sizeInBytes && Objects.equals(key, other.key)
            && Objects.equals(value, other.value) && headers.equals(other.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, sequence, key, value, headers);
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + sizeOrNull(key) + ", value="
            + sizeOrNull(value) + ", headers=" + headers.size() + ")";
    }

    private static String sizeOrNull(ByteBuffer buffer) {
        return buffer == null ? "null" : buffer.remaining() + " bytes";
    }
}
