package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record header: a non-null string key and a nullable byte value.
 *
 * <p>Wire form inside a record: varint key length (never negative), the key's UTF-8 bytes, varint value length
 * (-1 for null), the value bytes.
 *
 * <p>Design note: the key is kept as its UTF-8 bytes, the form the wire needs. A decoded header's key is a
 * slice of the batch and is turned into a String only when {@link #key()} is first asked for; a header made
 * from a String encodes it once, here, not on every write.
 */
public final class Header {
    private final ByteBuffer keyUtf8;
    private final ByteBuffer value;
    private String key;

    /**
     * @param key   not null; encoded as UTF-8 (unpaired surrogates become '?', as {@link String#getBytes} does)
     * @param value null, or the value's remaining bytes, taken as a read-only view (not copied): later changes
     *              to its position do not affect the header
     */
    public Header(String key, ByteBuffer value) {
        if (key == null) {
            throw new IllegalArgumentException("A record header key cannot be null");
        }
        this.key = key;
        this.keyUtf8 = ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        this.value = value == null ? null : value.asReadOnlyBuffer();
    }

    /** A header whose value wraps {@code value} (not copied), or is null. */
    public static Header of(String key, byte[] value) {
        return new Header(key, value == null ? null : ByteBuffer.wrap(value));
    }

    /** Decoded from a batch: both buffers are read-only slices of it. */
    Header(ByteBuffer keyUtf8, ByteBuffer value) {
        this.keyUtf8 = keyUtf8;
        this.value = value;
    }

    public String key() {
        String decoded = key;
        if (decoded == null) {
            // Benign race: String is immutable, so two threads decoding at once store equal values.
            // Malformed UTF-8 decodes to U+FFFD, as Kafka's decoding (new String(bytes, UTF_8)) does.
            byte[] bytes = new byte[keyUtf8.remaining()];
            keyUtf8.duplicate().get(bytes);
            decoded = new String(bytes, StandardCharsets.UTF_8);
            key = decoded;
        }
        return decoded;
    }

    /** The key's UTF-8 bytes, read-only; each call returns its own position. */
    public ByteBuffer keyBytes() {
        return keyUtf8.duplicate();
    }

    /** The value, read-only, or null; each call returns its own position, so callers may consume it. */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** The value's length, or -1 for null: what the wire carries. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    int keySize() {
        return keyUtf8.remaining();
    }

    /** The bytes this header takes inside a record. */
    int sizeInBytes() {
        int keySize = keySize();
        int valueSize = valueSize();
        return Varints.sizeOfVarint(keySize) + keySize + Varints.sizeOfVarint(valueSize) + Math.max(valueSize, 0);
    }

    void writeTo(ByteBuffer out) {
        Varints.writeVarint(keySize(), out);
        out.put(keyUtf8.duplicate());
        Varints.writeVarint(valueSize(), out);
        if (value != null) {
            out.put(value.duplicate());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header other && keyUtf8.equals(other.keyUtf8) && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * keyUtf8.hashCode() + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(key=" + key() + ", value=" + (value == null ? "null" : value.remaining() + " bytes") + ")";
    }
}
