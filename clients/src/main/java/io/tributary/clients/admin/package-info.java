/**
 * The admin client: {@link io.tributary.clients.admin.TributaryAdmin}.
 *
 * <h2>What it does</h2>
 * <ul>
 * <li>Topics: list, describe (partitions, leaders, replicas, topic ids), create (validate-only too), delete,
 *     add partitions; their configs through describe/alter configs.</li>
 * <li>Configs: DescribeConfigs (values, sources, synonyms) and IncrementalAlterConfigs (set, delete, append,
 *     subtract) of topics and brokers; DescribeCluster.</li>
 * <li>Offsets: ListOffsets (earliest, latest, by timestamp, max timestamp) routed to each partition's leader.</li>
 * <li>Groups: list, describe (state, protocol, members with client ids, hosts and decoded assignments), delete;
 *     committed offsets: list (OffsetFetch), alter (OffsetCommit as an admin: generation -1, no member id),
 *     delete (OffsetDelete); resets (earliest, latest, timestamp, offset, shift, clamped to the log) with a
 *     dry run; lag per partition.</li>
 * </ul>
 *
 * <h2>Design</h2>
 * {@code TributaryAdmin} is the public face and only delegates. Requests are built and read per feature:
 * {@code TopicOperations}, {@code ConfigOperations}, {@code OffsetOperations}, {@code GroupOperations}; each
 * method there is one attempt (send, read the answer, map error codes to exceptions with {@code AdminErrors}).
 * {@code RetryingCall} runs an attempt under the operation's deadline and retries what a retry can fix;
 * {@code GroupPositions} composes retried calls into the lag report and offset resets. Internal futures
 * complete on the network client's I/O thread; {@code AdminContext#deliver} moves every outcome to the
 * callback thread before application code sees it. Nothing is cached: each operation reads fresh metadata and
 * finds the group's coordinator afresh, which costs a round trip and keeps answers current.
 */
package io.tributary.clients.admin;
