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
 * partition) among the replicated part of the partition's log: a commit, a deletion or an expiry is appended through
 * {@link ShardContext#append} first and applied only once its followers have it (Kafka's pending offset commits: an
 * OffsetFetch meanwhile sees the previous offset, and a failed write leaves it), and loading replays the log in
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
     * (then every partition gets that error); answers once the accepted commits are replicated (and only then are
     * they visible), or with the write's error for each of them.
     */
    void commit(OffsetCommit request, GroupError groupError, Consumer<Committed> respond) {
        commit(request, groupError, -1, (short) -1, respond);
    }

    /**
     * {@link #commit(OffsetCommit, GroupError, Consumer)} inside the transaction of {@code producerId} (-1: none): the
     * records go in one transactional batch and the offsets wait in the pending set for the transaction's marker
     * (from the append on, as Kafka's pending transactional offsets do, so require_stable sees them; a failed write
     * takes them out again).
     */
    void commit(OffsetCommit request, GroupError groupError, long producerId, short producerEpoch, Consumer<Committed> respond) {
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
        if (records.isEmpty()) {
            respond.accept(new Committed(new CommitOutcome(results), false));
            return;
        }
        Consumer<GroupError> written = appended -> {
            if (appended == GroupError.NONE) {
                if (producerId < 0) {
                    for (CoordinatorRecord r : records) {
                        put((OffsetCommitKey) r.key(), (OffsetCommitValue) r.value());
                    }
                }
            } else {
                if (producerId >= 0) {
                    dropPending(producerId, records);
                }
                for (int[] at : accepted) {
                    results.get(at[0]).set(at[1], appended);
                }
            }
            respond.accept(new Committed(new CommitOutcome(results), appended == GroupError.NONE && producerId < 0));
        };
        if (producerId >= 0) {
            Map<OffsetCommitKey, OffsetCommitValue> pending = pendingByProducer.computeIfAbsent(producerId, p -> new HashMap<>());
            for (CoordinatorRecord r : records) {
                pending.put((OffsetCommitKey) r.key(), (OffsetCommitValue) r.value());
            }
            shard.appendTransactional(records, producerId, producerEpoch, written);
        } else {
            shard.append(records, true, written);
        }
    }

    /** Takes a failed transactional write's offsets out of the pending set, unless a later write replaced them. */
    private void dropPending(long producerId, List<CoordinatorRecord> records) {
        Map<OffsetCommitKey, OffsetCommitValue> pending = pendingByProducer.get(producerId);
        if (pending == null) {
            return; // the transaction ended meanwhile
        }
        for (CoordinatorRecord r : records) {
            pending.remove((OffsetCommitKey) r.key(), (OffsetCommitValue) r.value());
        }
        if (pending.isEmpty()) {
            pendingByProducer.remove(producerId);
        }
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
     * subscribe to (others: GROUP_SUBSCRIBED_TO_TOPIC); answered once the tombstones are replicated, and the offsets
     * disappear then (an offset committed again meanwhile stays).
     *
     * @param group the group as the membership has it, or null
     */
    void delete(ClassicGroup group, OffsetDelete request, Consumer<OffsetDeleteOutcome> respond) {
        if (group == null || group.is(GroupState.DEAD)) {
            respond.accept(OffsetDeleteOutcome.refused(GroupError.GROUP_ID_NOT_FOUND));
            return;
        }
        String groupId = group.groupId();
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !ConsumerProtocolTopics.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            respond.accept(OffsetDeleteOutcome.refused(GroupError.NON_EMPTY_GROUP));
            return;
        }
        Map<OffsetCommitKey, OffsetCommitValue> deleted = new HashMap<>();
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
                    OffsetCommitValue current = offset(groupId, name, index);
                    if (current != null) {
                        OffsetCommitKey key = new OffsetCommitKey(groupId, name, index);
                        tombstones.add(CoordinatorRecord.tombstone(key));
                        deleted.put(key, current);
                    }
                }
            }
            results.add(topicResults);
        }
        if (tombstones.isEmpty()) {
            respond.accept(new OffsetDeleteOutcome(GroupError.NONE, results));
            return;
        }
        shard.append(tombstones, false, stored -> {
            if (stored != GroupError.NONE) {
                respond.accept(OffsetDeleteOutcome.refused(stored));
                return;
            }
            deleted.forEach(this::removeIfUnchanged);
            respond.accept(new OffsetDeleteOutcome(GroupError.NONE, results));
        });
    }

    /** Removes an offset a replicated tombstone deleted, unless a commit appended after the tombstone replaced it. */
    private boolean removeIfUnchanged(OffsetCommitKey key, OffsetCommitValue tombstoned) {
        if (offset(key.group(), key.topic(), key.partition()) != tombstoned) {
            return false;
        }
        remove(key);
        return true;
    }

    // =====================================================================================================
    // expiry

    /**
     * Writes tombstones for expired offsets, Kafka's rules: a commit with its own expiry (v1 value) expires
     * then; otherwise an Empty group's offsets expire offsets.retention.minutes after it became empty (after
     * the commit for a group without a protocol), and a Stable consumer group's offsets of topics it no
     * longer subscribes to expire that long after their commit. An Empty group left without offsets is
     * deleted ({@code expireGroup}, after its tombstone is replicated, if it is still empty and without offsets then).
     * The offsets disappear once their tombstones are replicated. Returns the number of offsets expired by the time
     * this returns (all of them on a broker alone; those still waiting for followers are not counted).
     *
     * @param groups every group of the partition, as the membership has them
     */
    int expire(List<ClassicGroup> groups, Consumer<ClassicGroup> expireGroup) {
        long now = shard.nowMs();
        long retention = config.offsetsRetentionMs();
        int[] expired = {0};
        for (ClassicGroup group : groups) {
            boolean empty = group.is(GroupState.EMPTY);
            boolean simple = group.protocolType() == null;
            boolean stableConsumer = group.is(GroupState.STABLE) && group.knowsSubscriptions();
            if (!empty && !stableConsumer && !simple) {
                continue;
            }
            List<CoordinatorRecord> tombstones = new ArrayList<>();
            Map<OffsetCommitKey, OffsetCommitValue> expiring = new HashMap<>();
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
                            OffsetCommitKey key = new OffsetCommitKey(group.groupId(), t.getKey(), p.getKey());
                            tombstones.add(CoordinatorRecord.tombstone(key));
                            expiring.put(key, v);
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
            shard.append(tombstones, false, stored -> {
                if (stored != GroupError.NONE) {
                    log.warn("Could not expire the offsets of group {}: {}", ClientText.escape(group.groupId()), stored);
                    return;
                }
                expiring.forEach((key, value) -> {
                    if (removeIfUnchanged(key, value)) {
                        expired[0]++;
                    }
                });
                if (deleteGroup && group.is(GroupState.EMPTY) && group.size() == 0 && group.pendingMembers.isEmpty()
                    && !hasOffsets(group.groupId())) {
                    log.info("Group {} expired: empty for offsets.retention.minutes with no offsets left", ClientText.escape(group.groupId()));
                    expireGroup.accept(group);
                }
            });
        }
        return expired[0];
    }
}
