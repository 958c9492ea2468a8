/**
 * The fetch path: Fetch and ListOffsets.
 *
 * <pre>
 * FetchHandler ── decode ──> FetchSessionCache.newContext   sessionless | full | incremental | session error
 *              ── read ────> PartitionReader                 log slices under KIP-74 limits, no copies
 *              ── enough? ─> FetchOperation.answer           LogSliceRecords in the response, slices handed over
 *              └─ too little > FetchPurgatory (DelayedFetch)   woken by appends (AppendListener), expired by a
 *                                                              timer wheel, completed on the connection's event loop
 * ListOffsetsHandler                                           log start/end, max timestamp, timestamp search
 * </pre>
 *
 * Every partition is led by this broker at leader epoch 0 ({@link io.tributary.server.fetch.LeaderEpoch});
 * high watermark and last stable offset are the log end offset (one replica, no transactions).
 */
package io.tributary.server.fetch;
