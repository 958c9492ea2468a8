package io.tributary.clients.metadata;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable snapshot of what the client knows about the cluster: brokers, topics with their ids and
 * partitions, and each partition's leader. A new snapshot replaces the old one on every metadata answer;
 * code that needs consistent answers (a partition count and a leader) takes one snapshot and asks it both.
 * Before the first answer, the snapshot holds only the bootstrap addresses ({@link #isBootstrap()}).
 */
public final class Cluster {
    private final String clusterId;
    private final List<Node> bootstrap;
    private final Map<Integer, Node> nodes;
    private final Map<String, TopicMetadata> topics;
    private final Map<UUID, String> namesById;
    private final long updatedAtMs;

    Cluster(String clusterId, List<Node> bootstrap, Map<Integer, Node> nodes, Map<String, TopicMetadata> topics,
            Map<UUID, String> namesById, long updatedAtMs) {
        this.clusterId = clusterId;
        this.bootstrap = List.copyOf(bootstrap);
        this.nodes = Collections.unmodifiableMap(nodes);
        this.topics = Collections.unmodifiableMap(topics);
        this.namesById = Collections.unmodifiableMap(namesById);
        this.updatedAtMs = updatedAtMs;
    }

    static Cluster bootstrap(List<Node> bootstrap) {
        return new Cluster(null, bootstrap, Map.of(), Map.of(), Map.of(), -1);
    }

    /** True until the first metadata answer: only bootstrap addresses are known. */
    public boolean isBootstrap() {
        return updatedAtMs < 0;
    }

    /** The cluster id the brokers reported, or null. */
    public String clusterId() {
        return clusterId;
    }

    /** The brokers, or the bootstrap addresses (negative ids) before the first answer. */
    public Collection<Node> nodes() {
        return nodes.isEmpty() ? bootstrap : nodes.values();
    }

    public List<Node> bootstrapNodes() {
        return bootstrap;
    }

    /** The broker with {@code id}, or null. */
    public Node node(int id) {
        return nodes.get(id);
    }

    /** The topic, or null if it was not asked for (or not yet answered). */
    public TopicMetadata topic(String name) {
        return topics.get(name);
    }

    public Map<String, TopicMetadata> topics() {
        return topics;
    }

    /** Partitions of an available topic, or -1 when it is unknown or has an error. */
    public int partitionCount(String topic) {
        TopicMetadata t = topics.get(topic);
        return t == null || !t.isAvailable() ? -1 : t.partitionCount();
    }

    /** The partition's metadata, or null if the topic or partition is unknown. */
    public PartitionMetadata partition(TopicPartition tp) {
        TopicMetadata t = topics.get(tp.topic());
        return t == null || tp.partition() >= t.partitions().size() ? null : t.partitions().get(tp.partition());
    }

    /** The broker leading the partition, or null if it is unknown or has no leader now. */
    public Node leader(TopicPartition tp) {
        PartitionMetadata p = partition(tp);
        return p == null || !p.hasLeader() ? null : nodes.get(p.leaderId());
    }

    /** The topic's id, or null if unknown (or the broker sent none). */
    public UUID topicId(String topic) {
        TopicMetadata t = topics.get(topic);
        return t == null || t.topicId().equals(new UUID(0, 0)) ? null : t.topicId();
    }

    /** The name of the topic with {@code id}, or null. */
    public String topicName(UUID id) {
        return namesById.get(id);
    }

    /** Wall-clock time of the answer this snapshot comes from, or -1 for the bootstrap snapshot. */
    public long updatedAtMs() {
        return updatedAtMs;
    }

    @Override
    public String toString() {
        return "Cluster(id=" + clusterId + ", nodes=" + nodes() + ", topics=" + topics.keySet() + ")";
    }
}
