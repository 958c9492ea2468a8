package io.tributary.server.metadata;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.protocol.routing.RoutingMode;
import io.tributary.server.cluster.ClusterMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The topics and partition states this broker tells clients about: from the cluster's metadata image when the broker
 * has one (leader, leader epoch, replicas, ISR; replicas on fenced or unregistered brokers are offline), and for a
 * topic created in the local logs by a caller inside this broker and unknown to the cluster (or when there is no
 * cluster), this broker as its only replica and leader at epoch {@link LeaderEpochs#SINGLE_BROKER}.
 *
 * <p>An ordered topic ({@code routing.mode=ordered}) shows no more partitions than the local logs have. The image
 * has a growth's partitions as soon as the controller committed it, but this broker fences the old partitions and
 * records the growth's {@code routing.fences} only when its {@code MetadataPublisher} applies that image. A client
 * shown the new partitions before then could be handed one while DescribeConfigs still answered the fences without
 * that growth, and a {@code RoutingConsumer} would take it for one of the topic's first partitions and not hold it
 * (docs/ROUTING.md). So a broker shows a growth only once it has recorded its fences.
 *
 * <p>Design note: Metadata and DescribeTopicPartitions both answer from here, so the two APIs cannot disagree about a
 * partition. A request takes one {@link View}, which holds one image throughout, so an answer is never a mix of two
 * versions of the cluster.
 */
public final class TopicStates {
    private static final int[] NO_NODES = new int[0];

    private final LogManager logs;
    private final int nodeId;
    /** The cluster's newest image; null without a cluster. */
    private final Supplier<MetadataImage> images;

    /** @param cluster the cluster metadata; null: this broker alone leads every local topic */
    public TopicStates(LogManager logs, int nodeId, ClusterMetadata cluster) {
        this(logs, nodeId, cluster == null ? null : (Supplier<MetadataImage>) cluster::image);
    }

    /** @param images the cluster's newest image; null: this broker alone leads every local topic */
    TopicStates(LogManager logs, int nodeId, Supplier<MetadataImage> images) {
        this.logs = logs;
        this.nodeId = nodeId;
        this.images = images;
    }

    /** The topics as they are now, for one request. */
    public View view() {
        return new View(images == null ? null : images.get());
    }

    /** The topics of one image (or of the local logs alone, without a cluster). */
    public final class View {
        private final MetadataImage image;

        private View(MetadataImage image) {
            this.image = image;
        }

        /** The image this view reads, null without a cluster. */
        public MetadataImage image() {
            return image;
        }

        /** Every topic's name, sorted (natural String order, as Kafka sorts them). */
        public List<String> names() {
            List<String> names = new ArrayList<>();
            if (image != null) {
                image.topics().forEach(t -> names.add(t.name()));
                logs.topics().keySet().stream().filter(n -> image.topic(n) == null).forEach(names::add);
            } else {
                names.addAll(logs.topics().keySet());
            }
            names.sort(null);
            return names;
        }

        /** The topic named {@code name}, or null when there is none. */
        public DescribedTopic topic(String name) {
            TopicImage topic = image == null ? null : image.topic(name);
            return topic != null ? of(topic) : of(logs.topic(name));
        }

        /** The topic with id {@code topicId}, or null when there is none. */
        public DescribedTopic topic(UUID topicId) {
            TopicImage topic = image == null ? null : image.topic(topicId);
            return topic != null ? of(topic) : of(logs.topic(topicId));
        }

        /** {@code topic} as this view's image has it; an ordered topic's growth only once recorded here. */
        public DescribedTopic of(TopicImage topic) {
            return new DescribedTopic(topic.name(), topic.topicId(), shownPartitions(topic), image, topic, 0);
        }

        private int shownPartitions(TopicImage topic) {
            int count = topic.partitions().size();
            TopicMetadata local = logs.topic(topic.name());
            if (local != null && local.partitionCount() < count && local.topicId().equals(topic.topicId())
                && logs.defaults().withOverrides(local.configOverrides()).routingMode == RoutingMode.ORDERED) {
                return local.partitionCount(); // the publisher has not applied the growth yet: its fences are not taken
            }
            return count;
        }

        /** A topic of the local logs alone, led here; null for null. */
        public DescribedTopic of(TopicMetadata topic) {
            return topic == null ? null : new DescribedTopic(topic.name(), topic.topicId(), topic.partitionCount(), null, null, nodeId);
        }
    }

    /** One topic; its partitions are described on demand, so a caller reading a few of many pays for those few. */
    public static final class DescribedTopic {
        private final String name;
        private final UUID topicId;
        private final int partitionCount;
        private final MetadataImage image;
        private final TopicImage topic;
        private final int localLeader;

        private DescribedTopic(String name, UUID topicId, int partitionCount, MetadataImage image, TopicImage topic, int localLeader) {
            this.name = name;
            this.topicId = topicId;
            this.partitionCount = partitionCount;
            this.image = image;
            this.topic = topic;
            this.localLeader = localLeader;
        }

        public String name() {
            return name;
        }

        public UUID topicId() {
            return topicId;
        }

        public boolean isInternal() {
            return InternalTopics.isInternal(name);
        }

        public int partitionCount() {
            return partitionCount;
        }

        /** Partition {@code index}, 0 <= index < {@link #partitionCount()}. */
        public DescribedPartition partition(int index) {
            if (topic == null) {
                int[] self = {localLeader};
                return new DescribedPartition(index, localLeader, LeaderEpochs.SINGLE_BROKER, self, self, NO_NODES, true);
            }
            PartitionState state = topic.partitions().get(index);
            int[] offline = state.replicas().stream().filter(r -> !image.isUnfenced(r)).mapToInt(Integer::intValue).toArray();
            return new DescribedPartition(index, state.leader(), state.leaderEpoch(),
                state.replicas().stream().mapToInt(Integer::intValue).toArray(),
                state.isr().stream().mapToInt(Integer::intValue).toArray(), offline, state.hasLeader());
        }
    }

    /**
     * One partition as clients see it.
     *
     * @param leader    the leader's broker id, -1 (Kafka's NO_LEADER_ID) when it has none
     * @param offline   the replicas on brokers that are fenced or not registered
     * @param hasLeader whether {@code leader} names a broker
     */
    public record DescribedPartition(int index, int leader, int leaderEpoch, int[] replicas, int[] isr, int[] offline,
                                     boolean hasLeader) {
    }
}
