package io.tributary.clients.producer;

import io.tributary.clients.consumer.CommitFailedException;
import io.tributary.clients.consumer.ConsumerGroupMetadata;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.ProducerFencedException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.Backoff;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.NetworkClient;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest.AddPartitionsToTxnTopic;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A transactional producer's state and its conversation with the transaction coordinator (and, for
 * {@code sendOffsetsToTransaction}, the group coordinator): Kafka's client-side TransactionManager.
 *
 * <h2>Protocol: transaction version 1</h2>
 * The producer speaks KIP-98's original protocol, not KIP-890's version 2: a partition joins the transaction by an
 * explicit AddPartitionsToTxn (v0-3) answered before the first batch to it is sent, offsets by AddOffsetsToTxn then
 * TxnOffsetCommit (v0-3) to the group coordinator, the end by EndTxn (v0-4), and produce requests stay at v11 (v12+
 * would ask the broker to add partitions itself). The epoch stays the same across transactions; it is bumped only by
 * InitProducerId, which is also what aborts a transaction whose sequences broke (KIP-360: the coordinator aborts the
 * open transaction and answers with the next epoch). Version 1 is understood by every broker with transactions,
 * needs no feature negotiation, and keeps a fenced producer's failure on its next coordinator call.
 *
 * <h2>States</h2>
 * <pre>
 * UNINITIALIZED -initTransactions-> INITIALIZING -InitProducerId-> READY -beginTransaction-> IN_TRANSACTION
 * IN_TRANSACTION -commitTransaction-> COMMITTING_TRANSACTION -EndTxn(commit)-> READY
 * IN_TRANSACTION | ABORTABLE_ERROR -abortTransaction-> ABORTING_TRANSACTION -EndTxn(abort) or InitProducerId-> READY
 * IN_TRANSACTION | COMMITTING_TRANSACTION -failed batch, AddPartitions/AddOffsets/TxnOffsetCommit refused-> ABORTABLE_ERROR
 * any -PRODUCER_FENCED, INVALID_PRODUCER_EPOCH from the coordinator, INVALID_TXN_STATE, ...-> FATAL_ERROR (close the producer)
 * </pre>
 * Only {@code abortTransaction} is allowed in ABORTABLE_ERROR. In ABORTABLE_ERROR, ABORTING_TRANSACTION and
 * FATAL_ERROR the sender fails every batch not yet sent ({@link io.tributary.clients.errors.TransactionAbortedException});
 * batches in flight are answered before EndTxn(abort) goes out. EndTxn(commit) goes out once every batch of the
 * transaction is acknowledged; if one failed, the commit fails with that error and the transaction must be aborted.
 *
 * <h2>Calls</h2>
 * Coordinator calls run one at a time, in order, from {@link #calls}; AddPartitionsToTxn for the partitions sent to
 * since the last one goes ahead of a waiting EndTxn. Each call finds its coordinator first (FindCoordinator, key type
 * 1 for the transactional id, 0 for a group). CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS and network
 * errors are retried after {@code retry.backoff.ms} (doubling); NOT_COORDINATOR and COORDINATOR_NOT_AVAILABLE also
 * forget the coordinator, so the retry finds it again. A blocking method waits up to {@code max.block.ms}; after a
 * {@link TimeoutException} the call goes on, and calling the same method again waits for the same result (Kafka's
 * rule), while any other transactional method is refused until then.
 *
 * <h2>Threads</h2>
 * The state and the partition sets are guarded by this object's monitor (application threads change the state,
 * the I/O thread reads it for every batch); the coordinators and the call in flight belong to the I/O thread, where
 * everything is driven from {@link Sender}'s run loop ({@link #pump}). Results complete on the producer's callback
 * thread, after the futures of records completed before them.
 */
final class TransactionManager {
    private static final Logger log = LoggerFactory.getLogger(TransactionManager.class);
    private static final byte GROUP_KEY = 0;
    private static final byte TRANSACTION_KEY = 1;

    enum State {
        UNINITIALIZED, INITIALIZING, READY, IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTING_TRANSACTION,
        ABORTABLE_ERROR, FATAL_ERROR
    }

    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final String clientId;
    private final NetworkClient network;
    private final Metadata metadata;
    private final Backoff backoff;
    private final Executor callbacks;
    private final long maxBlockMs;
    private Sender sender;

