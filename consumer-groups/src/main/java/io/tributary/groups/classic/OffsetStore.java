package io.tributary.groups.classic;

import io.tributary.protocol.ClientText;
import io.tributary.groups.CommitOutcome;
import io.tributary.groups.FetchedOffsets;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.GroupError;
import io.tributary.groups.OffsetCommit;
import io.tributary.groups.OffsetDelete;
import io.tributary.groups.OffsetDeleteOutcome;
import io.tributary.groups.OffsetFetch;
import io.tributary.groups.TopicResolver;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.storage.OffsetCommitKey;
import io.tributary.groups.storage.OffsetCommitValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The committed offsets of the groups of one {@code __consumer_offsets} partition: commits, fetches, deletion
 * (OffsetDelete, and with their group), expiry after {@code offsets.retention.minutes}, and the offset records
 * replayed at load.
 *
 * <p>Invariant: the offsets held here are exactly the latest live offset-commit record per (group, topic,
 * partition) in the partition's log: a commit, a deletion or an expiry is appended through
 * {@link ShardContext#append} first and applied only once the append returned, and loading replays the log in
 * offset order. Every group with offsets here has a group in the {@link GroupMembership} (which reads
 * {@link #hasOffsets} to keep it); whether a member may commit, and which group state lets offsets expire or be
 * deleted, is the membership's to say; this class only reads it.
 *
 * <p>Touched only by the partition's thread.
 */
final class OffsetStore {
    private static final Logger log = LoggerFactory.getLogger(OffsetStore.class);

    private final GroupCoordinatorConfig config;
    private final ShardContext shard;
    private final TopicResolver topics;
    private final Map<String, GroupOffsets> offsets = new HashMap<>();
    /**
     * Transactional commits whose transaction has not ended, by producer id (Kafka's pendingTransactionalOffsets):
     * written to the log, not yet visible; a COMMIT marker moves them into {@link #offsets}, an ABORT drops them.
     */
    private final Map<Long, Map<OffsetCommitKey, OffsetCommitValue>> pendingByProducer = new HashMap<>();

    OffsetStore(GroupCoordinatorConfig config, ShardContext shard, TopicResolver topics) {
        this.config = config;
        this.shard = shard;
        this.topics = topics;
    }

    /** One group's committed offsets by topic, then partition, with their count. */
    private static final class GroupOffsets {
        final Map<String, Map<Integer, OffsetCommitValue>> byTopic = new HashMap<>();
        int count;

        OffsetCommitValue get(String topic, int partition) {
            Map<Integer, OffsetCommitValue> byPartition = byTopic.get(topic);
            return byPartition == null ? null : byPartition.get(partition);
        }

        void put(String topic, int partition, OffsetCommitValue value) {
            if (byTopic.computeIfAbsent(topic, t -> new HashMap<>()).put(partition, value) == null) {
                count++;
            }
        }

        void remove(String topic, int partition) {
            Map<Integer, OffsetCommitValue> byPartition = byTopic.get(topic);
            if (byPartition != null && byPartition.remove(partition) != null) {
                count--;
                if (byPartition.isEmpty()) {
                    byTopic.remove(topic);
                }
            }
        }
    }

    boolean hasOffsets(String groupId) {
        GroupOffsets group = offsets.get(groupId);
        return group != null && group.count > 0;
    }

    private int count(String groupId) {
        GroupOffsets group = offsets.get(groupId);
        return group == null ? 0 : group.count;
    }

    private OffsetCommitValue offset(String groupId, String topic, int partition) {
        GroupOffsets group = offsets.get(groupId);
        return group == null ? null : group.get(topic, partition);
    }

    private void put(OffsetCommitKey key, OffsetCommitValue value) {
        offsets.computeIfAbsent(key.group(), g -> new GroupOffsets()).put(key.topic(), key.partition(), value);
    }

    private void remove(OffsetCommitKey key) {
        GroupOffsets group = offsets.get(key.group());
        if (group != null) {
            group.remove(key.topic(), key.partition());
            if (group.count == 0) {
                offsets.remove(key.group());
            }
        }
    }

    /** Applies an offset record read at load: a commit, or (null value) a tombstone. */
    void replay(OffsetCommitKey key, OffsetCommitValue value) {
        if (value == null) {
            remove(key);
        } else {
            put(key, value);
        }
    }

    /** Applies a transactional offset record read at load: pending until its producer's marker. */
    void replayTransactional(OffsetCommitKey key, OffsetCommitValue value, long producerId) {
        if (value != null) {
            pendingByProducer.computeIfAbsent(producerId, p -> new HashMap<>()).put(key, value);
        }
    }

    /**
     * The producer's transaction ended (its marker is in the partition): on commit its pending offsets become the
     * committed ones; on abort they are dropped. Returns the groups that gained offsets.
     */
    List<String> completeTransaction(long producerId, boolean commit) {
        Map<OffsetCommitKey, OffsetCommitValue> pending = pendingByProducer.remove(producerId);
        List<String> groups = new ArrayList<>();
        if (pending == null || !commit) {
            return groups;
        }
        pending.forEach((key, value) -> {
            put(key, value);
            groups.add(key.group());
        });
        return groups;
    }

    private boolean isPending(String groupId, String topic, int partition) {
        if (pendingByProducer.isEmpty()) {
            return false;
        }
        OffsetCommitKey key = new OffsetCommitKey(groupId, topic, partition);
        for (Map<OffsetCommitKey, OffsetCommitValue> pending : pendingByProducer.values()) {
            if (pending.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a deleted group's offsets (their tombstones are in the log). */
    void forget(String groupId) {
        offsets.remove(groupId);
    }

    /** Forgets everything: the partition is no longer served here. */
    void clear() {
        offsets.clear();
        pendingByProducer.clear();
    }

    /** Committed offsets by topic and partition, for snapshots. */
    Map<String, Map<Integer, Long>> snapshot(String groupId) {
        Map<String, Map<Integer, Long>> result = new HashMap<>();
        GroupOffsets group = offsets.get(groupId);
        if (group != null) {
            group.byTopic.forEach((t, ps) -> ps.forEach((p, v) -> result.computeIfAbsent(t, x -> new HashMap<>()).put(p, v.offset())));
        }
        return result;
    }

    /** Tombstones for every offset of the group, for its deletion. */
    List<CoordinatorRecord> tombstones(String groupId) {
        List<CoordinatorRecord> tombstones = new ArrayList<>(count(groupId) + 1);
        GroupOffsets group = offsets.get(groupId);
        if (group != null) {
            group.byTopic.forEach((topic, partitions) -> partitions.keySet().forEach(
                p -> tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(groupId, topic, p)))));
        }
        return tombstones;
    }

    // =====================================================================================================
    // OffsetCommit

    /** What a commit did: the answer, and whether any offset was stored (then the group must exist). */
    record Committed(CommitOutcome outcome, boolean stored) {
    }

    /**
     * Commits the offsets of a request the membership accepted as a whole ({@code groupError} NONE) or refused
     * (then every partition gets that error); answers once the accepted commits are appended, or failed.
     */
    Committed commit(OffsetCommit request, GroupError groupError) {
        return commit(request, groupError, -1, (short) -1);
    }

    /**
     * {@link #commit(OffsetCommit, GroupError)} inside the transaction of {@code producerId} (-1: none): the records go
     * in one transactional batch and the offsets wait in the pending set for the transaction's marker.
     */
    Committed commit(OffsetCommit request, GroupError groupError, long producerId, short producerEpoch) {
        String groupId = request.groupId();
        long retentionMs = request.retentionMs();
        long now = shard.nowMs();
        List<List<GroupError>> results = new ArrayList<>(request.topics().size());
        List<int[]> accepted = new ArrayList<>(); // {topic index, partition index} of each record
        List<CoordinatorRecord> records = new ArrayList<>();
        for (OffsetCommit.Topic topic : request.topics()) {
            boolean byId = topic.name() == null;
            String name = byId ? topics.topicName(topic.topicId()) : topic.name();
            UUID topicId = byId ? topic.topicId() : topics.topicId(name);
            List<GroupError> topicResults = new ArrayList<>(topic.partitions().size());
            for (OffsetCommit.Partition p : topic.partitions()) {
                String metadata = p.metadata();
                GroupError error = groupError;
                if (error == GroupError.NONE) {
                    if (name == null && byId) {
                        error = GroupError.UNKNOWN_TOPIC_ID;
                    } else if (name == null || !topics.exists(name, p.partition())) {
                        error = GroupError.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (metadata != null && metadata.length() > config.offsetMetadataMaxBytes()) {
                        error = GroupError.OFFSET_METADATA_TOO_LARGE;
                    }
                }
                if (error == GroupError.NONE) {
                    OffsetCommitValue value = new OffsetCommitValue(p.offset(), p.leaderEpoch(), metadata == null ? "" : metadata,
                        now, retentionMs >= 0 ? now + retentionMs : -1, topicId);
                    records.add(CoordinatorRecord.offsetCommit(new OffsetCommitKey(groupId, name, p.partition()), value));
                    accepted.add(new int[] {results.size(), topicResults.size()});
                }
                topicResults.add(error);
            }
            results.add(topicResults);
        }
        boolean stored = false;
        if (!records.isEmpty()) {
            GroupError appended = producerId >= 0 ? shard.appendTransactional(records, producerId, producerEpoch)
                : shard.append(records, true);
            if (appended == GroupError.NONE) {
                for (CoordinatorRecord r : records) {
                    if (producerId >= 0) {
                        pendingByProducer.computeIfAbsent(producerId, p -> new HashMap<>())
                            .put((OffsetCommitKey) r.key(), (OffsetCommitValue) r.value());
                    } else {
                        put((OffsetCommitKey) r.key(), (OffsetCommitValue) r.value());
                    }
                }
                stored = producerId < 0;
            } else {
                for (int[] at : accepted) {
                    results.get(at[0]).set(at[1], appended);
                }
            }
        }
        return new Committed(new CommitOutcome(results), stored);
    }

    // =====================================================================================================
    // OffsetFetch

    /**
     * The committed offsets of a group: of the requested topics, or all when none are named. A group without
     * commits answers -1 for every partition asked for, as Kafka does. With {@code require_stable} a partition whose
     * transactional commit is pending answers UNSTABLE_OFFSET_COMMIT (the client retries), as Kafka does.
     */
    FetchedOffsets fetch(OffsetFetch request) {
        GroupOffsets group = offsets.get(request.groupId());
        List<FetchedOffsets.Topic> result = new ArrayList<>();
        if (request.topics() == null) {
            if (group == null) {
                return new FetchedOffsets(GroupError.NONE, result);
            }
            for (Map.Entry<String, Map<Integer, OffsetCommitValue>> t : group.byTopic.entrySet()) {
                List<FetchedOffsets.Partition> partitions = new ArrayList<>(t.getValue().size());
                for (Map.Entry<Integer, OffsetCommitValue> p : t.getValue().entrySet()) {
                    partitions.add(fetched(p.getKey(), p.getValue()));
                }
                partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                result.add(new FetchedOffsets.Topic(t.getKey(), topics.topicId(t.getKey()), partitions));
            }
            result.sort((a, b) -> a.name().compareTo(b.name()));
            return new FetchedOffsets(GroupError.NONE, result);
        }
        for (OffsetFetch.Topic topic : request.topics()) {
            String name = topic.name() != null ? topic.name() : topics.topicName(topic.topicId());
            List<FetchedOffsets.Partition> partitions = new ArrayList<>(topic.partitions().length);
            for (int p : topic.partitions()) {
                if (name == null) {
                    partitions.add(new FetchedOffsets.Partition(p, -1, -1, "", GroupError.UNKNOWN_TOPIC_ID));
                } else if (request.requireStable() && isPending(request.groupId(), name, p)) {
                    partitions.add(new FetchedOffsets.Partition(p, -1, -1, "", GroupError.UNSTABLE_OFFSET_COMMIT));
                } else {
                    partitions.add(fetched(p, group == null ? null : group.get(name, p)));
                }
            }
            result.add(new FetchedOffsets.Topic(name, topic.topicId(), partitions));
        }
        return new FetchedOffsets(GroupError.NONE, result);
    }

    private static FetchedOffsets.Partition fetched(int partition, OffsetCommitValue value) {
        return value == null ? new FetchedOffsets.Partition(partition, -1, -1, "", GroupError.NONE)
            : new FetchedOffsets.Partition(partition, value.offset(), value.leaderEpoch(), value.metadata(), GroupError.NONE);
    }

    // =====================================================================================================
    // OffsetDelete

    /**
     * An OffsetDelete: an Empty group's offsets, or a non-empty consumer group's offsets of topics it does not
     * subscribe to (others: GROUP_SUBSCRIBED_TO_TOPIC); tombstones are appended before it answers.
     *
     * @param group the group as the membership has it, or null
     */
    OffsetDeleteOutcome delete(ClassicGroup group, OffsetDelete request) {
        if (group == null || group.is(GroupState.DEAD)) {
            return OffsetDeleteOutcome.refused(GroupError.GROUP_ID_NOT_FOUND);
        }
        String groupId = group.groupId();
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !ConsumerProtocolTopics.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            return OffsetDeleteOutcome.refused(GroupError.NON_EMPTY_GROUP);
        }
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        List<List<GroupError>> results = new ArrayList<>(request.topics().size());
        for (OffsetDelete.Topic topic : request.topics()) {
            String name = topic.name();
            boolean subscribed = !empty && group.isSubscribedTo(name);
            List<GroupError> topicResults = new ArrayList<>(topic.partitions().length);
            for (int index : topic.partitions()) {
                if (subscribed) {
                    topicResults.add(GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    topicResults.add(GroupError.NONE);
                    if (offset(groupId, name, index) != null) {
                        tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(groupId, name, index)));
                    }
                }
            }
            results.add(topicResults);
        }
        if (!tombstones.isEmpty()) {
            GroupError stored = shard.append(tombstones, false);
            if (stored != GroupError.NONE) {
                return OffsetDeleteOutcome.refused(stored);
            }
            for (CoordinatorRecord r : tombstones) {
                remove((OffsetCommitKey) r.key());
            }
        }
        return new OffsetDeleteOutcome(GroupError.NONE, results);
    }

    // =====================================================================================================
    // expiry

    /**
     * Writes tombstones for expired offsets, Kafka's rules: a commit with its own expiry (v1 value) expires
     * then; otherwise an Empty group's offsets expire offsets.retention.minutes after it became empty (after
     * the commit for a group without a protocol), and a Stable consumer group's offsets of topics it no
     * longer subscribes to expire that long after their commit. An Empty group left without offsets is
     * deleted ({@code expireGroup}, after its tombstone is in the log). Returns the number of offsets expired.
     *
     * @param groups every group of the partition, as the membership has them
     */
    int expire(List<ClassicGroup> groups, Consumer<ClassicGroup> expireGroup) {
        long now = shard.nowMs();
        long retention = config.offsetsRetentionMs();
        int expired = 0;
        for (ClassicGroup group : groups) {
            boolean empty = group.is(GroupState.EMPTY);
            boolean simple = group.protocolType() == null;
            boolean stableConsumer = group.is(GroupState.STABLE) && group.knowsSubscriptions();
            if (!empty && !stableConsumer && !simple) {
                continue;
            }
            List<CoordinatorRecord> tombstones = new ArrayList<>();
            GroupOffsets committed = offsets.get(group.groupId());
            if (committed != null) {
                for (Map.Entry<String, Map<Integer, OffsetCommitValue>> t : committed.byTopic.entrySet()) {
                    if (stableConsumer && !empty && group.isSubscribedTo(t.getKey())) {
                        continue;
                    }
                    for (Map.Entry<Integer, OffsetCommitValue> p : t.getValue().entrySet()) {
                        OffsetCommitValue v = p.getValue();
                        long base = empty && !simple ? group.stateTimestampMs() : v.commitTimestamp();
                        long expiresAt = v.expireTimestamp() >= 0 ? v.expireTimestamp() : base + retention;
                        if (expiresAt <= now) {
                            tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(group.groupId(), t.getKey(), p.getKey())));
                        }
                    }
                }
            }
            boolean deleteGroup = empty && group.size() == 0 && group.pendingMembers.isEmpty()
                && tombstones.size() == count(group.groupId());
            if (deleteGroup) {
                tombstones.add(GroupMembership.groupTombstone(group.groupId()));
            }
            if (tombstones.isEmpty()) {
                continue;
            }
            GroupError stored = shard.append(tombstones, false);
            if (stored != GroupError.NONE) {
                log.warn("Could not expire the offsets of group {}: {}", ClientText.escape(group.groupId()), stored);
                continue;
            }
            for (CoordinatorRecord r : tombstones) {
                if (r.key() instanceof OffsetCommitKey key) {
                    remove(key);
                    expired++;
                }
            }
            if (deleteGroup) {
                log.info("Group {} expired: empty for offsets.retention.minutes with no offsets left", ClientText.escape(group.groupId()));
                expireGroup.accept(group);
            }
        }
        return expired;
    }
}
