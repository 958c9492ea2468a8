package io.tributary.clients.consumer.fetch;

/**
 * The fetch limits a consumer was configured with ({@code fetch.min.bytes}, {@code fetch.max.bytes},
 * {@code fetch.max.wait.ms}, {@code max.partition.fetch.bytes}) and its isolation level (0 read_uncommitted,
 * 1 read_committed).
 */
public record FetchSettings(int minBytes, int maxBytes, int maxWaitMs, int partitionMaxBytes, byte isolationLevel) {
}