    // guarded by this
    private State state = State.UNINITIALIZED;
    private TributaryException lastError;
    /** Partitions the coordinator added to the open transaction. */
    private final Set<TopicPartition> partitionsInTransaction = new HashSet<>();
    /** Partitions sent to and not yet asked for. */
    private final Set<TopicPartition> newPartitions = new LinkedHashSet<>();
    /** Partitions of the AddPartitionsToTxn in progress. */
    private final Set<TopicPartition> pendingPartitions = new HashSet<>();
    /** Whether the coordinator knows of the open transaction (a partition or offsets were added): EndTxn is needed. */
    private boolean transactionStarted;
    /** The init, commit or abort still in progress after its caller timed out, and which one it is. */
    private CompletableFuture<Void> pendingResult;
    private String pendingOperation;
    private final ArrayDeque<Call> calls = new ArrayDeque<>();

    // I/O thread
    private final Map<String, Node> coordinators = new HashMap<>();
    /** A call is sent, or waits for its retry: no other goes out meanwhile. */
    private boolean busy;

    TransactionManager(String transactionalId, int transactionTimeoutMs, String clientId, NetworkClient network,
                       Metadata metadata, Backoff backoff, Executor callbacks, long maxBlockMs) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.clientId = clientId;
        this.network = network;
        this.metadata = metadata;
        this.backoff = backoff;
        this.callbacks = callbacks;
        this.maxBlockMs = maxBlockMs;
    }

    void setSender(Sender sender) {
        this.sender = sender;
    }

    String transactionalId() {
        return transactionalId;
    }

    synchronized State state() {
        return state;
    }

    // ------------------------------------------------------------------ application threads

    void initTransactions() {
        CompletableFuture<Void> result;
        synchronized (this) {
            result = resumed("initTransactions");
            if (result == null) {
                throwIfFatal();
                if (state != State.UNINITIALIZED) {
                    throw new IllegalStateException("initTransactions was already called (the producer " + clientId
                        + " with transactional.id " + transactionalId + " is in state " + state + ")");
                }
                state = State.INITIALIZING;
                result = enqueue(new InitProducerId(false, new CompletableFuture<>()), "initTransactions");
            }
        }
        await(result, "initTransactions");
    }

    synchronized void beginTransaction() {
        refuseWhilePending("beginTransaction");
        throwIfInError("beginTransaction");
        if (state != State.READY) {
            throw new IllegalStateException(state == State.UNINITIALIZED || state == State.INITIALIZING
                ? "Cannot begin a transaction before initTransactions completed"
                : "Cannot begin a transaction in state " + state + ": one is already in progress");
        }
        state = State.IN_TRANSACTION;
    }

    /** Before a record is appended: the producer must be in a transaction with no error. */
    synchronized void checkSend() {
        throwIfInError("send");
        if (state != State.IN_TRANSACTION) {
            throw new IllegalStateException(state == State.UNINITIALIZED || state == State.INITIALIZING
                ? "Cannot send before initTransactions completed on a transactional producer"
                : "Cannot send in state " + state + ": call beginTransaction first");
        }
    }

    /** The partition a record was appended to joins the transaction (AddPartitionsToTxn) before its batches are sent. */
    void maybeAddPartition(TopicPartition partition) {
        boolean added;
        synchronized (this) {
            added = !partitionsInTransaction.contains(partition) && !pendingPartitions.contains(partition)
                && newPartitions.add(partition);
        }
        if (added) {
            sender.wakeup();
        }
    }

    void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (group == null || group.groupId() == null) {
            throw new IllegalArgumentException("sendOffsetsToTransaction needs the consumer's group metadata");
        }
        CompletableFuture<Void> result;
        synchronized (this) {
            refuseWhilePending("sendOffsetsToTransaction");
            throwIfInError("sendOffsetsToTransaction");
            if (state != State.IN_TRANSACTION) {
                throw new IllegalStateException("Cannot send offsets in state " + state + ": call beginTransaction first");
            }
            if (offsets.isEmpty()) {
                return;
            }
            result = new CompletableFuture<>();
            calls.addLast(new AddOffsets(Map.copyOf(offsets), group, result));
        }
        sender.wakeup();
        await(result, "sendOffsetsToTransaction");
    }

    void commitTransaction() {
        CompletableFuture<Void> result;
        synchronized (this) {
            result = resumed("commitTransaction");
            if (result == null) {
                throwIfFatal();
                if (state == State.ABORTABLE_ERROR) {
                    throw new TributaryException("Cannot commit the transaction of " + transactionalId
                        + ": an earlier error requires abortTransaction: " + lastError.getMessage(), lastError);
                }
                if (state != State.IN_TRANSACTION) {
                    throw new IllegalStateException("Cannot commit in state " + state + ": no transaction in progress");
                }
                state = State.COMMITTING_TRANSACTION;
                result = enqueue(new EndTxn(true, new CompletableFuture<>()), "commitTransaction");
            }
        }
        await(result, "commitTransaction");
    }

    void abortTransaction() {
        CompletableFuture<Void> result = beginAbort();
        await(result, "abortTransaction");
    }

    /** Starts an abort (also used by close); returns its result. */
    private CompletableFuture<Void> beginAbort() {
        synchronized (this) {
            CompletableFuture<Void> result = resumed("abortTransaction");
            if (result != null) {
                return result;
            }
            throwIfFatal();
            if (state != State.IN_TRANSACTION && state != State.ABORTABLE_ERROR) {
                throw new IllegalStateException("Cannot abort in state " + state + ": no transaction in progress");
            }
            state = State.ABORTING_TRANSACTION;
            newPartitions.clear();
            return enqueue(new EndTxn(false, new CompletableFuture<>()), "abortTransaction");
        }
    }

    /** For close: aborts an open transaction and returns its result, or null when there is none to abort. */
    CompletableFuture<Void> abortIfOpen() {
        synchronized (this) {
            if (state == State.COMMITTING_TRANSACTION || state == State.ABORTING_TRANSACTION) {
                return pendingResult;
            }
            if (state != State.IN_TRANSACTION && state != State.ABORTABLE_ERROR) {
                return null;
            }
        }
        log.info("Aborting the open transaction of {} as the producer closes", transactionalId);
        return beginAbort();
    }

    /**
     * The result of the same operation that timed out before, or null if none did; refuses another operation until
     * that one was called again (Kafka's rule: its outcome, even if it came meanwhile, is the caller's to collect).
     * Under the lock.
     */
    private CompletableFuture<Void> resumed(String operation) {
        if (pendingResult == null) {
            return null;
        }
        refuseWhilePending(operation);
        return pendingResult;
    }

    private void refuseWhilePending(String operation) {
        if (pendingResult != null && !operation.equals(pendingOperation)) {
            throw new IllegalStateException("Cannot call " + operation + ": the previous " + pendingOperation
                + " timed out and must be called again to complete");
        }
    }

    /** Queues a call whose caller may time out and come back for the result. Under the lock. */
    private CompletableFuture<Void> enqueue(Call call, String operation) {
        calls.addLast(call);
        pendingResult = call.result;
        pendingOperation = operation;
        sender.wakeup();
        return call.result;
    }

    private void throwIfFatal() {
        if (state == State.FATAL_ERROR) {
            throw lastError;
        }
    }

    private void throwIfInError(String operation) {
        throwIfFatal();
        if (state == State.ABORTABLE_ERROR) {
            throw new TributaryException("Cannot " + operation + ": the transaction of " + transactionalId
                + " must be aborted after an earlier error: " + lastError.getMessage(), lastError);
        }
    }

    /** Waits up to max.block.ms; the result is forgotten once it came, so the next operation starts afresh. */
    private void await(CompletableFuture<Void> result, String operation) {
        try {
            result.get(maxBlockMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timeout expired after " + maxBlockMs + " ms (max.block.ms) while awaiting "
                + operation + " of " + transactionalId + "; call it again to wait for the same outcome");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof TributaryException t ? t : new TributaryException(operation + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while awaiting " + operation, e);
        } finally {
            synchronized (this) {
                if (pendingResult == result && result.isDone()) {
                    pendingResult = null;
                    pendingOperation = null;
                }
            }
        }
    }

    // ------------------------------------------------------------------ any thread, read by the sender

    /** Whether batches may be sent now: in a transaction (or committing it) with no error. */
    synchronized boolean maySend() {
        return state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION;
    }

    synchronized boolean isCommitting() {
        return state == State.COMMITTING_TRANSACTION;
    }

    /** Whether the coordinator added the partition to the open transaction, so its batches may be sent. */
    synchronized boolean isPartitionAdded(TopicPartition partition) {
        return partitionsInTransaction.contains(partition);
    }

    /** What batches not yet sent fail with now (the transaction is being aborted or failed), or null. */
    synchronized TributaryException queuedBatchesFailWith() {
        return switch (state) {
            case ABORTABLE_ERROR, ABORTING_TRANSACTION, FATAL_ERROR -> new io.tributary.clients.errors.TransactionAbortedException(
                "Failing a batch of " + transactionalId + " that was not sent: the transaction is "
                    + (state == State.FATAL_ERROR ? "failed" : "being aborted")
                    + (lastError == null ? "" : " after: " + lastError.getMessage()), lastError);
            default -> null;
        };
    }

    /** A batch of the transaction failed: the transaction can only be aborted (or the producer is fenced). */
    void batchFailed(TributaryException error) {
        if (error instanceof ProducerFencedException) {
            fatal(error);
        } else {
            abortable(error);
        }
    }

    private synchronized void abortable(TributaryException error) {
        if (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION) {
            log.debug("Transaction of {} is abortable after: {}", transactionalId, error.getMessage());
            state = State.ABORTABLE_ERROR;
            lastError = error;
        }
    }

    private void fatal(TributaryException error) {
        List<Call> failed;
        synchronized (this) {
            if (state != State.FATAL_ERROR) {
                log.warn("Producer {} with transactional.id {} failed for good: {}", clientId, transactionalId, error.getMessage());
                state = State.FATAL_ERROR;
                lastError = error;
            }
            failed = new ArrayList<>(calls);
            calls.clear();
        }
        for (Call c : failed) {
            completeResult(c.result, lastErrorOr(error));
        }
    }

    private synchronized TributaryException lastErrorOr(TributaryException fallback) {
        return lastError != null ? lastError : fallback;
    }

    // ------------------------------------------------------------------ I/O thread

    /** Sends the next call if none is under way and it may go now. */
    void pump() {
        if (busy) {
            return;
        }
        Call next;
        TributaryException refusal = null;
        synchronized (this) {
            if (!newPartitions.isEmpty() && (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION)) {
                pendingPartitions.addAll(newPartitions);
                next = new AddPartitions(new ArrayList<>(newPartitions));
                newPartitions.clear();
                calls.addFirst(next);
            } else {
                next = calls.peekFirst();
                while (next != null && next.stale()) {
                    calls.pollFirst();
                    next = calls.peekFirst();
                }
                if (next == null) {
                    return;
                }
                if (next instanceof EndTxn end && end.commit && state == State.ABORTABLE_ERROR) {
                    refusal = new TributaryException("Cannot commit the transaction of " + transactionalId
                        + ": a record or offset of it failed, so it must be aborted: " + lastError.getMessage(), lastError);
                } else if (!next.ready()) {
                    return;
                }
            }
        }
        if (refusal != null) {
            finish(next, refusal);
            return;
        }
        busy = true;
        send(next);
    }

    private void send(Call call) {
        ClientRequest request = call.request();
        if (request == null) {
            call.nothingToSend();
            return;
        }
        String key = call.coordinatorType() + ":" + call.coordinatorKey();
        sendTo(call, request, key);
    }

    private void sendTo(Call call, ClientRequest request, String key) {
        Node coordinator = coordinators.get(key);
        if (coordinator == null) {
            findCoordinator(call, request, key);
            return;
        }
        network.send(coordinator, request).whenComplete((response, error) -> {
            if (error != null) {
                coordinators.remove(key);
                retry(call, error.toString());
                return;
            }
            try {
                call.handle(response.body(), key);
            } catch (RuntimeException e) {
                log.error("Handling the answer to {} failed", call.describe(), e);
                finish(call, new TributaryException(call.describe() + " failed: " + e, e));
            }
        });
    }

    private void findCoordinator(Call call, ClientRequest request, String key) {
        Node node = network.leastLoadedNode(metadata.cluster().nodes());
        if (node == null) {
            metadata.requestUpdate();
            retry(call, "no broker to ask for the coordinator");
            return;
        }
        Struct body = FindCoordinatorRequest.SCHEMA.newStruct()
            .set(FindCoordinatorRequest.KEY, call.coordinatorKey())
            .set(FindCoordinatorRequest.KEY_TYPE, call.coordinatorType());
        network.send(node, ClientRequest.of(ApiKey.FIND_COORDINATOR, body).withVersions(1, 3)).whenComplete((response, error) -> {
            if (error != null) {
                retry(call, "FindCoordinator: " + error);
                return;
            }
            Struct answer = response.body();
            ErrorCode code = ErrorCode.forCode(answer.get(FindCoordinatorResponse.ERROR_CODE));
            if (code == ErrorCode.NONE) {
                coordinators.put(key, new Node(answer.get(FindCoordinatorResponse.NODE_ID), answer.get(FindCoordinatorResponse.HOST),
                    answer.get(FindCoordinatorResponse.PORT)));
                sendTo(call, request, key);
            } else if (code.isRetriable()) {
                retry(call, "FindCoordinator: " + code);
            } else {
                TributaryException e = ApiException.of(code, "FindCoordinator for " + call.coordinatorKey(),
                    answer.get(FindCoordinatorResponse.ERROR_MESSAGE));
                fatal(e);
                finish(call, e);
            }
        });
    }

    private void retry(Call call, String reason) {
        call.attempts++;
        long delay = backoff.delayMs(call.attempts);
        log.debug("Retrying {} in {} ms: {}", call.describe(), delay, reason);
        network.schedule(delay, () -> {
            busy = false;
            sender.wakeup();
        });
    }

    /** The call is over: it leaves the queue and its result completes (null: success) after earlier record futures. */
    private void finish(Call call, TributaryException error) {
        synchronized (this) {
            calls.remove(call);
        }
        busy = false;
        completeResult(call.result, error);
        sender.wakeup();
    }

    private void completeResult(CompletableFuture<Void> result, TributaryException error) {
        if (result == null) {
            return;
        }
        callbacks.execute(() -> {
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    /** What an error code from a coordinator call asks for. */
    private enum Reaction { RETRY, REFIND_AND_RETRY, FENCED, ABORTABLE, FATAL }

    private static Reaction reaction(ErrorCode code) {
        return switch (code) {
            case CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT -> Reaction.RETRY;
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Reaction.REFIND_AND_RETRY;
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> Reaction.FENCED;
            case TRANSACTION_ABORTABLE, TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, UNKNOWN_MEMBER_ID,
                 ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> Reaction.ABORTABLE;
            default -> Reaction.FATAL;
        };
    }

    /**
     * Reacts to a refusal of {@code call}: retries it, or fails it (and the producer or the transaction).
     *
     * @param abortable the exception when the code makes the transaction abortable
     */
    private void refused(Call call, String coordinatorKey, ErrorCode code, String brokerMessage, TributaryException abortable) {
        switch (reaction(code)) {
            case REFIND_AND_RETRY -> {
                coordinators.remove(coordinatorKey);
                retry(call, code.toString());
            }
            case RETRY -> retry(call, code.toString());
            case FENCED -> {
                // INVALID_PRODUCER_EPOCH from a coordinator means the same as PRODUCER_FENCED (Kafka's client maps it so).
                TributaryException e = new ProducerFencedException(call.describe() + ": " + code + " (another producer with "
                    + "transactional.id " + transactionalId + " has started, or the coordinator aborted this producer's "
                    + "transaction and moved its epoch on); close this producer");
                fatal(e);
                finish(call, e);
            }
            case ABORTABLE -> {
                TributaryException e = abortable != null ? abortable : ApiException.of(code, call.describe(), brokerMessage);
                abortable(e);
                finish(call, e);
            }
            case FATAL -> {
                TributaryException e = ApiException.of(code, call.describe(), brokerMessage);
                fatal(e);
                finish(call, e);
            }
        }
    }

    /** One coordinator call. */
    private abstract class Call {
        final CompletableFuture<Void> result;
        int attempts;

        Call(CompletableFuture<Void> result) {
            this.result = result;
        }

        byte coordinatorType() {
            return TRANSACTION_KEY;
        }

        String coordinatorKey() {
            return transactionalId;
        }

        /** Whether it may be sent now; under the lock. */
        boolean ready() {
            return true;
        }

        /** The request, built on the I/O thread when sent; null when there is nothing to send. */
        abstract ClientRequest request();

        /** Whether it is no longer needed (and has no result to complete); under the lock. */
        boolean stale() {
            return false;
        }

        /** {@link #request} had nothing to send: done. */
        void nothingToSend() {
            finish(this, null);
        }

        abstract void handle(Struct body, String coordinatorKey);

        abstract String describe();
    }

    /** InitProducerId with the transactional id: first at initTransactions, then to bump the epoch after an abort. */
    private final class InitProducerId extends Call {
        private final boolean bump;

        InitProducerId(boolean bump, CompletableFuture<Void> result) {
            super(result);
            this.bump = bump;
        }

        @Override
        ClientRequest request() {
            long producerId = sender.producerId();
            short epoch = sender.epoch();
            Struct body = InitProducerIdRequest.SCHEMA.newStruct()
                .set(InitProducerIdRequest.TRANSACTIONAL_ID, transactionalId)
                .set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, transactionTimeoutMs);
            if (bump) {
                // KIP-360: naming the current id and epoch lets the coordinator tell this producer from a zombie.
                body.set(InitProducerIdRequest.PRODUCER_ID, producerId).set(InitProducerIdRequest.PRODUCER_EPOCH, epoch);
                return new ClientRequest(ApiKey.INIT_PRODUCER_ID, (short) 3, ApiKey.INIT_PRODUCER_ID.maxVersion(), v -> body, true);
            }
            return ClientRequest.of(ApiKey.INIT_PRODUCER_ID, body);
        }

        @Override
        void handle(Struct body, String key) {
            ErrorCode code = ErrorCode.forCode(body.get(InitProducerIdResponse.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                refused(this, key, code, null, null);
                return;
            }
            long producerId = body.get(InitProducerIdResponse.PRODUCER_ID);
            short epoch = body.get(InitProducerIdResponse.PRODUCER_EPOCH);
            sender.producerIdAssigned(producerId, epoch);
            synchronized (TransactionManager.this) {
                if (state == State.INITIALIZING || state == State.ABORTING_TRANSACTION) {
                    state = State.READY;
                    partitionsInTransaction.clear();
                    transactionStarted = false;
                }
            }
            log.debug("Producer {} with transactional.id {} has id {} epoch {}", clientId, transactionalId, producerId, epoch);
            finish(this, null);
        }

        @Override
        String describe() {
            return "InitProducerId for transactional.id " + transactionalId;
        }
    }

    /** AddPartitionsToTxn v0-3 for partitions sent to since the last one. */
    private final class AddPartitions extends Call {
        private final List<TopicPartition> partitions;

        AddPartitions(List<TopicPartition> partitions) {
            super(null);
            this.partitions = partitions;
        }

        /**
         * Waiting for a retry when the transaction became abortable or is being aborted: its batches were failed, and
         * the abort must not wait for a partition that may never be added (an unknown topic is retried forever).
         */
        @Override
        boolean stale() {
            if (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION) {
                return false;
            }
            pendingPartitions.removeAll(partitions);
            return true;
        }

        @Override
        ClientRequest request() {
            Struct body = AddPartitionsToTxnRequest.SCHEMA.newStruct()
                .set(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID, transactionalId)
                .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_ID, sender.producerId())
                .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_EPOCH, sender.epoch());
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            byTopic.forEach((topic, indexes) -> body.add(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS)
                .set(AddPartitionsToTxnTopic.NAME, topic)
                .set(AddPartitionsToTxnTopic.PARTITIONS, indexes.stream().mapToInt(Integer::intValue).toArray()));
            return ClientRequest.of(ApiKey.ADD_PARTITIONS_TO_TXN, body).withVersions(0, 3);
        }

        @Override
        void handle(Struct body, String key) {
            ErrorCode worst = ErrorCode.NONE;
            for (Struct topic : body.get(AddPartitionsToTxnResponse.RESULTS_BY_TOPIC_V3_AND_BELOW)) {
                for (Struct p : topic.get(AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION)) {
                    ErrorCode code = ErrorCode.forCode(p.get(AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE));
                    // OPERATION_NOT_ATTEMPTED: refused only because another partition was; that one's code decides.
                    if (code != ErrorCode.NONE && code != ErrorCode.OPERATION_NOT_ATTEMPTED
                        && (worst == ErrorCode.NONE || reaction(code).ordinal() > reaction(worst).ordinal())) {
                        worst = code;
                    }
                }
            }
            if (worst == ErrorCode.NONE) {
                synchronized (TransactionManager.this) {
                    pendingPartitions.removeAll(partitions);
                    partitionsInTransaction.addAll(partitions);
                    transactionStarted = true;
                }
                finish(this, null);
                return;
            }
            Reaction reaction = reaction(worst);
            if (reaction != Reaction.RETRY && reaction != Reaction.REFIND_AND_RETRY) {
                synchronized (TransactionManager.this) {
                    pendingPartitions.removeAll(partitions);
                    transactionStarted = true;   // some may have been added: the abort must tell the coordinator
                }
            }
            refused(this, key, worst, null, null);
        }

        @Override
        String describe() {
            return "AddPartitionsToTxn of " + partitions + " for transactional.id " + transactionalId;
        }
    }

    /** AddOffsetsToTxn, then (as a call in its place) TxnOffsetCommit to the group coordinator. */
    private final class AddOffsets extends Call {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;

        AddOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, CompletableFuture<Void> result) {
            super(result);
            this.offsets = offsets;
            this.group = group;
        }

        @Override
        ClientRequest request() {
            Struct body = AddOffsetsToTxnRequest.SCHEMA.newStruct()
                .set(AddOffsetsToTxnRequest.TRANSACTIONAL_ID, transactionalId)
                .set(AddOffsetsToTxnRequest.PRODUCER_ID, sender.producerId())
                .set(AddOffsetsToTxnRequest.PRODUCER_EPOCH, sender.epoch())
                .set(AddOffsetsToTxnRequest.GROUP_ID, group.groupId());
            return ClientRequest.of(ApiKey.ADD_OFFSETS_TO_TXN, body).withVersions(0, 3);
        }

        @Override
        void handle(Struct body, String key) {
            ErrorCode code = ErrorCode.forCode(body.get(AddOffsetsToTxnResponse.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                refused(this, key, code, null, null);
                return;
            }
            synchronized (TransactionManager.this) {
                transactionStarted = true;
                // The commit of the offsets takes this call's place, ahead of anything queued since.
                calls.remove(this);
                calls.addFirst(new TxnOffsetCommit(offsets, group, result));
            }
            busy = false;
            sender.wakeup();
        }

        @Override
        String describe() {
            return "AddOffsetsToTxn of group " + group.groupId() + " for transactional.id " + transactionalId;
        }
    }

    /** TxnOffsetCommit v0-3: the offsets, written to the group's log as part of the transaction. */
    private final class TxnOffsetCommit extends Call {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;

        TxnOffsetCommit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, CompletableFuture<Void> result) {
            super(result);
            this.offsets = offsets;
            this.group = group;
        }

        @Override
        byte coordinatorType() {
            return GROUP_KEY;
        }

        @Override
        String coordinatorKey() {
            return group.groupId();
        }

        @Override
        ClientRequest request() {
            long producerId = sender.producerId();
            short epoch = sender.epoch();
            return ClientRequest.of(ApiKey.TXN_OFFSET_COMMIT, version -> {
                Struct body = TxnOffsetCommitRequest.SCHEMA.newStruct()
                    .set(TxnOffsetCommitRequest.TRANSACTIONAL_ID, transactionalId)
                    .set(TxnOffsetCommitRequest.GROUP_ID, group.groupId())
                    .set(TxnOffsetCommitRequest.PRODUCER_ID, producerId)
                    .set(TxnOffsetCommitRequest.PRODUCER_EPOCH, epoch);
                if (version >= 3) {
                    // KIP-447: the group coordinator refuses offsets from a member a rebalance fenced.
                    body.set(TxnOffsetCommitRequest.GENERATION_ID, group.generationId())
                        .set(TxnOffsetCommitRequest.MEMBER_ID, group.memberId())
                        .set(TxnOffsetCommitRequest.GROUP_INSTANCE_ID, group.groupInstanceId().orElse(null));
                }
                Map<String, Struct> topics = new LinkedHashMap<>();
                offsets.forEach((tp, offset) -> {
                    Struct topic = topics.computeIfAbsent(tp.topic(),
                        t -> body.add(TxnOffsetCommitRequest.TOPICS).set(TxnOffsetCommitRequestTopic.NAME, t));
                    Struct partition = topic.add(TxnOffsetCommitRequestTopic.PARTITIONS)
                        .set(TxnOffsetCommitRequestPartition.PARTITION_INDEX, tp.partition())
                        .set(TxnOffsetCommitRequestPartition.COMMITTED_OFFSET, offset.offset())
                        .set(TxnOffsetCommitRequestPartition.COMMITTED_METADATA, offset.metadata());
                    if (version >= 2) {
                        partition.set(TxnOffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH, offset.leaderEpoch());
                    }
                });
                return body;
            }).withVersions(0, 3);
        }

        @Override
        void handle(Struct body, String key) {
            ErrorCode worst = ErrorCode.NONE;
            for (Struct topic : body.get(TxnOffsetCommitResponse.TOPICS)) {
                for (Struct p : topic.get(TxnOffsetCommitResponseTopic.PARTITIONS)) {
                    ErrorCode code = ErrorCode.forCode(p.get(TxnOffsetCommitResponsePartition.ERROR_CODE));
                    if (code != ErrorCode.NONE && (worst == ErrorCode.NONE || reaction(code).ordinal() > reaction(worst).ordinal())) {
                        worst = code;
                    }
                }
            }
            if (worst == ErrorCode.NONE) {
                finish(this, null);
                return;
            }
            TributaryException abortable = null;
            if (worst == ErrorCode.UNKNOWN_MEMBER_ID || worst == ErrorCode.ILLEGAL_GENERATION || worst == ErrorCode.FENCED_INSTANCE_ID) {
                abortable = new CommitFailedException("The group coordinator of " + group.groupId() + " refused the offsets "
                    + "of the transaction with " + worst + ": the consumer's generation " + group.generationId()
                    + " is no longer the group's (a rebalance happened); abort the transaction");
            }
            refused(this, key, worst, null, abortable);
        }

        @Override
        String describe() {
            return "TxnOffsetCommit of group " + group.groupId() + " for transactional.id " + transactionalId;
        }
    }

    /**
     * EndTxn v0-4. A commit waits until every batch of the transaction is acknowledged; an abort until none is in
     * flight (the sender failed the rest). An abort whose sequences broke (a batch failed after it got a sequence, or
     * the broker forgot the producer) is followed by InitProducerId with the current id and epoch, in this call's
     * place: the coordinator bumps the epoch, and every partition's sequences start again at 0. The abort must come
     * first, as in Kafka's client: an InitProducerId while the transaction is open would abort it under a new epoch
     * and fence this producer.
     */
    private final class EndTxn extends Call {
        private final boolean commit;

        EndTxn(boolean commit, CompletableFuture<Void> result) {
            super(result);
            this.commit = commit;
        }

        @Override
        boolean ready() {
            if (!sender.noBatchInFlight()) {
                return false;
            }
            return !commit || (sender.noBatchQueued() && newPartitions.isEmpty() && pendingPartitions.isEmpty());
        }

        @Override
        ClientRequest request() {
            synchronized (TransactionManager.this) {
                if (!transactionStarted) {
                    return null;   // the coordinator never heard of this transaction
                }
            }
            Struct body = EndTxnRequest.SCHEMA.newStruct()
                .set(EndTxnRequest.TRANSACTIONAL_ID, transactionalId)
                .set(EndTxnRequest.PRODUCER_ID, sender.producerId())
                .set(EndTxnRequest.PRODUCER_EPOCH, sender.epoch())
                .set(EndTxnRequest.COMMITTED, commit);
            return ClientRequest.of(ApiKey.END_TXN, body).withVersions(0, 4);
        }

        @Override
        void nothingToSend() {
            ended();
        }

        @Override
        void handle(Struct body, String key) {
            ErrorCode code = ErrorCode.forCode(body.get(EndTxnResponse.ERROR_CODE));
            if (code != ErrorCode.NONE) {
                refused(this, key, code, null, null);
                return;
            }
            ended();
        }

        private void ended() {
            boolean bump;
            synchronized (TransactionManager.this) {
                partitionsInTransaction.clear();
                pendingPartitions.clear();
                transactionStarted = false;
                bump = !commit && sender.needsEpochBump();
                if (bump) {
                    // Still ABORTING_TRANSACTION until the bump is answered.
                    calls.remove(this);
                    calls.addFirst(new InitProducerId(true, result));
                } else if (state == State.COMMITTING_TRANSACTION || state == State.ABORTING_TRANSACTION) {
                    state = State.READY;
                }
            }
            if (bump) {
                busy = false;
                sender.wakeup();
            } else {
                finish(this, null);
            }
        }

        @Override
        String describe() {
            return (commit ? "EndTxn(commit)" : "EndTxn(abort)") + " for transactional.id " + transactionalId;
        }
    }
}
