package io.tributary.log.index;

/** A time index entry, or a lookup answer: {@code timestamp} and the {@code offset} it belongs to. */
public record TimestampOffset(long timestamp, long offset) {
}
