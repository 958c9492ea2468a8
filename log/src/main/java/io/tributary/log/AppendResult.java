package io.tributary.log;

/**
 * What an append assigned: offsets {@code firstOffset..lastOffset} (inclusive), the broker time stamped
 * into the batches for log-append-time topics (-1 otherwise), and the log start offset after the append.
 * An append of no batches assigns nothing: first and last offset are -1.
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
                           int batchCount, int recordCount, int sizeInBytes) {
}
