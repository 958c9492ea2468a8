package io.tributary.server.group;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.server.replica.BrokerDirectory;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * FindCoordinator's answer in a cluster (Kafka's KafkaApis.getCoordinator): the coordinator of a key is the leader of
 * partition {@code abs(key.hashCode()) % partitions} of its internal topic ({@code __consumer_offsets} for groups,
 * {@code __transaction_state} for transactional ids), read from this broker's metadata image, answered with that
 * broker's endpoint on the listener the request came in on. COORDINATOR_NOT_AVAILABLE when the topic does not exist
 * yet (its creation is started then, as Kafka does), when the partition has no leader, or when the leader is fenced
 * or has no such listener. The chosen broker itself answers NOT_COORDINATOR should the image here be stale.
 *
 * <p>Design note: a separate class because the answer depends only on the image, not on what this broker's
 * coordinators have loaded; a pure function of (image, topic, key, listener), so a broker that is not the coordinator
 * answers exactly as the coordinator would.
 */
public final class CoordinatorLocator {
    /** The answer for one key; {@code node} is {@link Node#NO_NODE} unless {@code error} is NONE. */
    public record Located(ErrorCode error, String message, Node node) {
    }

    private final Supplier<MetadataImage> image;
    private final BrokerDirectory brokers;
    private final Consumer<String> createMissingTopic;

    /**
     * @param createMissingTopic starts creating an internal topic the image lacks (asynchronously; called again on the
     *                           next request while it is missing, so it must tolerate repeats)
     */
    public CoordinatorLocator(Supplier<MetadataImage> image, BrokerDirectory brokers, Consumer<String> createMissingTopic) {
        this.image = image;
        this.brokers = brokers;
        this.createMissingTopic = createMissingTopic;
    }

    /** The coordinator of {@code key} among the partitions of {@code internalTopic}, for a client on {@code listenerName}. */
    public Located locate(String internalTopic, String key, String listenerName) {
        TopicImage topic = image.get().topic(internalTopic);
        if (topic == null || topic.partitions().isEmpty()) {
            createMissingTopic.accept(internalTopic);
            return unavailable(internalTopic + " does not exist yet; it is being created");
        }
        int partition = partitionFor(key, topic.partitions().size());
        PartitionState state = topic.partition(partition);
        if (state == null || state.leader() < 0) {
            return unavailable("Partition " + partition + " of " + internalTopic + " has no leader");
        }
        Optional<Node> endpoint = brokers.endpoint(state.leader(), listenerName);
        if (endpoint.isEmpty()) {
            return unavailable("Broker " + state.leader() + ", leader of partition " + partition + " of " + internalTopic
                + ", is fenced or has no listener " + listenerName);
        }
        Node node = endpoint.get();
        return new Located(ErrorCode.NONE, null, new Node(node.id(), node.host(), node.port()));
    }

    /** Kafka's rule for both coordinators: {@code Utils.abs(key.hashCode()) % partitions}. */
    public static int partitionFor(String key, int partitionCount) {
        int hash = (key == null ? "" : key).hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }

    private static Located unavailable(String message) {
        return new Located(ErrorCode.COORDINATOR_NOT_AVAILABLE, message, Node.NO_NODE);
    }
}
