/**
 * The broker on the metadata quorum: its quorum member and controller ({@link io.tributary.server.cluster.ClusterMetadata}),
 * its registration and heartbeats ({@link io.tributary.server.cluster.BrokerHeartbeats}), the image applied to the
 * local logs and to {@link io.tributary.server.replica.PartitionRoles} ({@link io.tributary.server.cluster.MetadataPublisher}),
 * and what request handlers ask of it: who leads a partition ({@link io.tributary.server.cluster.PartitionLeadership}),
 * where a broker is ({@link io.tributary.server.cluster.QuorumBrokerDirectory}), ISR changes
 * ({@link io.tributary.server.cluster.QuorumIsrChangeChannel}).
 */
package io.tributary.server.cluster;
