package io.tributary.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One change to the cluster's metadata, as the quorum replicates it and every node applies it in log order. The
 * records carry what Kafka's KRaft records of the same name carry (RegisterBrokerRecord, FenceBrokerRecord /
 * UnfenceBrokerRecord, TopicRecord, ConfigRecord, PartitionRecord, PartitionChangeRecord, ProducerIdsRecord), plus
 * Tributary's routing fences of ordered topics (docs/ROUTING.md). Their binary form is {@link RecordCodec}'s.
 *
 * <p>A record states the new values outright (a partition change carries the whole new ISR and both new epochs), so
 * applying it needs no arithmetic that two nodes could do differently.
 */
public sealed interface MetadataRecord {
    /** The leader of a partition that has none. */
    int NO_LEADER = -1;

    /** This record's type in the binary encoding. */
    RecordType type();

    /** One listener of a broker, as Metadata and DescribeCluster publish it. */
    record Endpoint(String listener, String host, int port, String securityProtocol) {
        public Endpoint {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(securityProtocol, "securityProtocol");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " of listener " + listener + " outside [0, 65535]");
            }
        }
    }

    /**
     * A broker (re)registers: a new incarnation with a broker epoch higher than any issued before. A registered
     * broker starts fenced; it is unfenced once it has caught up and heartbeats.
     *
     * @param rack null when the broker has no {@code broker.rack}
     */
    record RegisterBroker(int brokerId, long brokerEpoch, List<Endpoint> endpoints, String rack, boolean fenced)
        implements MetadataRecord {
        public RegisterBroker {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public RecordType type() {
            return RecordType.REGISTER_BROKER;
        }
    }

    /** A broker incarnation is fenced (missed heartbeats, shut down) or unfenced (heartbeating and caught up). */
    record BrokerFencing(int brokerId, long brokerEpoch, boolean fenced) implements MetadataRecord {
        @Override
        public RecordType type() {
            return RecordType.BROKER_FENCING;
        }
    }

    /** A topic is created; its partitions follow as {@link Partition} records. */
    record Topic(UUID topicId, String name) implements MetadataRecord {
        public Topic {
            Objects.requireNonNull(topicId, "topicId");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public RecordType type() {
            return RecordType.TOPIC;
        }
    }

    /** A topic config is set, or removed when {@code value} is null (Kafka's ConfigRecord for a TOPIC resource). */
    record TopicConfig(UUID topicId, String key, String value) implements MetadataRecord {
        public TopicConfig {
            Objects.requireNonNull(topicId, "topicId");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public RecordType type() {
            return RecordType.TOPIC_CONFIG;
        }
    }

    /**
     * A partition is created (its index is the topic's current partition count). A snapshot writes a partition under
     * reassignment this way too, so {@code addingReplicas} and {@code removingReplicas} (subsets of {@code replicas},
     * Kafka's PartitionRecord fields of those names) are empty except in snapshots.
     */
    record Partition(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                     int leaderEpoch, int partitionEpoch, List<Integer> addingReplicas, List<Integer> removingReplicas)
        implements MetadataRecord {
        public Partition {
            Objects.requireNonNull(topicId, "topicId");
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
            addingReplicas = List.copyOf(addingReplicas);
            removingReplicas = List.copyOf(removingReplicas);
        }

        /** A partition not under reassignment. */
        public Partition(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                         int leaderEpoch, int partitionEpoch) {
            this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
        }

        @Override
        public RecordType type() {
            return RecordType.PARTITION;
        }
    }

    /**
     * A partition's leader, ISR, replicas or reassignment change. Carries the whole new state; the partition epoch
     * always grows, the leader epoch grows when the leader changes. While a reassignment runs, {@code replicas} is the
     * target followed by the replicas being removed, {@code addingReplicas} the target's members that are new and
     * {@code removingReplicas} the old members not in the target (Kafka's PartitionChangeRecord); both are empty
     * otherwise.
     */
    record PartitionChange(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                           int leaderEpoch, int partitionEpoch, List<Integer> addingReplicas,
                           List<Integer> removingReplicas) implements MetadataRecord {
        public PartitionChange {
            Objects.requireNonNull(topicId, "topicId");
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
            addingReplicas = List.copyOf(addingReplicas);
            removingReplicas = List.copyOf(removingReplicas);
        }

        /** A change of a partition not under reassignment. */
        public PartitionChange(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                               int leaderEpoch, int partitionEpoch) {
            this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
        }

        @Override
        public RecordType type() {
            return RecordType.PARTITION_CHANGE;
        }
    }

    /**
     * The producer-id block [nextProducerId - blockSize, nextProducerId) was handed to {@code brokerId}: every later
     * block starts at or above {@code nextProducerId} (Kafka's ProducerIdsRecord).
     */
    record ProducerIdBlock(int brokerId, long brokerEpoch, long nextProducerId) implements MetadataRecord {
        @Override
        public RecordType type() {
            return RecordType.PRODUCER_ID_BLOCK;
        }
    }

    /**
     * An ordered topic grew from {@code before} to {@code after} partitions; {@code fences.get(p)} is the log end offset
     * of old partition p at the switch (docs/ROUTING.md, "Growth and its fences").
     */
    record RoutingFence(UUID topicId, int before, int after, List<Long> fences) implements MetadataRecord {
        public RoutingFence {
            Objects.requireNonNull(topicId, "topicId");
            fences = List.copyOf(fences);
        }

        @Override
        public RecordType type() {
            return RecordType.ROUTING_FENCE;
        }
    }

    /**
     * The cluster's id, agreed once for the whole cluster: the first controller that finds none in the image writes
     * the id of its own {@code meta.properties} (Kafka formats one id into every node instead). Every broker serves
     * it once applied, and adopts it into its {@code meta.properties}.
     */
    record ClusterId(String clusterId) implements MetadataRecord {
        public ClusterId {
            Objects.requireNonNull(clusterId, "clusterId");
        }

        @Override
        public RecordType type() {
            return RecordType.CLUSTER_ID;
        }
    }

    /** A topic and all its partitions are deleted (Kafka's RemoveTopicRecord); its id and name may not come back. */
    record RemoveTopic(UUID topicId) implements MetadataRecord {
        public RemoveTopic {
            Objects.requireNonNull(topicId, "topicId");
        }

        @Override
        public RecordType type() {
            return RecordType.REMOVE_TOPIC;
        }
    }
}
