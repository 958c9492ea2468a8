package io.tributary.clients.consumer.state;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a consumer consumes and where it is: the subscription (topics, a pattern, or partitions assigned by the
 * application) and, for every assigned partition, its position, pause flag and pending offset reset.
 *
 * <p>Invariants: the three ways to subscribe exclude each other until {@link #unsubscribe()}; a partition has a
 * state exactly while it is assigned; a position, once known, only changes by consumption, a seek or a reset,
 * and each seek or reset bumps the partition's {@linkplain PartitionState#epoch() epoch}, so fetches started
 * before it can be recognised as stale and dropped.
 *
 * <p>Design note: confined to the application thread, like the rest of a consumer's state that the application
 * can change (the I/O thread only hands completed fetches over), so it needs no locks.
 */
public final class SubscriptionState {
    /** How the consumer was told what to consume. */
    public enum Type {
        NONE, TOPICS, PATTERN, USER_ASSIGNED
    }

    private final OffsetResetStrategy defaultReset;
    private Type type = Type.NONE;
    private Set<String> topics = Set.of();
    private Pattern pattern;
    private final Map<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();

    public SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    public Type type() {
        return type;
    }

    public OffsetResetStrategy defaultReset() {
        return defaultReset;
    }

    /** @return whether the set of topics changed */
    public boolean subscribe(Collection<String> newTopics) {
        setType(Type.TOPICS);
        return changeTopics(newTopics);
    }

    public void subscribe(Pattern newPattern) {
        setType(Type.PATTERN);
        this.pattern = newPattern;
    }

    /** For a pattern subscription: the existing topics that match it now. @return whether they changed */
    public boolean matchedTopics(Collection<String> matching) {
        if (type != Type.PATTERN) {
            throw new IllegalStateException("Topics are matched only for a pattern subscription, not " + type);
        }
        return changeTopics(matching);
    }

    private boolean changeTopics(Collection<String> newTopics) {
        Set<String> next = Set.copyOf(newTopics);
        boolean changed = !next.equals(topics);
        topics = next;
        return changed;
    }

    /**
     * Assigns exactly {@code partitions} chosen by the application: states of partitions that stay are kept,
     * others dropped.
     */
    public void assignFromUser(Collection<TopicPartition> partitions) {
        setType(Type.USER_ASSIGNED);
        Set<String> assignedTopics = new LinkedHashSet<>();
        partitions.forEach(tp -> assignedTopics.add(tp.topic()));
        topics = Set.copyOf(assignedTopics);
        replaceAssignment(partitions);
    }

    /** Sets the assignment the group gave, keeping the state of partitions that stay. */
    public void assignFromGroup(Collection<TopicPartition> partitions) {
        if (type != Type.TOPICS && type != Type.PATTERN) {
            throw new IllegalStateException("A group assignment needs a subscription, but the consumer is " + type);
        }
        replaceAssignment(partitions);
    }

    private void replaceAssignment(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> kept = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState state = assignment.get(tp);
            kept.put(tp, state != null ? state : new PartitionState());
        }
        assignment.clear();
        assignment.putAll(kept);
    }

    public void unsubscribe() {
        type = Type.NONE;
        topics = Set.of();
        pattern = null;
        assignment.clear();
    }

    private void setType(Type wanted) {
        if (type != Type.NONE && type != wanted) {
            throw new IllegalStateException("Subscription to topics, partition assignment and pattern subscription are "
                + "mutually exclusive: the consumer already uses " + type + "; call unsubscribe() first");
        }
        type = wanted;
    }

    public boolean usesGroupAssignment() {
        return type == Type.TOPICS || type == Type.PATTERN;
    }

    public Set<String> topics() {
        return topics;
    }

    public Pattern pattern() {
        return pattern;
    }

    /** The assigned partitions, in assignment order. */
    public Set<TopicPartition> assignedPartitions() {
        return java.util.Collections.unmodifiableSet(assignment.keySet());
    }

    public boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    /** @throws IllegalStateException naming the partition if it is not assigned */
    public PartitionState state(TopicPartition tp) {
        PartitionState state = assignment.get(tp);
        if (state == null) {
            throw new IllegalStateException("No current assignment for partition " + tp);
        }
        return state;
    }

    /** The state, or null if the partition is not assigned. */
    public PartitionState stateOrNull(TopicPartition tp) {
        return assignment.get(tp);
    }

    /** Assigned partitions that may be fetched now: not paused, with a position. */
    public List<TopicPartition> fetchablePartitions() {
        List<TopicPartition> fetchable = new ArrayList<>();
        assignment.forEach((tp, state) -> {
            if (state.isFetchable()) {
                fetchable.add(tp);
            }
        });
        return fetchable;
    }

    /** Assigned partitions without a position that are not yet being reset. */
    public List<TopicPartition> partitionsNeedingPosition() {
        List<TopicPartition> result = new ArrayList<>();
        assignment.forEach((tp, state) -> {
            if (!state.hasPosition()) {
                result.add(tp);
            }
        });
        return result;
    }

    /** Every assigned partition's position, for those that have one. */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        assignment.forEach((tp, state) -> {
            if (state.hasPosition()) {
                positions.put(tp, state.position());
            }
        });
        return positions;
    }

    /**
     * The mutable state of one assigned partition. Position -1 means unknown: it is looked up (committed offset,
     * else {@code auto.offset.reset}) before the partition is fetched.
     */
    public static final class PartitionState {
        private long position = -1;
        private int leaderEpoch = -1;
        private int epoch;
        private boolean paused;
        private OffsetResetStrategy pendingReset;
        private long highWatermark = -1;
        private long logStartOffset = -1;

        public boolean hasPosition() {
            return position >= 0;
        }

        public long position() {
            return position;
        }

        /** The leader epoch of the last record consumed, or -1. */
        public int leaderEpoch() {
            return leaderEpoch;
        }

        /** Bumped by every seek and reset; fetches carry the epoch they were made for. */
        public int epoch() {
            return epoch;
        }

        /** Moves the position by consumption: no epoch change, the fetch in flight stays valid. */
        public void advance(long nextOffset, int recordLeaderEpoch) {
            position = nextOffset;
            if (recordLeaderEpoch >= 0) {
                leaderEpoch = recordLeaderEpoch;
            }
        }

        /** A seek, reset or committed offset: fetches in flight or buffered for this partition become stale. */
        public void seek(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("Seek offset " + offset + " is negative");
            }
            position = offset;
            leaderEpoch = -1;
            pendingReset = null;
            epoch++;
        }

        /** Forgets the position; it will be looked up with {@code strategy} (null: committed offset first). */
        public void requestReset(OffsetResetStrategy strategy) {
            position = -1;
            pendingReset = strategy;
            epoch++;
        }

        /** The reset asked for by {@link #requestReset}, or null for "committed offset, then the default". */
        public OffsetResetStrategy pendingReset() {
            return pendingReset;
        }

        public boolean isPaused() {
            return paused;
        }

        public void pause() {
            paused = true;
        }

        public void resume() {
            paused = false;
        }

        public boolean isFetchable() {
            return !paused && position >= 0;
        }

        public long highWatermark() {
            return highWatermark;
        }

        public long logStartOffset() {
            return logStartOffset;
        }

        public void updateOffsets(long highWatermark, long logStartOffset) {
            if (highWatermark >= 0) {
                this.highWatermark = highWatermark;
            }
            if (logStartOffset >= 0) {
                this.logStartOffset = logStartOffset;
            }
        }
    }
}
