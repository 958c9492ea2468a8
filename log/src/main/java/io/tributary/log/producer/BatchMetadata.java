package io.tributary.log.producer;

/**
 * What the broker remembers of one batch an idempotent producer wrote: its sequence range, the offsets it
 * was given, and the log-append time stamped into it (-1 on create-time topics), so that a retry of the
 * batch is answered exactly as the original was.
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long logAppendTimeMs) {
}
