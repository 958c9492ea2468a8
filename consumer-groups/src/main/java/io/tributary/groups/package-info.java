/**
 * The group coordinator: Kafka's classic consumer-group protocol (join, sync, heartbeat, leave), committed
 * offsets, and group administration, kept durable in the internal topic {@code __consumer_offsets} in Kafka's
 * own record format. It speaks its own request and outcome types ({@link io.tributary.groups.JoinGroup},
 * {@link io.tributary.groups.OffsetCommit}, ... with {@link io.tributary.groups.GroupError} for refusals);
 * the broker's {@code server.group} translates the Kafka wire format, version by version.
 *
 * <h2>Shape</h2>
 * <pre>
 * GroupCoordinator              one method per operation: domain request -&gt; CompletableFuture&lt;outcome&gt;;
 *   |                           routes a group to partition abs(hash(groupId)) % partitions; ownership; threads
 *   +-- classic.GroupShard      per owned partition: its thread, lifecycle, appends and timers; routes to
 *         +-- classic.GroupMembership   the join/sync/heartbeat/leave state machine, generations, static members
 *         |     +-- classic.ClassicGroup / GroupMember    bookkeeping with invariants
 *         +-- classic.OffsetStore       committed offsets: commit, fetch, delete, expiry
 *         +-- storage.OffsetsPartition  records in, records replayed at load
 *               +-- storage.OffsetsTopicFormat   Kafka's key/value layouts, byte for byte
 * timer.Scheduler               the single timer facility (SystemScheduler: one thread for every timeout)
 * </pre>
 * Member metadata and assignments are opaque bytes; assignors run in the clients. The only bytes read are the
 * topics of a "consumer" subscription ({@link io.tributary.groups.classic.ConsumerProtocolTopics}).
 *
 * <h2>Not here (yet)</h2>
 * The KIP-848 consumer protocol (ConsumerGroupHeartbeat), transactional offset commits and share groups.
 */
package io.tributary.groups;
