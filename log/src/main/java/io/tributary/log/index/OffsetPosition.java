package io.tributary.log.index;

/** An offset index entry: the batch at byte {@code position} of the segment ends at {@code offset}. */
public record OffsetPosition(long offset, int position) {
}
