package io.tributary.server.api;

import io.tributary.log.TopicPartition;

/**
 * Told after records are appended to a partition, so that fetches parked waiting for data can complete
 * at once rather than at the end of their max wait. Called on the appending thread; must not block.
 */
@FunctionalInterface
public interface AppendListener {
    AppendListener NONE = partition -> { };

    void appended(TopicPartition partition);
}
