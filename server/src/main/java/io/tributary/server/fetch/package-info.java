/**
 * The fetch path: Fetch, ListOffsets and OffsetForLeaderEpoch.
 *
 * <pre>
 * FetchHandler ── decode ──> FetchSessionCache.newContext   sessionless | full | incremental | session error
 *              ── read ────> PartitionReader                 log slices under KIP-74 limits, no copies
 *              ── enough? ─> FetchOperation.answer           LogSliceRecords in the response, slices handed over
 *              └─ too little > FetchPurgatory (DelayedFetch)   woken by log events (any writer), expired by a
 *                                                              timer wheel, completed on the connection's event loop
 * ListOffsetsHandler                                           log start/end, max timestamp, timestamp search
 * OffsetForLeaderEpochHandler                                  end offset of a leader epoch, from the log's epoch cache
 * </pre>
 *
 * Leadership, leader epochs and high watermarks come from {@link io.tributary.server.replica.ReplicaView}: a partition
 * without an assignment is led by this broker at leader epoch 0 ({@link io.tributary.log.epoch.LeaderEpochs#SINGLE_BROKER})
 * with its high watermark at the log end offset; a replicated one at the assignment's epoch, with the high watermark
 * the leader advances over the ISR. Consumers read up to the high watermark; followers (replica id set) up to the log
 * end offset. The last stable offset is the log's (the first offset of its oldest open transaction, else the log end
 * offset), bounded by the high watermark; read_committed fetches read up to it and take {@code aborted_transactions}
 * from the log's aborted-transaction index; ListOffsets LATEST answers it for them and the high watermark otherwise.
 *
 * <p>Allocation: per request, a few small objects per partition (what it asks, what its read found, its
 * response struct) and one slice handle per partition with records; record bytes are never on the heap.
 * A parked fetch re-reads on each (coalesced) wake-up rather than tracking byte positions as Kafka's
 * DelayedFetch does: simpler, and a read is an index lookup plus a few header preads.
 */
package io.tributary.server.fetch;
