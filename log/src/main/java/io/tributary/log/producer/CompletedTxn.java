package io.tributary.log.producer;

/**
 * A producer's transaction in one partition that a COMMIT or ABORT marker has just ended: its batches span
 * {@code firstOffset} (its first batch) to {@code lastOffset} (the marker itself), and {@code lastStableOffset} is
 * the partition's last stable offset once it ended — the first offset of the oldest transaction still open, or the
 * offset after the marker when none is. An aborted one becomes an entry of the aborted-transaction index.
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset, boolean aborted) {
}
