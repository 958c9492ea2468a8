package io.tributary.server.fetch;

/**
 * What a fetch asks of one partition: read from {@code fetchOffset}, at most {@code maxBytes} (but see
 * KIP-74 in {@link PartitionReader}), with the fetcher's idea of the leader epoch ({@code -1}: none) and
 * of the epoch of the last batch it fetched ({@code -1}: none; consumers do not send it).
 */
record PartitionRequest(FetchKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch, int lastFetchedEpoch) {
}
