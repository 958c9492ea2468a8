package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.ClusterId;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.metadata.record.MetadataRecord.RemoveTopic;
import io.tributary.metadata.record.MetadataRecord.RoutingFence;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The cluster's metadata at one point of the metadata log: registered brokers, topics with their partitions, and the
 * next free producer id. Immutable; {@link #apply} returns the image after one more record, so every node that applies
 * the same records in the same order holds equal images.
 *
 * <p>Invariants, checked on every record ({@link MetadataInvariantException} names the record and the rule):
 * <ul>
 *   <li>broker epochs grow: a registration carries an epoch above every epoch issued before; fencing names the
 *       current incarnation;</li>
 *   <li>topic ids and names are unique; partitions are created in index order on registered brokers;</li>
 *   <li>every partition keeps {@link PartitionState#problem()}'s rules (ISR within the replicas, leader in the ISR);</li>
 *   <li>a partition change raises the partition epoch, never lowers the leader epoch, and raises it when the leader
 *       changes;</li>
 *   <li>the cluster id, once written, never changes (writing the same id again changes nothing);</li>
 *   <li>producer-id blocks only move forward; routing growths chain (each starts where the last ended) and a
 *       partition's fence never decreases.</li>
 * </ul>
 *
 * <p>Design note: maps are copied on each record (O(topics) per record). Metadata changes are rare next to data,
 * and a copy keeps readers lock-free: the broker's request threads read whichever image was current.
 */
public final class MetadataImage {
    /** The image before the first record. */
    public static final MetadataImage EMPTY = new MetadataImage(new TreeMap<>(), new HashMap<>(), new HashMap<>(), null, null);

    private final SortedMap<Integer, BrokerRegistration> brokers;
    private final Map<UUID, TopicImage> topicsById;
    private final Map<String, UUID> topicIdsByName;
    private final ProducerIdBlock lastProducerIdBlock;
    /** Null until the first controller wrote one (and in every image of a log written before the record existed). */
    private final String clusterId;

    private MetadataImage(SortedMap<Integer, BrokerRegistration> brokers, Map<UUID, TopicImage> topicsById,
                          Map<String, UUID> topicIdsByName, ProducerIdBlock lastProducerIdBlock, String clusterId) {
        this.brokers = Collections.unmodifiableSortedMap(brokers);
        this.topicsById = Collections.unmodifiableMap(topicsById);
        this.topicIdsByName = Collections.unmodifiableMap(topicIdsByName);
        this.lastProducerIdBlock = lastProducerIdBlock;
        this.clusterId = clusterId;
    }

    // ---- reading ----

    /** Registered brokers by id. */
    public SortedMap<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    /** Broker {@code id}, or null. */
    public BrokerRegistration broker(int id) {
        return brokers.get(id);
    }

    /** Ids of the registered brokers that are not fenced, ascending. */
    public List<Integer> unfencedBrokerIds() {
        List<Integer> ids = new ArrayList<>();
        for (BrokerRegistration b : brokers.values()) {
            if (!b.fenced()) {
                ids.add(b.brokerId());
            }
        }
        return ids;
    }

    /** Whether {@code brokerId} is registered and not fenced. */
    public boolean isUnfenced(int brokerId) {
        BrokerRegistration b = brokers.get(brokerId);
        return b != null && !b.fenced();
    }

    /** The highest broker epoch issued so far (0 before the first registration). */
    public long highestBrokerEpoch() {
        long highest = 0;
        for (BrokerRegistration b : brokers.values()) {
            highest = Math.max(highest, b.brokerEpoch());
        }
        return highest;
    }

    public Collection<TopicImage> topics() {
        return topicsById.values();
    }

    /** The topic named {@code name}, or null. */
    public TopicImage topic(String name) {
        UUID id = topicIdsByName.get(name);
        return id == null ? null : topicsById.get(id);
    }

    /** The topic with id {@code topicId}, or null. */
    public TopicImage topic(UUID topicId) {
        return topicsById.get(topicId);
    }

    /** The state of {@code topicId}'s partition {@code index}, or null. */
    public PartitionState partition(UUID topicId, int index) {
        TopicImage topic = topicsById.get(topicId);
        return topic == null ? null : topic.partition(index);
    }

    /** The cluster's id as the quorum agreed it, or null before the first controller wrote it. */
    public String clusterId() {
        return clusterId;
    }

    /** The first producer id not yet handed out in a block. */
    public long nextProducerId() {
        return lastProducerIdBlock == null ? 0 : lastProducerIdBlock.nextProducerId();
    }

    // ---- changing ----

    /** The image after {@code records}, applied in order. */
    public MetadataImage apply(List<? extends MetadataRecord> records) {
        MetadataImage image = this;
        for (MetadataRecord record : records) {
            image = image.apply(record);
        }
        return image;
    }

    /**
     * The image after {@code record}.
     *
     * @throws MetadataInvariantException when the record breaks an invariant (this image is unchanged)
     */
    public MetadataImage apply(MetadataRecord record) {
        if (record instanceof RegisterBroker r) {
            return register(r);
        } else if (record instanceof BrokerFencing r) {
            return fence(r);
        } else if (record instanceof Topic r) {
            return createTopic(r);
        } else if (record instanceof TopicConfig r) {
            TopicImage topic = requireTopic(r, r.topicId());
            return withTopic(topic.withConfig(r.key(), r.value()));
        } else if (record instanceof Partition r) {
            return createPartition(r);
        } else if (record instanceof PartitionChange r) {
            return changePartition(r);
        } else if (record instanceof ProducerIdBlock r) {
            return allocateProducerIds(r);
        } else if (record instanceof RoutingFence r) {
            return grow(r);
        } else if (record instanceof RemoveTopic r) {
            return removeTopic(r);
        } else if (record instanceof ClusterId r) {
            return agreeClusterId(r);
        }
        throw new MetadataInvariantException(record, "no rule to apply it");
    }

    private MetadataImage register(RegisterBroker r) {
        if (r.brokerId() < 0) {
            throw new MetadataInvariantException(r, "negative broker id");
        }
        long highest = highestBrokerEpoch();
        if (r.brokerEpoch() <= highest) {
            throw new MetadataInvariantException(r, "broker epoch " + r.brokerEpoch()
                + " is not above the highest issued, " + highest);
        }
        Set<String> listeners = new HashSet<>();
        for (Endpoint e : r.endpoints()) {
            if (!listeners.add(e.listener())) {
                throw new MetadataInvariantException(r, "listener " + e.listener() + " listed twice");
            }
        }
        SortedMap<Integer, BrokerRegistration> next = new TreeMap<>(brokers);
        next.put(r.brokerId(), new BrokerRegistration(r.brokerId(), r.brokerEpoch(), r.endpoints(), r.rack(),
            r.fenced()));
        return new MetadataImage(next, new HashMap<>(topicsById), new HashMap<>(topicIdsByName), lastProducerIdBlock,
            clusterId);
    }

    private MetadataImage fence(BrokerFencing r) {
        BrokerRegistration b = requireIncarnation(r, r.brokerId(), r.brokerEpoch());
        SortedMap<Integer, BrokerRegistration> next = new TreeMap<>(brokers);
        next.put(b.brokerId(), b.withFenced(r.fenced()));
        return new MetadataImage(next, new HashMap<>(topicsById), new HashMap<>(topicIdsByName), lastProducerIdBlock,
            clusterId);
    }

    private MetadataImage createTopic(Topic r) {
        if (r.name().isEmpty()) {
            throw new MetadataInvariantException(r, "empty topic name");
        }
        if (topicsById.containsKey(r.topicId())) {
            throw new MetadataInvariantException(r, "topic id " + r.topicId() + " already used by "
                + topicsById.get(r.topicId()).name());
        }
        if (topicIdsByName.containsKey(r.name())) {
            throw new MetadataInvariantException(r, "topic " + r.name() + " already exists with id "
                + topicIdsByName.get(r.name()));
        }
        Map<UUID, TopicImage> byId = new HashMap<>(topicsById);
        byId.put(r.topicId(), TopicImage.created(r.topicId(), r.name()));
        Map<String, UUID> byName = new HashMap<>(topicIdsByName);
        byName.put(r.name(), r.topicId());
        return new MetadataImage(new TreeMap<>(brokers), byId, byName, lastProducerIdBlock, clusterId);
    }

    private MetadataImage removeTopic(RemoveTopic r) {
        TopicImage topic = requireTopic(r, r.topicId());
        Map<UUID, TopicImage> byId = new HashMap<>(topicsById);
        byId.remove(topic.topicId());
        Map<String, UUID> byName = new HashMap<>(topicIdsByName);
        byName.remove(topic.name());
        return new MetadataImage(new TreeMap<>(brokers), byId, byName, lastProducerIdBlock, clusterId);
    }

    private MetadataImage createPartition(Partition r) {
        TopicImage topic = requireTopic(r, r.topicId());
        if (r.partition() != topic.partitions().size()) {
            throw new MetadataInvariantException(r, "partition " + r.partition() + " created out of order: "
                + topic.name() + " has " + topic.partitions().size() + " partitions");
        }
        PartitionState state = new PartitionState(r.replicas(), r.isr(), r.leader(), r.leaderEpoch(),
            r.partitionEpoch(), r.addingReplicas(), r.removingReplicas());
        checkState(r, state);
        return withTopic(topic.withPartition(r.partition(), state));
    }

    private MetadataImage changePartition(PartitionChange r) {
        TopicImage topic = requireTopic(r, r.topicId());
        PartitionState old = topic.partition(r.partition());
        if (old == null) {
            throw new MetadataInvariantException(r, "no partition " + r.partition() + " in " + topic.name());
        }
        PartitionState state = new PartitionState(r.replicas(), r.isr(), r.leader(), r.leaderEpoch(),
            r.partitionEpoch(), r.addingReplicas(), r.removingReplicas());
        checkState(r, state);
        if (state.partitionEpoch() <= old.partitionEpoch()) {
            throw new MetadataInvariantException(r, "partition epoch " + state.partitionEpoch()
                + " is not above the current " + old.partitionEpoch());
        }
        if (state.leaderEpoch() < old.leaderEpoch()) {
            throw new MetadataInvariantException(r, "leader epoch " + state.leaderEpoch() + " goes back from "
                + old.leaderEpoch());
        }
        if (state.leader() != old.leader() && state.leaderEpoch() == old.leaderEpoch()) {
            throw new MetadataInvariantException(r, "leader changes from " + old.leader() + " to " + state.leader()
                + " under the same leader epoch " + old.leaderEpoch());
        }
        return withTopic(topic.withPartition(r.partition(), state));
    }

    private void checkState(MetadataRecord r, PartitionState state) {
        String problem = state.problem();
        if (problem != null) {
            throw new MetadataInvariantException(r, problem);
        }
        for (int replica : state.replicas()) {
            if (!brokers.containsKey(replica)) {
                throw new MetadataInvariantException(r, "replica " + replica + " is not a registered broker");
            }
        }
    }

    private MetadataImage allocateProducerIds(ProducerIdBlock r) {
        // No incarnation check here: the controller checked it when it decided, and a snapshot replays the last
        // block after its broker may have re-registered under a newer epoch.
        if (r.nextProducerId() <= nextProducerId()) {
            throw new MetadataInvariantException(r, "next producer id " + r.nextProducerId()
                + " is not above the current " + nextProducerId());
        }
        return new MetadataImage(new TreeMap<>(brokers), new HashMap<>(topicsById), new HashMap<>(topicIdsByName), r,
            clusterId);
    }

    private MetadataImage agreeClusterId(ClusterId r) {
        if (r.clusterId().isBlank()) {
            throw new MetadataInvariantException(r, "blank cluster id");
        }
        if (clusterId != null && !clusterId.equals(r.clusterId())) {
            // two controllers each proposed their own id: the first one committed stays; repeating it is harmless
            throw new MetadataInvariantException(r, "the cluster id is already " + clusterId);
        }
        return new MetadataImage(new TreeMap<>(brokers), new HashMap<>(topicsById), new HashMap<>(topicIdsByName),
            lastProducerIdBlock, r.clusterId());
    }

    private MetadataImage grow(RoutingFence r) {
        TopicImage topic = requireTopic(r, r.topicId());
        if (r.before() < 1 || r.after() <= r.before()) {
            throw new MetadataInvariantException(r, "growth from " + r.before() + " to " + r.after()
                + " partitions does not grow");
        }
        if (r.fences().size() != r.before()) {
            throw new MetadataInvariantException(r, r.fences().size() + " fences for " + r.before()
                + " old partitions");
        }
        List<RoutingFence> growths = topic.growths();
        RoutingFence last = growths.isEmpty() ? null : growths.get(growths.size() - 1);
        if (last != null && r.before() != last.after()) {
            throw new MetadataInvariantException(r, "growth starts at " + r.before()
                + " partitions but the last one ended at " + last.after());
        }
        for (int p = 0; p < r.fences().size(); p++) {
            long fence = r.fences().get(p);
            long floor = last != null && p < last.fences().size() ? last.fences().get(p) : 0;
            if (fence < floor) {
                throw new MetadataInvariantException(r, "fence " + fence + " of partition " + p
                    + " is below its previous fence " + floor);
            }
        }
        return withTopic(topic.withGrowth(r));
    }

    private BrokerRegistration requireIncarnation(MetadataRecord r, int brokerId, long brokerEpoch) {
        BrokerRegistration b = brokers.get(brokerId);
        if (b == null) {
            throw new MetadataInvariantException(r, "broker " + brokerId + " is not registered");
        }
        if (b.brokerEpoch() != brokerEpoch) {
            throw new MetadataInvariantException(r, "broker " + brokerId + " epoch " + brokerEpoch
                + " is not the registered " + b.brokerEpoch());
        }
        return b;
    }

    private TopicImage requireTopic(MetadataRecord r, UUID topicId) {
        TopicImage topic = topicsById.get(topicId);
        if (topic == null) {
            throw new MetadataInvariantException(r, "no topic with id " + topicId);
        }
        return topic;
    }

    private MetadataImage withTopic(TopicImage topic) {
        Map<UUID, TopicImage> byId = new HashMap<>(topicsById);
        byId.put(topic.topicId(), topic);
        return new MetadataImage(new TreeMap<>(brokers), byId, new HashMap<>(topicIdsByName), lastProducerIdBlock,
            clusterId);
    }

    // ---- snapshot ----

    /**
     * Records that rebuild this image from {@link #EMPTY}: the cluster id (when agreed), brokers by id, then each topic (by name) with its configs,
     * partitions and growths, then the last producer-id block. {@link ImageSnapshot} stores them.
     */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        if (clusterId != null) {
            records.add(new ClusterId(clusterId));
        }
        // Registrations in epoch order, since each must carry an epoch above every earlier one.
        List<BrokerRegistration> byEpoch = new ArrayList<>(brokers.values());
        byEpoch.sort((a, b) -> Long.compare(a.brokerEpoch(), b.brokerEpoch()));
        for (BrokerRegistration b : byEpoch) {
            records.add(new RegisterBroker(b.brokerId(), b.brokerEpoch(), b.endpoints(), b.rack(), b.fenced()));
        }
        List<TopicImage> topics = new ArrayList<>(topicsById.values());
        topics.sort((a, b) -> a.name().compareTo(b.name()));
        for (TopicImage t : topics) {
            records.add(new Topic(t.topicId(), t.name()));
            t.configs().forEach((k, v) -> records.add(new TopicConfig(t.topicId(), k, v)));
            for (int p = 0; p < t.partitions().size(); p++) {
                PartitionState s = t.partitions().get(p);
                records.add(new Partition(t.topicId(), p, s.replicas(), s.isr(), s.leader(), s.leaderEpoch(),
                    s.partitionEpoch(), s.addingReplicas(), s.removingReplicas()));
            }
            records.addAll(t.growths());
        }
        if (lastProducerIdBlock != null) {
            records.add(lastProducerIdBlock);
        }
        return records;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataImage other && brokers.equals(other.brokers) && topicsById.equals(other.topicsById)
            && java.util.Objects.equals(lastProducerIdBlock, other.lastProducerIdBlock)
            && java.util.Objects.equals(clusterId, other.clusterId);
    }

    @Override
    public int hashCode() {
        return brokers.hashCode() * 31 + topicsById.hashCode();
    }

    @Override
    public String toString() {
        return "MetadataImage(clusterId=" + clusterId + ", brokers=" + brokers.values() + ", topics=" + topicsById.values() + ", nextProducerId="
            + nextProducerId() + ")";
    }
}
