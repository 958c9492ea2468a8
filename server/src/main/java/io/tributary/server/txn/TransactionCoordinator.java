package io.tributary.server.txn;

import io.tributary.log.AppendReplication;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ClientText;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The transaction coordinator (Kafka's TransactionCoordinator and TransactionStateManager): per transactional id its
 * producer id and epoch, state and partitions, kept in the compacted {@code __transaction_state}
 * ({@value #STATE_TOPIC}, Kafka's record format, {@link TransactionLogFormat}); an id lives in partition
 * {@code abs(id.hashCode()) % partitions}, as in Kafka.
 *
 * <p><b>Invariant (replicate, then apply)</b>: the in-memory state of an id is always the value of its last
 * replicated record in the partition. A change is appended and kept pending (Kafka's prepareTransitionTo /
 * pendingState: the id answers CONCURRENT_TRANSACTIONS meanwhile, and timers leave it alone) until the partition's high
 * watermark covers it, then applied (completeTransitionTo) and answered; a failed append or wait drops the pending
 * change, leaves the state as it was and answers Kafka's mapped code (TransactionStateManager.appendTransactionToLog):
 * NOT_LEADER_OR_FOLLOWER or KAFKA_STORAGE_ERROR is NOT_COORDINATOR, NOT_ENOUGH_REPLICAS(_AFTER_APPEND),
 * REQUEST_TIMED_OUT or UNKNOWN_TOPIC_OR_PARTITION is COORDINATOR_NOT_AVAILABLE. Loading replays the partition, so a
 * restart (or a new leader) sees everything acknowledged; transactions found in PREPARE_COMMIT / PREPARE_ABORT get
 * their markers again.
 *
 * <p><b>Threads</b>: every state change runs on one thread ({@code transaction-coordinator}), so there are no locks and
 * the order of records is the order of changes. A loader thread replays partitions (their ids answer
 * COORDINATOR_LOAD_IN_PROGRESS meanwhile), a timer thread only hands work over. Marker writes run wherever the
 * {@link TransactionMarkerChannel} runs them; their completion comes back to the coordinator thread.
 *
 * <p><b>Protocol versions</b> (KIP-890): a transaction of protocol version 2 (EndTxn v5+, partitions added by the
 * produce itself) bumps the producer epoch at every end, and the markers carry the bumped epoch; version 1 keeps the
 * epoch and needs AddPartitionsToTxn / AddOffsetsToTxn before the data. Both bump it when the coordinator aborts a
 * transaction itself (timeout, or InitProducerId while one is open), so the old producer is fenced.
 *
 * <p><b>In a cluster</b> the state topic is replicated like {@code __consumer_offsets}: the broker creates it through the
 * controller and calls {@link #becomeLeader} / {@link #resign} as the leadership of its partitions moves, with the
 * partition's leader epoch as coordinator epoch. A state change is applied and answered (and PREPARE_* followed by
 * markers) only once the partition's high watermark passed it ({@link AppendReplication}), so what a client was told,
 * and every marker written, is in the log the next leader loads; a new leader resumes the PREPARE_* transactions it
 * finds. A COMPLETE_* whose wait failed is written again (Kafka's retried log append) until it is replicated or the
 * partition moves.
 *
 * <p><b>Difference from Kafka</b>: EndTxn is answered once every marker is written and the COMPLETE state stored,
 * not after PREPARE: the wait is one replicated append per partition (a WriteTxnMarkers round trip for partitions
 * led elsewhere), and a client that ended a transaction then never meets CONCURRENT_TRANSACTIONS for its own next one.
 */
public final class TransactionCoordinator implements TransactionStatePartitions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);
    public static final String STATE_TOPIC = "__transaction_state";
    /** Kafka's limit: a producer whose epoch reached it gets a new producer id instead of a bump. */
    static final short MAX_EPOCH = Short.MAX_VALUE - 1;
    private static final long MARKER_RETRY_MS = 100;

    private final TransactionCoordinatorConfig config;
    private final LogManager logs;
    private final Clock clock;
    private final LongSupplier producerIds;
    private final Supplier<TransactionMarkerChannel> markers;
    private final AppendReplication replication;
    private final ExecutorService executor;
    private final ExecutorService loader;
    private final ScheduledExecutorService timer;
    private final Map<Integer, Shard> shards = new ConcurrentHashMap<>();
    /** Per partition the latest leader epoch at which this broker was told it stopped leading: older elections are stale. */
    private final Map<Integer, Integer> resignedAt = new ConcurrentHashMap<>();
    private volatile int partitionCount;
    private volatile boolean closed;

    private enum Status { LOADING, ACTIVE }

    /** One owned partition of the state topic; its ids are touched only on the coordinator thread. */
    private static final class Shard {
        final int partition;
        final int coordinatorEpoch;
        final TransactionStateLog storage;
        final Map<String, TransactionMetadata> txns = new HashMap<>();
        /** New ids whose first record waits for its followers: not in {@code txns} until it is replicated. */
        final Set<String> creating = new HashSet<>();
        volatile Status status = Status.LOADING;
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        /** The offset after this shard's last append: what a change waits for the high watermark to reach. */
        long writtenUpTo;

        Shard(int partition, int coordinatorEpoch, TransactionStateLog storage) {
            this.partition = partition;
            this.coordinatorEpoch = coordinatorEpoch;
            this.storage = storage;
        }
    }

    /** InitProducerId's answer. */
    public record InitResult(ErrorCode error, long producerId, short producerEpoch) {
        static InitResult error(ErrorCode error) {
            return new InitResult(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }
    }

    /** EndTxn's answer; with protocol version 2 the producer id and epoch the producer continues with. */
    public record EndResult(ErrorCode error, long producerId, short producerEpoch) {
        static EndResult error(ErrorCode error) {
            return new EndResult(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }
    }

    /** How partitions join a transaction. */
    public enum AddMode {
        /** AddPartitionsToTxn v0-3 / AddOffsetsToTxn from a protocol-1 client: add, starting the transaction if needed. */
        CLIENT,
        /** A protocol-2 produce or TxnOffsetCommit v5: add implicitly, starting the next transaction if none is open. */
        IMPLICIT,
        /** AddPartitionsToTxn v4+ verify_only and protocol-1 produce: only check that they were added. */
        VERIFY
    }

    /** DescribeTransactions' view of one id. */
    public record Description(ErrorCode error, String transactionalId, TransactionState state, int timeoutMs, long startMs,
                              long producerId, short producerEpoch, Set<TopicPartition> partitions) {
    }

    /** ListTransactions' view of one id. */
    public record Listed(String transactionalId, long producerId, TransactionState state) {
    }

    /** A coordinator on a broker alone: nothing waits for followers. */
    public TransactionCoordinator(TransactionCoordinatorConfig config, LogManager logs, Clock clock, LongSupplier producerIds,
                                  Supplier<TransactionMarkerChannel> markers) {
        this(config, logs, clock, producerIds, markers, AppendReplication.NONE);
    }

    /**
     * @param producerIds hands out producer ids never handed out before (the broker's allocator; may fsync or ask the quorum)
     * @param markers     the channel markers are written through (resolved when first needed)
     * @param replication where state changes wait for the followers before they are answered
     */
    public TransactionCoordinator(TransactionCoordinatorConfig config, LogManager logs, Clock clock, LongSupplier producerIds,
                                  Supplier<TransactionMarkerChannel> markers, AppendReplication replication) {
        this.replication = replication;
        this.config = config;
        this.logs = logs;
        this.clock = clock;
        this.producerIds = producerIds;
        this.markers = markers;
        this.executor = Executors.newSingleThreadExecutor(daemon("transaction-coordinator"));
        this.loader = Executors.newSingleThreadExecutor(daemon("transaction-coordinator-loader"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("transaction-coordinator-timer"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // =====================================================================================================
    // lifecycle

    /**
     * Creates {@code __transaction_state} if missing and, as the single broker leading every partition, loads them
     * all; the future completes when all are loaded. Starts the timeout and expiry timers.
     */
    public CompletableFuture<Void> start() {
        int count = createStateTopicLocally().partitionCount();
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            loads.add(load(p, 0));
        }
        startTimers();
        return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Starts the timers without taking any partition (a cluster member: leadership decides which it serves, and the
     * broker creates the state topic through the controller).
     */
    public synchronized void startTimers() {
        if (timerStarted) {
            return;
        }
        timerStarted = true;
        timer.scheduleWithFixedDelay(() -> onThread(this::abortTimedOut), config.abortTimedOutIntervalMs(),
            config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> onThread(this::expireIds), config.removeExpiredIntervalMs(),
            config.removeExpiredIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private boolean timerStarted;

    /** The state topic as the local logs hold it (the metadata publisher creates them in a cluster), or null. */
    private TopicMetadata stateTopic() {
        TopicMetadata topic = logs.topic(STATE_TOPIC);
        if (topic != null) {
            partitionCount = topic.partitionCount();
        }
        return topic;
    }

    /** A broker alone (no metadata quorum): creates the state topic in its own logs when missing. */
    private synchronized TopicMetadata createStateTopicLocally() {
        TopicMetadata topic = logs.topic(STATE_TOPIC);
        if (topic == null) {
            Map<String, String> overrides = new HashMap<>();
            overrides.put(LogConfig.SEGMENT_BYTES.name(), Integer.toString(config.stateTopicSegmentBytes()));
            // Compacted: the latest state per transactional id stays, so load time follows the live ids.
            overrides.put(LogConfig.CLEANUP_POLICY.name(), "compact");
            log.info("Creating {} with {} partitions", STATE_TOPIC, config.stateTopicPartitions());
            topic = logs.createTopic(STATE_TOPIC, config.stateTopicPartitions(), overrides);
        }
        partitionCount = topic.partitionCount();
        return topic;
    }

    /**
     * Loads the partition as its leader at {@code leaderEpoch}; a no-op when it is already served (or loading) at that
     * epoch or a later one (the metadata tells a leader again of every change of its partition, an ISR change too).
     */
    @Override
    public void becomeLeader(int partition, int leaderEpoch) {
        Shard current = shards.get(partition);
        if (current != null && current.coordinatorEpoch >= leaderEpoch || resignedAt.getOrDefault(partition, -1) >= leaderEpoch) {
            return;
        }
        load(partition, leaderEpoch);
    }

    @Override
    public void resign(int partition, int leaderEpoch) {
        resignedAt.merge(partition, leaderEpoch, Math::max);
        onThread(() -> {
            Shard shard = shards.get(partition);
            if (shard != null && shard.coordinatorEpoch <= leaderEpoch) {
                shards.remove(partition);
                for (TransactionMetadata txn : shard.txns.values()) {
                    txn.failWaiters(ErrorCode.NOT_COORDINATOR);
                }
                log.info("Resigned {}-{} (coordinator epoch {})", STATE_TOPIC, partition, shard.coordinatorEpoch);
            }
        });
    }

    /** Loads a partition on the loader thread, then serves it; completes when it serves it. */
    CompletableFuture<Void> load(int partition, int coordinatorEpoch) {
        if (stateTopic() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(STATE_TOPIC + " does not exist here yet"));
        }
        PartitionLog partitionLog = logs.log(new TopicPartition(STATE_TOPIC, partition));
        if (partitionLog == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("No partition " + partition + " of " + STATE_TOPIC));
        }
        Shard shard = new Shard(partition, coordinatorEpoch, new TransactionStateLog(partitionLog, config.loadBufferBytes()));
        Shard previous = shards.put(partition, shard);
        if (previous != null) {
            onThread(() -> previous.txns.values().forEach(t -> t.failWaiters(ErrorCode.NOT_COORDINATOR)));
        }
        CompletableFuture<Void> loaded = shard.loaded;
        try {
            loader.execute(() -> {
                try {
                    long start = System.nanoTime();
                    Map<String, TransactionLogValue> values = shard.storage.load();
                    onThread(() -> {
                        if (shards.get(partition) != shard) {
                            loaded.complete(null);
                            return;
                        }
                        values.forEach((id, value) -> shard.txns.put(id, TransactionMetadata.fromLog(id, value)));
                        shard.status = Status.ACTIVE;
                        log.info("Loaded {}-{}: {} transactional ids in {} ms", STATE_TOPIC, partition, values.size(),
                            (System.nanoTime() - start) / 1_000_000);
                        for (TransactionMetadata txn : shard.txns.values()) {
                            if (txn.state == TransactionState.PREPARE_COMMIT || txn.state == TransactionState.PREPARE_ABORT) {
                                log.info("Resuming the {} of transactional id '{}' found at load", txn.state.displayName(),
                                    ClientText.escape(txn.transactionalId));
                                sendMarkers(shard, txn);
                            }
                        }
                        loaded.complete(null);
                    });
                } catch (RuntimeException e) {
                    log.error("Cannot load {}-{}", STATE_TOPIC, partition, e);
                    shards.remove(partition, shard);
                    loaded.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            loaded.completeExceptionally(e);
        }
        return loaded;
    }

    /** Completes when the partition is loaded here, or at once when this broker does not coordinate it. */
    public CompletableFuture<Void> loaded(int partition) {
        Shard shard = shards.get(partition);
        return shard == null ? CompletableFuture.completedFuture(null) : shard.loaded;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        loader.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The partition of a transactional id: {@code abs(id.hashCode()) % partitions}, Kafka's rule. */
    public int partitionFor(String transactionalId) {
        if (partitionCount <= 0 && stateTopic() == null) {
            return -1; // the state topic does not exist yet: nothing is coordinated here
        }
        return partitionFor(transactionalId, partitionCount);
    }

    public static int partitionFor(String transactionalId, int partitionCount) {
        int hash = transactionalId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }

    /** FindCoordinator: NONE when this broker serves (or is loading) the id's partition. */
    public ErrorCode lookup(String transactionalId) {
        if (closed) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        int partition = partitionFor(transactionalId);
        return partition >= 0 && shards.containsKey(partition) ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }

    // =====================================================================================================
    // routing

    private void onThread(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Transaction coordinator task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        void run(Shard shard, CompletableFuture<T> answer);
    }

    /** Runs {@code work} on the coordinator thread for the id's partition, or answers the ownership error. */
    private <T> CompletableFuture<T> onShard(String transactionalId, Work<T> work, java.util.function.Function<ErrorCode, T> onError) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (closed) {
            answer.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
            return answer;
        }
        int partition = partitionFor(transactionalId);
        try {
            executor.execute(() -> {
                Shard shard = partition < 0 ? null : shards.get(partition);
                if (shard == null) {
                    answer.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
                } else if (shard.status == Status.LOADING) {
                    answer.complete(onError.apply(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
                } else {
                    try {
                        work.run(shard, answer);
                    } catch (io.tributary.server.produce.ProducerIdAllocator.Unavailable e) {
                        log.info("Transactional id '{}': {}", ClientText.escape(transactionalId), e.getMessage());
                        answer.complete(onError.apply(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
                    } catch (RuntimeException e) {
                        log.error("Transactional id '{}': request failed", ClientText.escape(transactionalId), e);
                        answer.complete(onError.apply(ErrorCode.UNKNOWN_SERVER_ERROR));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            answer.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
        }
        return answer;
    }

    /** Appends the id's new state; false (and logged) when the log refused, the state then unchanged. */
    private ErrorCode write(Shard shard, String transactionalId, TransactionLogValue value) {
        try {
            ErrorCode admission = replication.admit(shard.storage.log().topicPartition());
            if (admission != ErrorCode.NONE) {
                // refused before the append, as Kafka's acks=-1 append below min.insync.replicas: nothing written
                log.info("Not writing the state of transactional id '{}' to {}: {}", ClientText.escape(transactionalId),
                    shard.storage.log().topicPartition(), admission);
                return stateWriteError(admission);
            }
            shard.writtenUpTo = shard.storage.append(transactionalId, value, clock.millis(), shard.coordinatorEpoch);
            return ErrorCode.NONE;
        } catch (RuntimeException e) {
            log.error("Cannot append the state of transactional id '{}' to {}", ClientText.escape(transactionalId),
                shard.storage.log().topicPartition(), e);
            return ErrorCode.NOT_COORDINATOR;
        }
    }

    /**
     * Kafka's prepareTransitionTo / completeTransitionTo: appends {@code next} as the id's state and keeps it pending
     * until the partition's followers have it; then applies it and runs {@code then}. A failed append or wait drops it
     * (the state stays as it was) and {@code failed} gets the code to answer. On the coordinator thread.
     */
    private void transition(Shard shard, TransactionMetadata txn, TransactionMetadata next, Runnable then,
                            java.util.function.Consumer<ErrorCode> failed) {
        ErrorCode written = write(shard, txn.transactionalId, next.toLog());
        if (written != ErrorCode.NONE) {
            failed.accept(written);
            return;
        }
        txn.pending = next;
        afterReplicated(shard, () -> {
            txn.pending = null;
            txn.assign(next);
            then.run();
        }, error -> {
            txn.pending = null;
            failed.accept(error);
        });
    }

    /**
     * Runs {@code then} on the coordinator thread once the shard's appends so far are replicated (at once on a broker
     * alone); {@code failed} gets Kafka's code for a failed wait instead (TransactionStateManager.appendTransactionToLog):
     * NOT_COORDINATOR when leadership moved or the log failed (the next leader loads what the log holds),
     * COORDINATOR_NOT_AVAILABLE when too few replicas are in sync or they were too slow.
     */
    private void afterReplicated(Shard shard, Runnable then, java.util.function.Consumer<ErrorCode> failed) {
        long required = shard.writtenUpTo;
        CompletableFuture<ErrorCode> replicated;
        try {
            replicated = replication.await(shard.storage.log().topicPartition(), shard.coordinatorEpoch, required);
        } catch (RuntimeException e) {
            replicated = CompletableFuture.failedFuture(e);
        }
        if (replicated.isDone() && !replicated.isCompletedExceptionally() && replicated.join() == ErrorCode.NONE) {
            then.run(); // already replicated (a broker alone): no hop
            return;
        }
        replicated.whenComplete((error, failure) -> onThread(() -> {
            if (shards.get(shard.partition) != shard) {
                failed.accept(ErrorCode.NOT_COORDINATOR);
                return;
            }
            ErrorCode outcome = failure != null ? ErrorCode.REQUEST_TIMED_OUT : error;
            if (outcome == ErrorCode.NONE) {
                then.run();
                return;
            }
            log.info("{} not replicated up to offset {}: {}", shard.storage.log().topicPartition(), required, outcome);
            failed.accept(stateWriteError(outcome));
        }));
    }

    /** Kafka's mapping of a failed {@code __transaction_state} append to the coordinator's answer. */
    static ErrorCode stateWriteError(ErrorCode appendError) {
        return switch (appendError) {
            case NONE -> ErrorCode.NONE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> ErrorCode.NOT_COORDINATOR;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                ErrorCode.COORDINATOR_NOT_AVAILABLE;
            default -> ErrorCode.UNKNOWN_SERVER_ERROR;
        };
    }

    // =====================================================================================================
    // InitProducerId

    /**
     * InitProducerId with a transactional id: a new id gets a fresh producer id at epoch 0; a known one its epoch
     * bumped (fencing every older producer of the id), or a new producer id when the epoch is exhausted. An open
     * transaction is aborted first (with the epoch bumped) and the caller told CONCURRENT_TRANSACTIONS, to retry.
     *
     * @param expectedProducerId -1, or (KIP-360, v3+) the producer id and epoch the producer has
     */
    public CompletableFuture<InitResult> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                        short expectedEpoch) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            log.info("Refusing InitProducerId of '{}': transaction.timeout.ms={} is not in 1-{} (transaction.max.timeout.ms)",
                ClientText.escape(transactionalId), timeoutMs, config.maxTimeoutMs());
            return CompletableFuture.completedFuture(InitResult.error(ErrorCode.INVALID_TRANSACTION_TIMEOUT));
        }
        return onShard(transactionalId, (shard, answer) -> {
            long now = clock.millis();
            TransactionMetadata txn = shard.txns.get(transactionalId);
            if (shard.creating.contains(transactionalId) || (txn != null && txn.pending != null)) {
                answer.complete(InitResult.error(ErrorCode.CONCURRENT_TRANSACTIONS));
                return;
            }
            if (txn == null) {
                long producerId = producerIds.getAsLong();
                TransactionMetadata fresh = new TransactionMetadata(transactionalId, producerId, (short) 0, timeoutMs, now);
                ErrorCode written = write(shard, transactionalId, fresh.toLog());
                if (written != ErrorCode.NONE) {
                    answer.complete(InitResult.error(written));
                    return;
                }
                shard.creating.add(transactionalId);
                afterReplicated(shard, () -> {
                    shard.creating.remove(transactionalId);
                    shard.txns.put(transactionalId, fresh);
                    answer.complete(new InitResult(ErrorCode.NONE, producerId, (short) 0));
                }, error -> {
                    shard.creating.remove(transactionalId);
                    answer.complete(InitResult.error(error));
                });
                return;
            }
            if (expectedProducerId >= 0) {
                boolean current = expectedProducerId == txn.producerId && expectedEpoch == txn.epoch;
                boolean retry = expectedProducerId == txn.producerId && expectedEpoch == txn.lastEpoch && txn.state == TransactionState.EMPTY;
                if (retry) {
                    answer.complete(new InitResult(ErrorCode.NONE, txn.producerId, txn.epoch));
                    return;
                }
                if (!current && !(expectedProducerId == txn.previousProducerId)) {
                    answer.complete(InitResult.error(ErrorCode.PRODUCER_FENCED));
                    return;
                }
            }
            if (txn.state.isPreparing()) {
                answer.complete(InitResult.error(ErrorCode.CONCURRENT_TRANSACTIONS));
                return;
            }
            if (txn.state == TransactionState.ONGOING) {
                // A new producer of the id: abort the open transaction under a bumped epoch; the caller retries.
                abortWithBump(shard, txn, "a new producer called InitProducerId");
                answer.complete(InitResult.error(ErrorCode.CONCURRENT_TRANSACTIONS));
                return;
            }
            TransactionMetadata next = txn.copy();
            if (txn.epoch >= MAX_EPOCH) {
                next.previousProducerId = txn.producerId;
                next.producerId = producerIds.getAsLong();
                next.epoch = 0;
            } else {
                next.epoch = (short) (txn.epoch + 1);
            }
            next.lastEpoch = txn.epoch;
            next.state = TransactionState.EMPTY;
            next.partitions.clear();
            next.timeoutMs = timeoutMs;
            next.startMs = -1;
            next.lastUpdateMs = now;
            transition(shard, txn, next, () -> answer.complete(new InitResult(ErrorCode.NONE, txn.producerId, txn.epoch)),
                error -> answer.complete(InitResult.error(error)));
        }, InitResult::error);
    }

    // =====================================================================================================
    // AddPartitionsToTxn, AddOffsetsToTxn, and the produce path's implicit adds

    /**
     * Adds partitions to the id's transaction (or, {@link AddMode#VERIFY}, checks that they are in it). One error for
     * all partitions: INVALID_PRODUCER_ID_MAPPING for an unknown id or another producer id, PRODUCER_FENCED for
     * another epoch, CONCURRENT_TRANSACTIONS while the last one completes, INVALID_TXN_STATE when a verified
     * partition was never added.
     */
    public CompletableFuture<ErrorCode> addPartitions(String transactionalId, long producerId, short epoch,
                                                      Collection<TopicPartition> partitions, AddMode mode) {
        Set<TopicPartition> wanted = Set.copyOf(partitions);
        return onShard(transactionalId, (shard, answer) -> {
            TransactionMetadata txn = shard.txns.get(transactionalId);
            if (txn == null || txn.producerId != producerId) {
                answer.complete(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
                return;
            }
            if (txn.epoch != epoch) {
                answer.complete(mode == AddMode.VERIFY ? ErrorCode.INVALID_PRODUCER_EPOCH : ErrorCode.PRODUCER_FENCED);
                return;
            }
            if (txn.state.isPreparing()) {
                answer.complete(ErrorCode.CONCURRENT_TRANSACTIONS);
                return;
            }
            if (mode == AddMode.VERIFY) {
                boolean added = txn.state == TransactionState.ONGOING && txn.partitions.containsAll(wanted);
                answer.complete(added ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE);
                return;
            }
            if (txn.pending != null) {
                answer.complete(ErrorCode.CONCURRENT_TRANSACTIONS);
                return;
            }
            if (txn.state == TransactionState.ONGOING && txn.partitions.containsAll(wanted)) {
                answer.complete(ErrorCode.NONE);
                return;
            }
            long now = clock.millis();
            TransactionMetadata next = txn.copy();
            if (txn.state != TransactionState.ONGOING) {
                next.partitions.clear();
                next.startMs = now;
                next.state = TransactionState.ONGOING;
            }
            next.partitions.addAll(wanted);
            next.lastUpdateMs = now;
            next.clientVersion = mode == AddMode.IMPLICIT ? (short) 2 : (txn.state == TransactionState.ONGOING ? txn.clientVersion : 1);
            transition(shard, txn, next, () -> answer.complete(ErrorCode.NONE), answer::complete);
        }, error -> error);
    }

    // =====================================================================================================
    // EndTxn

    /**
     * Commits or aborts the id's transaction: PREPARE_* is stored, markers are written to every partition, then
     * COMPLETE_* is stored and the answer sent. With protocol version 2 ({@code v2}) the epoch is bumped at the
     * prepare and the answer names the producer id and epoch to continue with; a retry of an end that completed
     * (v2: with the epoch before the bump) is answered as the original was.
     */
    public CompletableFuture<EndResult> endTransaction(String transactionalId, long producerId, short epoch, boolean commit,
                                                       boolean v2) {
        return onShard(transactionalId, (shard, answer) -> {
            TransactionMetadata txn = shard.txns.get(transactionalId);
            if (txn == null || (txn.producerId != producerId && txn.previousProducerId != producerId)) {
                answer.complete(EndResult.error(ErrorCode.INVALID_PRODUCER_ID_MAPPING));
                return;
            }
            if (txn.pending != null) {
                answer.complete(EndResult.error(ErrorCode.CONCURRENT_TRANSACTIONS));
                return;
            }
            TransactionState completed = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            TransactionState preparing = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
            boolean retryOfV2 = v2 && txn.lastEpoch >= 0 && epoch == txn.lastEpoch
                && (producerId == txn.producerId || producerId == txn.previousProducerId);
            if (txn.state == completed && (v2 ? retryOfV2 : epoch == txn.epoch && producerId == txn.producerId)) {
                answer.complete(new EndResult(ErrorCode.NONE, txn.producerId, txn.epoch));
                return;
            }
            if (txn.state == preparing && (v2 ? retryOfV2 : epoch == txn.epoch)) {
                txn.waiters.add(answer);
                return;
            }
            if (producerId != txn.producerId || epoch != txn.epoch) {
                answer.complete(EndResult.error(ErrorCode.PRODUCER_FENCED));
                return;
            }
            if (txn.state.isPreparing()) {
                answer.complete(EndResult.error(ErrorCode.CONCURRENT_TRANSACTIONS));
                return;
            }
            boolean emptyAbort = v2 && !commit && txn.state.isIdle();
            if (txn.state != TransactionState.ONGOING && !emptyAbort) {
                log.info("Refusing EndTxn({}) of '{}': the transaction is {}", commit ? "commit" : "abort",
                    ClientText.escape(transactionalId), txn.state.displayName());
                answer.complete(EndResult.error(ErrorCode.INVALID_TXN_STATE));
                return;
            }
            txn.waiters.add(answer);
            // markers only once PREPARE_* is replicated: a new leader that lacked it could time the transaction out
            // and abort partitions this one already committed
            prepare(shard, txn, preparing, v2, emptyAbort);
        }, EndResult::error);
    }

    /**
     * Stores PREPARE_* (the epoch bumped when {@code bumpEpoch}, the partitions dropped when {@code noPartitions}) and,
     * once replicated, writes the markers; a failed write answers the waiters with its code and leaves the transaction
     * as it was (the client retries EndTxn; a timed-out transaction is aborted again at the next check).
     */
    private void prepare(Shard shard, TransactionMetadata txn, TransactionState preparing, boolean bumpEpoch, boolean noPartitions) {
        TransactionMetadata next = txn.copy();
        if (noPartitions) {
            next.partitions.clear();
        }
        next.state = preparing;
        next.lastUpdateMs = clock.millis();
        if (bumpEpoch) {
            next.lastEpoch = txn.epoch;
            next.epoch = (short) (txn.epoch + 1);
            if (preparing == TransactionState.PREPARE_COMMIT || preparing == TransactionState.PREPARE_ABORT) {
                next.clientVersion = txn.clientVersion == 0 ? 1 : txn.clientVersion;
            }
        }
        transition(shard, txn, next, () -> sendMarkers(shard, txn), error -> {
            log.info("{} of '{}' not stored: {}", preparing.displayName(), ClientText.escape(txn.transactionalId), error);
            txn.failWaiters(error);
        });
    }

    /** Aborts an open transaction under a bumped epoch (timeout, or a new producer of the id): the old producer is fenced. */
    private void abortWithBump(Shard shard, TransactionMetadata txn, String why) {
        log.info("Aborting the transaction of '{}' (producer {} epoch {}): {}", ClientText.escape(txn.transactionalId),
            txn.producerId, txn.epoch, why);
        // No epoch left to fence with: abort under the current one; the next InitProducerId hands out a new id.
        prepare(shard, txn, TransactionState.PREPARE_ABORT, txn.epoch < MAX_EPOCH, false);
    }

    /** Writes the markers of a PREPARE_* transaction; when every partition has its marker, stores COMPLETE_*. */
    private void sendMarkers(Shard shard, TransactionMetadata txn) {
        boolean commit = txn.state == TransactionState.PREPARE_COMMIT;
        Set<TopicPartition> pending = new HashSet<>(txn.partitions);
        long producerId = txn.producerId;
        short epoch = txn.epoch;
        sendMarkers(shard, txn, producerId, epoch, commit, pending, 0);
    }

    private void sendMarkers(Shard shard, TransactionMetadata txn, long producerId, short epoch, boolean commit,
                             Set<TopicPartition> pending, int attempt) {
        if (pending.isEmpty()) {
            complete(shard, txn, commit);
            return;
        }
        markers.get().writeMarkers(producerId, epoch, commit, shard.coordinatorEpoch, Set.copyOf(pending))
            .whenComplete((outcome, failure) -> onThread(() -> {
                if (shards.get(shard.partition) != shard) {
                    return; // resigned: the next leader resends them
                }
                Set<TopicPartition> retry = new HashSet<>();
                for (TopicPartition tp : pending) {
                    ErrorCode error = failure != null || outcome == null ? ErrorCode.UNKNOWN_SERVER_ERROR
                        : outcome.getOrDefault(tp, ErrorCode.UNKNOWN_SERVER_ERROR);
                    if (error == ErrorCode.NONE) {
                        continue;
                    }
                    if (error.isRetriable() || error == ErrorCode.UNKNOWN_SERVER_ERROR || error == ErrorCode.KAFKA_STORAGE_ERROR) {
                        retry.add(tp);
                    } else {
                        // Kafka's channel drops a partition that is gone or whose producer moved on.
                        log.warn("{} marker of producer {} epoch {} not written to {}: {}", commit ? "COMMIT" : "ABORT", producerId,
                            epoch, tp, error);
                    }
                }
                if (retry.isEmpty()) {
                    complete(shard, txn, commit);
                    return;
                }
                if (attempt % 50 == 0) {
                    log.info("Retrying the {} markers of producer {} for {}", commit ? "COMMIT" : "ABORT", producerId, retry);
                }
                try {
                    timer.schedule(() -> onThread(() -> sendMarkers(shard, txn, producerId, epoch, commit, retry, attempt + 1)),
                        MARKER_RETRY_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // closing: the next start resumes from PREPARE_*
                }
            }));
    }

    private void complete(Shard shard, TransactionMetadata txn, boolean commit) {
        TransactionMetadata next = txn.copy();
        next.state = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        next.partitions.clear();
        next.lastUpdateMs = clock.millis();
        if (next.epoch >= MAX_EPOCH && next.clientVersion >= 2) {
            // Protocol 2 continues with the next epoch; none is left, so the producer continues with a new id.
            next.previousProducerId = txn.producerId;
            next.producerId = producerIds.getAsLong();
            next.lastEpoch = txn.epoch;
            next.epoch = 0;
        }
        transition(shard, txn, next, () -> {
            EndResult ended = new EndResult(ErrorCode.NONE, txn.producerId, txn.epoch);
            List<CompletableFuture<EndResult>> waiters = new ArrayList<>(txn.waiters);
            txn.waiters.clear();
            for (CompletableFuture<EndResult> waiter : waiters) {
                waiter.complete(ended);
            }
        }, error -> {
            // The markers are written: the transaction must end. Kafka retries this append until it succeeds or the
            // partition moves; the client, told to retry, finds the transaction still PREPARE_* and waits again.
            txn.failWaiters(error);
            if (error == ErrorCode.NOT_COORDINATOR || shards.get(shard.partition) != shard) {
                return; // the next leader loads PREPARE_* and finishes it
            }
            try {
                timer.schedule(() -> onThread(() -> {
                    if (shards.get(shard.partition) == shard && txn.pending == null && txn.state.isPreparing()) {
                        complete(shard, txn, commit);
                    }
                }), MARKER_RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing: the next start resumes from PREPARE_*
            }
        });
    }

    // =====================================================================================================
    // timers

    /** Aborts every open transaction older than its timeout, bumping the epoch so its producer is fenced. */
    void abortTimedOut() {
        long now = clock.millis();
        for (Shard shard : shards.values()) {
            if (shard.status != Status.ACTIVE) {
                continue;
            }
            for (TransactionMetadata txn : List.copyOf(shard.txns.values())) {
                if (txn.pending == null && txn.state == TransactionState.ONGOING && txn.startMs >= 0 && now - txn.startMs > txn.timeoutMs) {
                    abortWithBump(shard, txn, "open for " + (now - txn.startMs) + " ms, longer than its transaction.timeout.ms="
                        + txn.timeoutMs);
                }
            }
        }
    }

    /** Forgets ids idle longer than {@code transactional.id.expiration.ms} (a tombstone each). */
    void expireIds() {
        long now = clock.millis();
        for (Shard shard : shards.values()) {
            if (shard.status != Status.ACTIVE) {
                continue;
            }
            for (TransactionMetadata txn : List.copyOf(shard.txns.values())) {
                if (txn.pending == null && txn.state.isIdle() && now - txn.lastUpdateMs > config.idExpirationMs()
                    && write(shard, txn.transactionalId, null) == ErrorCode.NONE) {
                    // forgotten once the tombstone is replicated; meanwhile the id takes no change (its pending state)
                    txn.pending = txn.copy();
                    afterReplicated(shard, () -> {
                        txn.pending = null;
                        shard.txns.remove(txn.transactionalId, txn);
                        log.info("Transactional id '{}' expired after {} ms without a transaction", ClientText.escape(txn.transactionalId),
                            now - txn.lastUpdateMs);
                    }, error -> txn.pending = null);
                }
            }
        }
    }

    /** Runs the timeout check now, for tests; completes when it ran. */
    public CompletableFuture<Void> abortTimedOutNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onThread(() -> {
            abortTimedOut();
            done.complete(null);
        });
        return done;
    }

    // =====================================================================================================
    // DescribeTransactions, ListTransactions

    public CompletableFuture<Description> describe(String transactionalId) {
        return onShard(transactionalId, (shard, answer) -> {
            TransactionMetadata txn = shard.txns.get(transactionalId);
            if (txn == null) {
                answer.complete(notDescribed(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId));
                return;
            }
            answer.complete(new Description(ErrorCode.NONE, transactionalId, txn.state, txn.timeoutMs, txn.startMs, txn.producerId,
                txn.epoch, Set.copyOf(txn.partitions)));
        }, error -> notDescribed(error, transactionalId));
    }

    private static Description notDescribed(ErrorCode error, String id) {
        return new Description(error, id, TransactionState.DEAD, 0, -1, -1, (short) -1, Set.of());
    }

    /**
     * The ids of every loaded partition passing the filters (empty filters pass everything): states, producer ids,
     * running longer than {@code minDurationMs} (-1: any), id matching {@code idPattern} (null: any).
     */
    public CompletableFuture<List<Listed>> list(Set<TransactionState> states, Set<Long> producerIdFilter, long minDurationMs,
                                                String idPattern) {
        Pattern pattern;
        try {
            pattern = idPattern == null || idPattern.isEmpty() ? null : Pattern.compile(idPattern);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<Listed>> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                long now = clock.millis();
                List<Listed> result = new ArrayList<>();
                for (Shard shard : shards.values()) {
                    if (shard.status != Status.ACTIVE) {
                        continue;
                    }
                    for (TransactionMetadata txn : shard.txns.values()) {
                        if ((states.isEmpty() || states.contains(txn.state))
                            && (producerIdFilter.isEmpty() || producerIdFilter.contains(txn.producerId))
                            && (minDurationMs < 0 || (txn.state == TransactionState.ONGOING && now - txn.startMs >= minDurationMs))
                            && (pattern == null || pattern.matcher(txn.transactionalId).matches())) {
                            result.add(new Listed(txn.transactionalId, txn.producerId, txn.state));
                        }
                    }
                }
                answer.complete(result);
            });
        } catch (RejectedExecutionException e) {
            answer.complete(List.of());
        }
        return answer;
    }

    /** Whether every partition this coordinator owns is loaded (false while one loads). */
    public boolean isLoaded() {
        return !shards.isEmpty() && shards.values().stream().allMatch(s -> s.status == Status.ACTIVE);
    }
}
