/**
 * The group coordinator: Kafka's classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup), committed offsets, and group administration, kept durable in the internal topic
 * {@code __consumer_offsets} in Kafka's own record format.
 *
 * <h2>Shape</h2>
 * <pre>
 * GroupCoordinator            one method per API: (request Struct, version) -&gt; CompletableFuture&lt;response Struct&gt;;
 *   |                         routes a group to partition abs(hash(groupId)) % partitions; ownership; threads
 *   +-- classic.GroupShard    per owned partition: the groups and the whole state machine, on one thread
 *         +-- classic.ClassicGroup / GroupMember    bookkeeping with invariants
 *         +-- storage.OffsetsPartition              records in, records replayed at load
 *               +-- storage.OffsetsTopicFormat      Kafka's key/value layouts, byte for byte
 * timer.Scheduler             the single timer facility (SystemScheduler: one thread for every timeout)
 * </pre>
 * Member metadata and assignments are opaque bytes; assignors run in the clients. The only bytes read are the
 * topics of a "consumer" subscription ({@link io.tributary.groups.classic.ConsumerProtocolTopics}).
 *
 * <h2>Not here (yet)</h2>
 * The KIP-848 consumer protocol (ConsumerGroupHeartbeat), transactional offset commits, share groups, and
 * compaction of {@code __consumer_offsets} (the topic keeps every record until the log module compacts).
 */
package io.tributary.groups;
