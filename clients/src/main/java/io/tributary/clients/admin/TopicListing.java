package io.tributary.clients.admin;

import java.util.UUID;

/**
 * A topic as a listing shows it.
 *
 * @param topicId  null when the broker sent none
 * @param internal one of the cluster's own topics (__consumer_offsets)
 */
public record TopicListing(String name, UUID topicId, boolean internal, int partitions) {
}
