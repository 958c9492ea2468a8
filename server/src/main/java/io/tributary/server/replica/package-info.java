/**
 * Partition replication between brokers: the seam between the metadata (which assigns leaders, replicas and
 * ISRs) and the data path (follower fetchers, the leader's high watermark and ISR tracking, acks=all).
 * {@link io.tributary.server.replica.PartitionAssignment} is what crosses it.
 */
package io.tributary.server.replica;
