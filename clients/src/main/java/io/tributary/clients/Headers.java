package io.tributary.clients;

import io.tributary.protocol.record.Header;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The headers of one record, in order; a key may repeat. Elements are the protocol's
 * {@link Header} (a string key, a nullable byte value), so a producer hands them to the batch encoder and a
 * consumer wraps decoded ones without converting or copying.
 *
 * <p>A producer record's headers are mutable until the record is sent ({@link #freeze}); a consumer's are
 * read-only. Not thread-safe while mutable.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(List.of(), true);

    private List<Header> headers;
    private boolean readOnly;

    public Headers() {
        this(new ArrayList<>(2), false);
    }

    private Headers(List<Header> headers, boolean readOnly) {
        this.headers = headers;
        this.readOnly = readOnly;
    }

    /** Read-only headers over {@code headers} (not copied: the list must not change afterwards). */
    public static Headers wrap(List<Header> headers) {
        return headers.isEmpty() ? EMPTY : new Headers(headers, true);
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** Appends a header whose value is {@code value} (not copied; null allowed). */
    public Headers add(String key, byte[] value) {
        return add(Header.of(key, value));
    }

    public Headers add(Header header) {
        checkWritable();
        if (header == null) {
            throw new IllegalArgumentException("A header cannot be null");
        }
        headers.add(header);
        return this;
    }

    /** Removes every header with {@code key}. */
    public Headers remove(String key) {
        checkWritable();
        headers.removeIf(h -> h.key().equals(key));
        return this;
    }

    /** The last header with {@code key}, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    /** The value of the last header with {@code key} as a new array, or null if there is none or its value is null. */
    public byte[] lastValue(String key) {
        Header h = lastHeader(key);
        ByteBuffer v = h == null ? null : h.value();
        if (v == null) {
            return null;
        }
        byte[] bytes = new byte[v.remaining()];
        v.get(bytes);
        return bytes;
    }

    /** Every header with {@code key}, in order. */
    public List<Header> headers(String key) {
        List<Header> found = new ArrayList<>();
        for (Header h : headers) {
            if (h.key().equals(key)) {
                found.add(h);
            }
        }
        return found;
    }

    /** The headers as an unmodifiable list, in order. */
    public List<Header> asList() {
        return Collections.unmodifiableList(headers);
    }

    public int size() {
        return headers.size();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** Makes these headers read-only (a producer does this when a record is sent). */
    public Headers freeze() {
        readOnly = true;
        return this;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new IllegalStateException("These headers are read-only (a received record's, or a sent record's)");
        }
    }

    @Override
    public Iterator<Header> iterator() {
        return asList().iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && headers.equals(other.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}
