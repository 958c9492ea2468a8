/**
 * The admin APIs of a one-broker cluster: topics (CreateTopics, DeleteTopics, CreatePartitions), configs
 * (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs) and DescribeCluster, registered by
 * {@link io.tributary.server.admin.AdminApis#register}.
 *
 * <h2>Design</h2>
 * One handler class per API translates between the wire structs and the log module's
 * {@link io.tributary.log.LogManager}, which owns topic metadata and persists every change atomically.
 * The rules Kafka's controller applies before touching anything live here, each in one place:
 * replica placement and the per-request partition cap ({@code ReplicaPlacement}), what a config change
 * asks for ({@code ConfigChanges}), how configs are described with their sources and synonyms
 * ({@code ConfigDescriber}). Refusals are exceptions carrying a Kafka error code
 * ({@code AdminException}), caught per topic or per resource and turned into an error code and a message
 * naming the offending value ({@code ApiError}), so one bad entry never fails the others of a request.
 *
 * <h2>Threads</h2>
 * Handlers that write (create, delete, grow, alter) run on the I/O executor, since the log manager fsyncs
 * metadata files and partition directories; the describing ones answer on the event loop. Config changes
 * are read-modify-write of a topic's overrides and are serialized by one lock ({@code TopicConfigEditor}).
 *
 * <h2>Differences from Kafka</h2>
 * Only this broker's topic configs ({@link io.tributary.log.LogConfig#TOPIC_KEYS}) are accepted; any other Kafka
 * topic config (cleanup.policy, compression.type, min.insync.replicas, ...) is INVALID_CONFIG. Broker
 * configs are read-only (no dynamic broker configs). CreateTopics' timeout_ms is not used: creation is
 * synchronous and complete when answered. A validate-only CreateTopics reports the zero topic id.
 */
package io.tributary.server.admin;
