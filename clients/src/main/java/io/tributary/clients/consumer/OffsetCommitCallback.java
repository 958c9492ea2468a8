package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;

import java.util.Map;

/**
 * Told the outcome of a {@code commitAsync}, on the application thread during a later {@code poll},
 * {@code commitSync} or {@code close}, in the order the commits were made.
 */
@FunctionalInterface
public interface OffsetCommitCallback {
    /** @param exception null on success; else why the commit failed (the offsets are then not committed) */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
