package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;

/**
 * How far a group is behind in one partition: the log end offset minus its committed offset.
 *
 * @param committedOffset the group's committed offset, or -1 if it has none
 * @param logEndOffset    the partition's log end offset, or -1 if it could not be read (the topic was deleted)
 * @param lag             {@code logEndOffset - committedOffset}, or -1 when either is unknown
 * @param memberId        the member the partition is assigned to, or null when none is
 * @param clientId        that member's client id, or null
 * @param host            that member's host, or null
 */
public record PartitionLag(TopicPartition partition, long committedOffset, long logEndOffset, long lag,
                           String memberId, String clientId, String host) {
}
