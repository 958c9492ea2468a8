package io.tributary.server.replica;

import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchPartition;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.InvalidRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One follower fetcher thread: fetches the partitions this broker follows from one leader broker, over one
 * {@link LeaderConnection}, with Kafka's Fetch (v{@value #FETCH_VERSION}: replica_id set, diverging_epoch in the
 * answer), and appends what it gets as it is ({@link PartitionLog#appendAsFollower}).
 *
 * <p>Per partition and round: fetch from the log end offset with the log's latest epoch as last_fetched_epoch; the
 * leader either answers records (appended, then the high watermark is taken from the answer) or a diverging epoch
 * (the follower truncates by {@link Truncation} and fetches again from its new end), or an error after which the
 * partition backs off for {@code replica.fetch.backoff.ms}. A connection error backs off every partition. Except
 * when the leader is only behind this follower in the metadata (NOT_LEADER_OR_FOLLOWER or UNKNOWN_LEADER_EPOCH at
 * the epoch the follower learnt it leads): that is the normal race right after an election, both learn of it from
 * the same record within milliseconds, so the partition is retried after {@value #LEADER_BEHIND_FIRST_BACKOFF_MS} ms,
 * doubling up to {@code replica.fetch.backoff.ms} while the answer stays the same. (A whole backoff there held the new
 * leader's high watermark, and so every acks=all produce after a failover, for a second.)
 *
 * <p>Concurrency: the partition set changes under {@link #lock} (from the replica manager's thread); answers are applied
 * under it too, and only to a partition whose fetch state is still the one the request was built from, so after
 * {@link #remove} returns nothing more is appended to that partition by this fetcher — a partition that becomes leader
 * never receives a stale answer.
 */
final class ReplicaFetcher extends Thread {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    static final short FETCH_VERSION = 12;
    private static final short LIST_OFFSETS_VERSION = 7;
    private static final long EARLIEST_TIMESTAMP = -2;
    private static final long IDLE_WAIT_MS = 100;
    static final long LEADER_BEHIND_FIRST_BACKOFF_MS = 20;

    /** One partition being fetched: its replica, the leader epoch it follows at, when it may be fetched next. */
    static final class FetchState {
        final ReplicatedPartition partition;
        final int leaderEpoch;
        long delayedUntilMs;
        /** The next backoff while the leader answers that it is behind in the metadata (0: not answered so yet). */
        long leaderBehindBackoffMs;

        FetchState(ReplicatedPartition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final int leaderId;
    private final ReplicationSettings settings;
    private final ReplicaManager manager;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, FetchState> partitions = new LinkedHashMap<>();
    private volatile boolean running = true;
    private volatile LeaderConnection connection;
    /** Partition answers saying the leader is behind in the metadata (written by this thread only). */
    private volatile long leaderBehindAnswers;

    ReplicaFetcher(String name, int leaderId, ReplicationSettings settings, ReplicaManager manager) {
        super(name);
        setDaemon(true);
        this.leaderId = leaderId;
        this.settings = settings;
        this.manager = manager;
    }

    void add(ReplicatedPartition partition, int leaderEpoch) {
        lock.lock();
        try {
            partitions.put(partition.topicPartition, new FetchState(partition, leaderEpoch));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long leaderBehindAnswers() {
        return leaderBehindAnswers;
    }

    /** Stops fetching the partition; waits for an answer being applied to it to finish. */
    void remove(TopicPartition partition) {
        lock.lock();
        try {
            partitions.remove(partition);
        } finally {
            lock.unlock();
        }
    }

    boolean isIdle() {
        lock.lock();
        try {
            return partitions.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread: a blocked read is ended by closing the connection. */
    void shutdown() {
        running = false;
        lock.lock();
        try {
            partitions.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LeaderConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<FetchState> round = nextRound();
                if (round.isEmpty()) {
                    continue;
                }
                Struct answer;
                try {
                    answer = ensureConnected().call(ApiKey.FETCH, FETCH_VERSION, request(round));
                } catch (IOException | RuntimeException e) {
                    if (running) {
                        log.warn("Broker {} cannot fetch {} partition(s) from leader {}: {}", settings.brokerId(), round.size(),
                            leaderId, e.toString());
                        closeConnection();
                        backOff(round);
                    }
                    continue;
                }
                apply(round, answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /** The partitions to fetch now; waits (bounded) while there are none. */
    private List<FetchState> nextRound() throws InterruptedException {
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            List<FetchState> ready = new ArrayList<>();
            long nextDue = now + IDLE_WAIT_MS;
            for (FetchState state : partitions.values()) {
                if (state.delayedUntilMs <= now) {
                    ready.add(state);
                } else {
                    nextDue = Math.min(nextDue, state.delayedUntilMs);
                }
            }
            if (ready.isEmpty() && running) {
                changed.await(Math.max(1, nextDue - now), TimeUnit.MILLISECONDS);
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }

    private LeaderConnection ensureConnected() throws IOException {
        LeaderConnection open = connection;
        if (open != null) {
            return open;
        }
        Optional<Node> endpoint = manager.directory().interBrokerEndpoint(leaderId);
        if (endpoint.isEmpty()) {
            throw new IOException("no endpoint known for broker " + leaderId);
        }
        open = LeaderConnection.open(endpoint.get(), "replica-fetcher-" + settings.brokerId(), settings.socketTimeoutMs(),
            settings.socketTimeoutMs());
        connection = open;
        if (!running) {
            open.close();
        }
        return open;
    }

    private void closeConnection() {
        LeaderConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    private void backOff(List<FetchState> round) throws InterruptedException {
        lock.lock();
        try {
            long until = System.currentTimeMillis() + settings.fetchBackoffMs();
            for (FetchState state : round) {
                state.delayedUntilMs = Math.max(state.delayedUntilMs, until);
            }
            if (running) {
                changed.await(settings.fetchBackoffMs(), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private Struct request(List<FetchState> round) {
        Struct request = FetchRequest.SCHEMA.newStruct()
            .set(FetchRequest.REPLICA_ID, settings.brokerId())
            .set(FetchRequest.MAX_WAIT_MS, settings.fetchWaitMaxMs())
            .set(FetchRequest.MIN_BYTES, 1)
            .set(FetchRequest.MAX_BYTES, settings.fetchResponseMaxBytes())
            .set(FetchRequest.ISOLATION_LEVEL, 0)
            .set(FetchRequest.SESSION_ID, 0)
            .set(FetchRequest.SESSION_EPOCH, -1);
        Map<String, Struct> topics = new LinkedHashMap<>();
        for (FetchState state : round) {
            PartitionLog partitionLog = state.partition.log;
            TopicPartition tp = state.partition.topicPartition;
            Struct topic = topics.computeIfAbsent(tp.topic(), name -> request.add(FetchRequest.TOPICS).set(FetchTopic.TOPIC, name));
            topic.add(FetchTopic.PARTITIONS)
                .set(FetchPartition.PARTITION, tp.partition())
                .set(FetchPartition.CURRENT_LEADER_EPOCH, state.leaderEpoch)
                .set(FetchPartition.FETCH_OFFSET, partitionLog.logEndOffset())
                .set(FetchPartition.LAST_FETCHED_EPOCH, partitionLog.leaderEpochCache().latestEpoch())
                .set(FetchPartition.LOG_START_OFFSET, partitionLog.logStartOffset())
                .set(FetchPartition.PARTITION_MAX_BYTES, settings.fetchMaxBytes());
        }
        return request;
    }

    /** Applies the leader's answer to the partitions still fetched under the same state. */
    private void apply(List<FetchState> round, Struct answer) throws InterruptedException {
        ErrorCode top = ErrorCode.forCode(answer.get(FetchResponse.ERROR_CODE));
        if (top != ErrorCode.NONE) {
            log.warn("Leader {} refused the fetch of broker {}: {}", leaderId, settings.brokerId(), top);
            backOff(round);
            return;
        }
        Map<TopicPartition, FetchState> requested = new LinkedHashMap<>();
        round.forEach(state -> requested.put(state.partition.topicPartition, state));
        lock.lock();
        try {
            for (Struct topic : answer.get(FetchResponse.RESPONSES)) {
                String name = topic.get(FetchableTopicResponse.TOPIC);
                for (Struct data : topic.get(FetchableTopicResponse.PARTITIONS)) {
                    TopicPartition tp = new TopicPartition(name, data.get(PartitionData.PARTITION_INDEX));
                    FetchState state = requested.get(tp);
                    if (state == null || partitions.get(tp) != state) {
                        continue; // no longer followed under this state: a newer assignment decides
                    }
                    applyPartition(state, data);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void applyPartition(FetchState state, Struct data) {
        ReplicatedPartition partition = state.partition;
        PartitionLog partitionLog = partition.log;
        ErrorCode error = ErrorCode.forCode(data.get(PartitionData.ERROR_CODE));
        try {
            if (error == ErrorCode.NONE) {
                Struct diverging = data.get(PartitionData.DIVERGING_EPOCH);
                int epoch = diverging.get(FetchResponse.EpochEndOffset.EPOCH);
                long endOffset = diverging.get(FetchResponse.EpochEndOffset.END_OFFSET);
                if (epoch >= 0 || endOffset >= 0) {
                    if (!truncate(partition, new EpochEndOffset(epoch, endOffset))) {
                        state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs(); // no progress: no hot loop
                    }
                    return;
                }
                ByteBuffer records = data.get(PartitionData.RECORDS);
                if (records != null && records.hasRemaining()) {
                    partitionLog.appendAsFollower(records);
                }
                manager.followerHighWatermark(partition, data.get(PartitionData.HIGH_WATERMARK));
                state.leaderBehindBackoffMs = 0;
            } else if (error == ErrorCode.OFFSET_OUT_OF_RANGE) {
                restartAtLeaderStart(state);
            } else if (error == ErrorCode.NOT_LEADER_OR_FOLLOWER || error == ErrorCode.UNKNOWN_LEADER_EPOCH) {
                long backoff = state.leaderBehindBackoffMs == 0
                    ? Math.min(LEADER_BEHIND_FIRST_BACKOFF_MS, settings.fetchBackoffMs()) : state.leaderBehindBackoffMs;
                state.leaderBehindBackoffMs = Math.min(backoff * 2, settings.fetchBackoffMs());
                leaderBehindAnswers++;
                log.debug("Leader {} answered {} for {} at epoch {} (behind in the metadata?); broker {} retries after {} ms",
                    leaderId, error, partition.topicPartition, state.leaderEpoch, settings.brokerId(), backoff);
                state.delayedUntilMs = System.currentTimeMillis() + backoff;
            } else {
                log.debug("Leader {} answered {} for {}; broker {} retries after {} ms", leaderId, error, partition.topicPartition,
                    settings.brokerId(), settings.fetchBackoffMs());
                state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
            }
        } catch (InvalidRecordException | LogStorageException e) { // CorruptRecordException is one
            log.error("Broker {} cannot append what leader {} sent for {}", settings.brokerId(), leaderId, partition.topicPartition, e);
            state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        }
    }

    /**
     * The leader refused the fetch offset as out of range. The follower's epochs were checked first, so its end is not
     * past the leader's: it fell below the leader's log start (retention there removed what it still needs). Kafka's
     * answer: ask the leader for its log start offset (ListOffsets EARLIEST as replica) and restart the log empty there.
     */
    private void restartAtLeaderStart(FetchState state) {
        ReplicatedPartition partition = state.partition;
        TopicPartition tp = partition.topicPartition;
        long leaderStart;
        try {
            leaderStart = leaderLogStart(tp, state.leaderEpoch);
        } catch (IOException | RuntimeException e) {
            log.warn("Broker {} cannot ask leader {} where {} starts: {}", settings.brokerId(), leaderId, tp, e.toString());
            closeConnection();
            state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
            return;
        }
        long end = partition.log.logEndOffset();
        if (leaderStart > end) {
            log.warn("Broker {} restarts {} at the leader's log start {}: its log ended at {}", settings.brokerId(), tp, leaderStart, end);
            partition.log.truncateFullyAndStartAt(leaderStart);
            partition.capHighWatermark();
        } else {
            log.warn("Leader {} says offset {} of {} is out of range although its log starts at {}; broker {} retries",
                leaderId, end, tp, leaderStart, settings.brokerId());
            state.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        }
    }

    /** ListOffsets (v7) EARLIEST for the partition, as replica {@code brokerId} at the followed leader epoch. */
    private long leaderLogStart(TopicPartition tp, int leaderEpoch) throws IOException {
        Struct request = ListOffsetsRequest.SCHEMA.newStruct()
            .set(ListOffsetsRequest.REPLICA_ID, settings.brokerId())
            .set(ListOffsetsRequest.ISOLATION_LEVEL, 0);
        request.add(ListOffsetsRequest.TOPICS).set(ListOffsetsRequest.ListOffsetsTopic.NAME, tp.topic())
            .add(ListOffsetsRequest.ListOffsetsTopic.PARTITIONS)
            .set(ListOffsetsRequest.ListOffsetsPartition.PARTITION_INDEX, tp.partition())
            .set(ListOffsetsRequest.ListOffsetsPartition.CURRENT_LEADER_EPOCH, leaderEpoch)
            .set(ListOffsetsRequest.ListOffsetsPartition.TIMESTAMP, EARLIEST_TIMESTAMP);
        Struct answer = ensureConnected().call(ApiKey.LIST_OFFSETS, LIST_OFFSETS_VERSION, request);
        Struct partition = answer.get(ListOffsetsResponse.TOPICS).get(0).get(ListOffsetsResponse.ListOffsetsTopicResponse.PARTITIONS).get(0);
        ErrorCode error = ErrorCode.forCode(partition.get(ListOffsetsResponse.ListOffsetsPartitionResponse.ERROR_CODE));
        if (error != ErrorCode.NONE) {
            throw new IOException("ListOffsets of " + tp + " answered " + error);
        }
        return partition.get(ListOffsetsResponse.ListOffsetsPartitionResponse.OFFSET);
    }

    /**
     * Truncates as {@link Truncation} says; also at the log end, which drops epochs that start there and wrote nothing
     * (so the next fetch names an older last epoch). Returns whether the log or its epochs changed.
     */
    private boolean truncate(ReplicatedPartition partition, EpochEndOffset leaderEnd) {
        PartitionLog partitionLog = partition.log;
        long end = partitionLog.logEndOffset();
        Truncation truncation = Truncation.compute(leaderEnd, end, partitionLog::endOffsetForEpoch);
        if (truncation.offset() == end) {
            int before = partitionLog.leaderEpochCache().entries().size();
            partitionLog.truncateTo(end);
            return partitionLog.leaderEpochCache().entries().size() != before;
        }
        {
            log.info("Broker {} truncates {} from {} to {} (leader {} ended epoch {} at {}{})", settings.brokerId(),
                partition.topicPartition, end, truncation.offset(), leaderId, leaderEnd.epoch(), leaderEnd.endOffset(),
                truncation.complete() ? "" : "; asking again");
            partitionLog.truncateTo(truncation.offset());
            partition.capHighWatermark();
        }
        return true;
    }
}
