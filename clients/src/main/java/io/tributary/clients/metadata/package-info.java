/**
 * The cluster metadata cache. {@link io.tributary.clients.metadata.Metadata} keeps an immutable
 * {@link io.tributary.clients.metadata.Cluster} snapshot (brokers, topics, topic ids, partitions, leaders)
 * fresh for the topics a client asks for:
 * <pre>{@code
 * Metadata metadata = new Metadata(network, config, allowAutoTopicCreation);
 * Cluster cluster = metadata.awaitTopic("orders", Duration.ofMillis(maxBlockMs)); // TimeoutException names the topic
 * int partitions = cluster.partitionCount("orders");
 * Node leader = cluster.leader(new TopicPartition("orders", 3));
 * ...
 * metadata.onPartitionError(tp, ErrorCode.NOT_LEADER_OR_FOLLOWER);   // refreshes: the leader moved
 * }</pre>
 * Refreshes happen on demand, on stale-metadata errors and after {@code metadata.max.age.ms}, one at a
 * time, with {@code retry.backoff.ms} between them and exponential backoff after failures.
 */
package io.tributary.clients.metadata;
