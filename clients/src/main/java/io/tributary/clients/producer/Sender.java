package io.tributary.clients.producer;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.Backoff;
import io.tributary.clients.network.BufferedRecords;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.network.ScheduledTask;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the accumulator's batches: decides which are ready, groups them per leader into produce requests of at
 * most {@code max.request.size}, and handles the answers. Runs only on the network client's I/O thread, so its
 * state needs no locks; it is woken by new batches, answers, metadata updates and its own timers (linger,
 * retry backoff, delivery timeout).
 *
 * <h2>Ready</h2>
 * A partition's first batch is sent when it is full (or followed by another), its {@code linger.ms} has passed,
 * a flush or close is in progress, or an application thread is blocked on {@code buffer.memory}; and when its
 * leader is known and the leader's connection has fewer than {@code max.in.flight.requests.per.connection}
 * produce requests in flight. A request carries at most one batch per partition (Kafka's rule).
 *
 * <h2>Idempotence: exactly once, in order, per partition</h2>
 * The producer gets an id and epoch with InitProducerId before sending anything. A batch gets its partition's
 * next sequence the first time it is sent and keeps it across retries, so a retry of a batch the broker already
 * wrote is recognised and answered with the original offsets (no duplicate). Order survives retries because a
 * batch that fails retriably goes back to the front of its queue, in sequence order, and a retried batch is
 * sent only when no batch of lower sequence is in flight; a batch answered OUT_OF_ORDER_SEQUENCE_NUMBER while an
 * earlier one is unacknowledged is just retried (the earlier one failed, so this one was refused, not written).
 * At most 5 batches per partition are in flight, the number a broker remembers per producer.
 * When the broker no longer knows the producer (UNKNOWN_PRODUCER_ID), or a sequenced batch had to be failed (so
 * its sequence will never be written), the sender waits for what is in flight, bumps the epoch with
 * InitProducerId (KIP-360) and renumbers the unacknowledged batches from sequence 0.
 *
 * <h2>Ordered topics</h2>
 * A batch of an ordered topic that the broker refuses as misrouted (NOT_LEADER_OR_FOLLOWER: the topic grew and
 * some of its keys now map to new partitions) is not retried on its partition: it waits at the head of its queue
 * until the metadata shows the growth, and the {@link Rerouter} then moves its records. Batches routed with the
 * new count wait until no batch routed with an older count is unfinished ({@link OrderedTopic}).
 *
 * <h2>Transactions</h2>
 * With a {@link TransactionManager} the producer id and epoch come from the transaction coordinator (this sender
 * never asks for them itself), batches are stamped transactional, a partition's batches wait until the coordinator
 * added the partition to the transaction, nothing is sent outside a transaction, and batches not yet sent are failed
 * when the transaction is being aborted. A failed batch makes the transaction abortable; a broken sequence is mended
 * by the epoch bump that ends the abort, not here. Produce requests stay at v11: v12 and later would ask the
 * broker to add the partition itself (transaction version 2), which this client does not speak.
 *
 * <h2>Completion</h2>
 * Buffer memory is released and callbacks run on the I/O thread, in completion order (so a slow callback delays
 * sending, as in KafkaProducer); futures complete on the callback executor, one batch at a time, in the same
 * order.
 */
final class Sender {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    /** Batches per partition a broker keeps for duplicate detection. */
    static final int MAX_IN_FLIGHT_PER_PARTITION = 5;
    private static final long NANOS_PER_MS = 1_000_000;
    /** The last Produce version of transaction version 1: v12 and later make the broker add partitions itself (KIP-890). */
    private static final short MAX_TRANSACTION_V1_PRODUCE_VERSION = 11;

    private final NetworkClient network;
    private final Metadata metadata;
    private final RecordAccumulator accumulator;
    private final Executor callbacks;
    private final String clientId;
    private final boolean idempotent;
    private final short acks;
    private final long lingerNanos;
    private final long deliveryTimeoutNanos;
    private final int requestTimeoutMs;
    private final int retries;
    private final int maxRequestSize;
    private final int maxInFlight;
    private final int transactionTimeoutMs;
    private final Backoff retryBackoff;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Rerouter rerouter;
    /** The transaction manager of a transactional producer, else null. */
    private final TransactionManager txn;

    // I/O thread state
    private long producerId = -1;
    private short epoch = -1;
    private boolean initInFlight;
    private int initFailures;
    private boolean bumpNeeded;
    private int inFlightBatches;
    private final Map<Integer, Integer> inFlightRequests = new HashMap<>();
    private ScheduledTask timer;
    private long timerDeadline;
    private volatile TributaryException fatal;
    /** Batches sent again after a failed attempt; for tests and diagnostics. */
    private volatile long retriedBatches;
    /** Batches made by splitting batches refused as too large; for tests and diagnostics. */
    private volatile long splitBatches;
    volatile boolean forceReady;

    /** Runs over {@code network}'s I/O thread, with {@code config} read once from the producer's configuration. */
    Sender(NetworkClient network, Metadata metadata, RecordAccumulator accumulator, Executor callbacks, SenderConfig config) {
        this(network, metadata, accumulator, callbacks, config, null);
    }

    /** With {@code txn} non-null, a transactional producer's sender (see the class comment). */
    Sender(NetworkClient network, Metadata metadata, RecordAccumulator accumulator, Executor callbacks, SenderConfig config,
           TransactionManager txn) {
        this.txn = txn;
        this.network = network;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.callbacks = callbacks;
        this.clientId = config.clientId();
        this.idempotent = config.idempotent();
        this.acks = config.acks();
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(config.lingerMs(), TimeUnit.DAYS.toMillis(365)));
        this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.deliveryTimeoutMs());
        this.requestTimeoutMs = config.requestTimeoutMs();
        this.retries = config.retries();
        this.maxRequestSize = config.maxRequestSize();
        this.maxInFlight = config.maxInFlight();
        this.transactionTimeoutMs = config.transactionTimeoutMs();
        this.retryBackoff = config.retryBackoff();
        this.rerouter = new Rerouter(accumulator, idempotent);
        metadata.addListener(cluster -> run());
    }

    /** Asks for a run on the I/O thread; coalesces calls made before it starts. Any thread. */
    void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            try {
                network.execute(this::run);
            } catch (TributaryException closed) {
                wakeupPending.set(false);
            }
        }
    }

    /** The error that stopped the producer for good (InitProducerId refused), or null. */
    TributaryException fatalError() {
        return fatal;
    }

    long retriedBatches() {
        return retriedBatches;
    }

    long splitBatches() {
        return splitBatches;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** I/O thread: the transaction coordinator gave this producer id and epoch; every partition starts at sequence 0. */
    void producerIdAssigned(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
        renumber();
        bumpNeeded = false;
    }

    /** I/O thread: a sequence broke (or the broker forgot the producer), so the epoch must be bumped before sending again. */
    boolean needsEpochBump() {
        return bumpNeeded && producerId >= 0;
    }

    /** I/O thread: no produce request is waiting for its answer. */
    boolean noBatchInFlight() {
        return inFlightBatches == 0;
    }

    /** I/O thread: no batch waits in any partition's queue. */
    boolean noBatchQueued() {
        for (PartitionQueue q : accumulator.queues()) {
            synchronized (q) {
                if (!q.batches.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ I/O thread

    private void run() {
        wakeupPending.set(false);
        long now = System.nanoTime();
        long nextWake = expire(now);
        if (fatal != null) {
            failEverything(fatal);
            return;
        }
        if (rerouter.reroute(metadata.cluster())) {
            bumpNeeded = true;
        }
        if (txn != null) {
            TributaryException aborting = txn.queuedBatchesFailWith();
            if (aborting != null) {
                failEverything(aborting);
            }
            txn.pump();
            if (producerId < 0 || bumpNeeded || !txn.maySend()) {
                scheduleAt(nextWake);   // the transaction manager wakes us when that changes
                return;
            }
        } else if (idempotent && (producerId < 0 || bumpNeeded)) {
            if (!initInFlight && inFlightBatches == 0) {
                initProducerId();
            }
            scheduleAt(nextWake);
            return;
        }
        Cluster cluster = metadata.cluster();
        boolean urgent = forceReady || accumulator.flushesInProgress.get() > 0 || accumulator.memory.hasWaiters()
            || (txn != null && txn.isCommitting());
        // A pass sends at most one request per leader (one batch per partition each); passes repeat while they send,
        // so a backlog (batches queued behind a full one, or piled up while this thread or the broker stalled) goes
        // out pipelined up to max.in.flight at once instead of one request per answer.
        Pass pass;
        do {
            pass = sendReady(now, cluster, urgent, nextWake);
            nextWake = pass.nextWake();
        } while (pass.requests() > 0);
        scheduleAt(nextWake);
    }

    /** What one pass over the partitions did: requests sent, and when a batch not yet ready will be. */
    private record Pass(int requests, long nextWake) {
    }

    /** One pass: every partition whose first batch is ready, per leader with room in flight, into one request each. */
    private Pass sendReady(long now, Cluster cluster, boolean urgent, long nextWake) {
        Map<Node, List<PartitionQueue>> ready = new LinkedHashMap<>();
        boolean unknownLeader = false;
        for (PartitionQueue q : accumulator.queues()) {
            ProducerBatch head;
            boolean full;
            synchronized (q) {
                head = q.batches.peekFirst();
                if (head == null) {
                    continue;
                }
                full = q.batches.size() > 1 || head.isFull();
            }
            if (waitsForRouting(head)) {
                continue;   // an answer or a metadata update wakes us
            }
            if (txn != null && !txn.isPartitionAdded(q.partition)) {
                continue;   // AddPartitionsToTxn's answer wakes us
            }
            if (head.attempts > 0 && now - head.retryAtNanos < 0) {
                nextWake = Math.min(nextWake, head.retryAtNanos);
                continue;
            }
            long lingerEnd = lingerEnd(head);
            if (!full && !urgent && head.attempts == 0 && now - lingerEnd < 0) {
                nextWake = Math.min(nextWake, lingerEnd);
                continue;
            }
            Node leader = cluster.leader(q.partition);
            if (leader == null) {
                unknownLeader = true;
                continue;
            }
            ready.computeIfAbsent(leader, n -> new ArrayList<>()).add(q);
        }
        if (unknownLeader) {
            metadata.requestUpdate();
        }
        int requests = 0;
        for (Map.Entry<Node, List<PartitionQueue>> e : ready.entrySet()) {
            Node node = e.getKey();
            if (inFlightRequests.getOrDefault(node.id(), 0) >= maxInFlight) {
                continue;   // an answer will wake us
            }
            List<ProducerBatch> batches = drain(e.getValue(), now);
            if (!batches.isEmpty()) {
                sendProduce(node, batches, cluster);
                requests++;
            }
        }
        return new Pass(requests, nextWake);
    }

    /**
     * When the batch has lingered long enough: {@code linger.ms} after its creation, counted on a millisecond clock
     * (creation time truncated to the millisecond) as KafkaProducer counts it. The selector wakes in whole
     * milliseconds, rounded up, so counting from the exact nanosecond would make batches linger half a
     * millisecond longer than Kafka's on average.
     */
    private long lingerEnd(ProducerBatch batch) {
        return Math.floorDiv(batch.createdNanos, NANOS_PER_MS) * NANOS_PER_MS + lingerNanos;
    }

    private void scheduleAt(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (timer != null && !timer.isCancelled() && timerDeadline - deadline <= 0 && timerDeadline - System.nanoTime() > 0) {
            return;   // an earlier (or the same) run is already scheduled
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDeadline = deadline;
        timer = network.scheduleAt(deadline, this::run);
    }

    /**
     * Whether an ordered topic's batch must not be sent yet: it was refused as misrouted and waits to be re-routed,
     * or it was routed with a newer partition count than a batch still unfinished.
     */
    private static boolean waitsForRouting(ProducerBatch b) {
        return b.ordered != null && (b.refusedWith != null || (!b.rerouted && !b.ordered.mayDrain(b.routingCount)));
    }

    /** Takes at most one batch per partition, up to max.request.size, obeying the idempotence ordering rules. */
    private List<ProducerBatch> drain(List<PartitionQueue> queues, long now) {
        List<ProducerBatch> out = new ArrayList<>();
        int size = 0;
        for (PartitionQueue q : queues) {
            ProducerBatch batch;
            synchronized (q) {
                batch = q.batches.peekFirst();
                if (batch == null || waitsForRouting(batch) || (txn != null && !txn.isPartitionAdded(q.partition))) {
                    continue;
                }
                if (idempotent) {
                    if (q.inFlight.size() >= MAX_IN_FLIGHT_PER_PARTITION) {
                        continue;
                    }
                    if (batch.baseSequence >= 0 && q.inFlightBefore(batch.baseSequence)) {
                        continue;   // a retry waits for the earlier batches' answers
                    }
                }
                batch.sealed = true;
                q.batches.pollFirst();
            }
            int batchBytes = batch.buffer().remaining();
            if (!out.isEmpty() && size + batchBytes > maxRequestSize) {
                q.requeue(batch);
                continue;
            }
            if (idempotent && batch.baseSequence < 0) {
                batch.stamp(producerId, epoch, q.nextSequence, txn != null);
                q.nextSequence += batch.recordCount();
            }
            if (idempotent) {
                q.addInFlight(batch);
            }
            size += batchBytes;
            out.add(batch);
        }
        return out;
    }

    private void sendProduce(Node node, List<ProducerBatch> batches, Cluster cluster) {
        Map<String, List<ProducerBatch>> byTopic = new LinkedHashMap<>();
        Map<UUID, String> topicIds = new HashMap<>();
        boolean idsKnown = true;
        for (ProducerBatch b : batches) {
            byTopic.computeIfAbsent(b.partition.topic(), t -> new ArrayList<>()).add(b);
        }
        for (String topic : byTopic.keySet()) {
            UUID id = cluster.topicId(topic);
            if (id == null) {
                idsKnown = false;
            } else {
                topicIds.put(id, topic);
            }
        }
        boolean byId = idsKnown;
        ClientRequest request = new ClientRequest(ApiKey.PRODUCE, ApiKey.PRODUCE.minVersion(),
            txn != null ? MAX_TRANSACTION_V1_PRODUCE_VERSION : byId ? ApiKey.PRODUCE.maxVersion() : (short) 12,
            version -> produceBody(byTopic, cluster, version), acks != 0);
        inFlightRequests.merge(node.id(), 1, Integer::sum);
        inFlightBatches += batches.size();
        batches.forEach(b -> accumulator.queue(b.partition).sentUnanswered++);
        network.send(node, request).whenComplete((response, error) -> {
            inFlightRequests.merge(node.id(), -1, Integer::sum);
            inFlightBatches -= batches.size();
            batches.forEach(b -> accumulator.queue(b.partition).sentUnanswered--);
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                for (ProducerBatch b : batches) {
                    failedAttempt(b, ErrorCode.NETWORK_EXCEPTION, cause, null);
                }
            } else if (acks == 0) {
                for (ProducerBatch b : batches) {
                    succeeded(b, -1, -1);
                }
            } else {
                handleProduceResponse(response, batches, topicIds);
            }
            run();
        });
    }

    private Struct produceBody(Map<String, List<ProducerBatch>> byTopic, Cluster cluster, short version) {
        Struct body = ProduceRequest.SCHEMA.newStruct()
            .set(ProduceRequest.ACKS, acks)
            .set(ProduceRequest.TIMEOUT_MS, requestTimeoutMs);
        if (txn != null) {
            // The broker checks a transactional batch against this id's transaction (KIP-890 verification).
            body.set(ProduceRequest.TRANSACTIONAL_ID, txn.transactionalId());
        }
        for (Map.Entry<String, List<ProducerBatch>> e : byTopic.entrySet()) {
            Struct topic = body.add(ProduceRequest.TOPIC_DATA);
            if (version >= 13) {
                topic.set(TopicProduceData.TOPIC_ID, cluster.topicId(e.getKey()));
            } else {
                topic.set(TopicProduceData.NAME, e.getKey());
            }
            for (ProducerBatch b : e.getValue()) {
                topic.add(TopicProduceData.PARTITION_DATA)
                    .set(PartitionProduceData.INDEX, b.partition.partition())
                    .set(PartitionProduceData.RECORDS, new BufferedRecords(b.buffer()));
            }
        }
        return body;
    }

    private void handleProduceResponse(ClientResponse response, List<ProducerBatch> batches, Map<UUID, String> topicIds) {
        Map<TopicPartition, ProducerBatch> pending = new HashMap<>();
        for (ProducerBatch b : batches) {
            pending.put(b.partition, b);
        }
        for (Struct topic : response.body().get(ProduceResponse.RESPONSES)) {
            String name = response.version() >= 13 ? topicIds.get(topic.get(TopicProduceResponse.TOPIC_ID))
                : topic.get(TopicProduceResponse.NAME);
            for (Struct p : topic.get(TopicProduceResponse.PARTITION_RESPONSES)) {
                ProducerBatch b = name == null ? null : pending.remove(new TopicPartition(name, p.get(PartitionProduceResponse.INDEX)));
                if (b == null) {
                    continue;
                }
                ErrorCode code = ErrorCode.forCode(p.get(PartitionProduceResponse.ERROR_CODE));
                if (code == ErrorCode.NONE) {
                    succeeded(b, p.get(PartitionProduceResponse.BASE_OFFSET), p.get(PartitionProduceResponse.LOG_APPEND_TIME_MS));
                } else if (code == ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
                    // Written before, and older than what the broker remembers offsets for.
                    succeeded(b, -1, -1);
                } else {
                    failedAttempt(b, code, null, p.get(PartitionProduceResponse.ERROR_MESSAGE));
                }
            }
        }
        for (ProducerBatch b : pending.values()) {
            failedAttempt(b, ErrorCode.UNKNOWN_SERVER_ERROR, null, "the broker's answer did not mention " + b.partition);
        }
    }

    private void succeeded(ProducerBatch b, long baseOffset, long logAppendTime) {
        PartitionQueue q = accumulator.queue(b.partition);
        if (idempotent && b.baseSequence >= 0) {
            q.removeInFlight(b);
            q.lastAckedSequence = Math.max(q.lastAckedSequence, b.lastSequence());
        }
        complete(b, baseOffset, logAppendTime, null);
    }

    /**
     * One attempt failed: retry it if the error allows and time and retries remain, else fail the batch.
     *
     * @param cause the exception for a failed request (network, timeout), or null for an error code
     */
    private void failedAttempt(ProducerBatch b, ErrorCode code, Throwable cause, String brokerMessage) {
        PartitionQueue q = accumulator.queue(b.partition);
        if (idempotent && b.baseSequence >= 0) {
            q.removeInFlight(b);
        }
        if (cause == null) {
            metadata.onPartitionError(b.partition, code);
        } else {
            metadata.requestUpdate();
        }
        if (cause == null && code == ErrorCode.MESSAGE_TOO_LARGE && b.recordCount() > 1 && fatal == null
            && System.nanoTime() - b.createdNanos < deliveryTimeoutNanos) {
            splitAndRequeue(q, b);
            return;
        }
        boolean retriable;
        if (cause != null) {
            retriable = cause instanceof RetriableException;
        } else if (code == ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && idempotent) {
            // Refused because an earlier sequence is not written yet (it failed and is being retried): try again.
            retriable = b.baseSequence != q.lastAckedSequence + 1;
            if (!retriable) {
                bumpNeeded = true;
            }
        } else if (code == ErrorCode.UNKNOWN_PRODUCER_ID && idempotent) {
            // In a transaction the batch fails and the abort bumps the epoch; outside one the bump comes first.
            retriable = txn == null;
            bumpNeeded = true;
        } else {
            retriable = code.isRetriable();
        }
        long now = System.nanoTime();
        boolean expired = now - b.createdNanos >= deliveryTimeoutNanos;
        if (b.ordered != null && cause == null && code == ErrorCode.NOT_LEADER_OR_FOLLOWER && !expired && fatal == null) {
            // Misrouted after a growth (or a leader change): nothing was written. Wait for the metadata, then re-route.
            b.attempts++;
            b.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(retryBackoff.delayMs(b.attempts));
            b.refusedWith = metadata.cluster();
            log.debug("{} refused as misrouted; re-routing it once the metadata shows the growth", b);
            q.requeue(b);
            return;
        }
        if (retriable && !expired && b.attempts < retries && fatal == null) {
            b.attempts++;
            retriedBatches++;
            b.retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(retryBackoff.delayMs(b.attempts));
            log.debug("Retrying {} (attempt {}) after {}", b, b.attempts, cause != null ? cause.getMessage() : code);
            q.requeue(b);
            return;
        }
        TributaryException error;
        String context = "Producing " + b;
        if (expired && retriable) {
            error = new TimeoutException("Expiring " + b + ": delivery.timeout.ms passed after " + (b.attempts + 1)
                + " attempts; last error: " + (cause != null ? cause.getMessage() : code), cause);
        } else if (cause instanceof TributaryException t) {
            error = t;
        } else if (cause != null) {
            error = new TributaryException(context + " failed: " + cause, cause);
        } else {
            error = ApiException.of(code, context, brokerMessage);
        }
        if (idempotent && b.baseSequence >= 0) {
            // Its sequence will never be written; later batches of the partition need new sequences.
            bumpNeeded = true;
        }
        complete(b, -1, -1, error);
    }

    /**
     * A batch of several records refused as larger than the topic's max.message.bytes: its records go back to the
     * front of the queue as smaller batches (of batch.size, or half the refused batch's records when that is not
     * smaller, so a batch too large for the topic is split again until it fits or holds one record). With
     * idempotence the pieces take the refused batch's sequences in order: the broker wrote none of them, and
     * the batches sent after it, answered OUT_OF_ORDER_SEQUENCE_NUMBER, are retried behind the pieces with their
     * own sequences unchanged.
     */
    private void splitAndRequeue(PartitionQueue q, ProducerBatch big) {
        List<ProducerBatch> pieces = big.split(accumulator.batchSize());
        if (big.baseSequence >= 0) {
            int sequence = big.baseSequence;
            for (ProducerBatch piece : pieces) {
                piece.stamp(producerId, epoch, sequence, txn != null);
                sequence += piece.recordCount();
            }
        }
        log.debug("Splitting {} refused as too large into {} batches", big, pieces.size());
        splitBatches += pieces.size();
        if (big.ordered != null) {
            pieces.forEach(p -> big.ordered.batchCreated(p.routingCount));
            big.ordered.batchFinished(big.routingCount);
        }
        accumulator.incomplete.addAll(pieces);
        CompletableFuture.allOf(pieces.stream().map(p -> p.done).toArray(CompletableFuture[]::new)).thenRun(() -> {
            accumulator.incomplete.remove(big);
            big.done.complete(null);
        });
        for (int i = pieces.size() - 1; i >= 0; i--) {
            q.requeue(pieces.get(i));
        }
    }

    /** Fails batches waiting longer than delivery.timeout.ms; returns when the next one would expire. */
    private long expire(long now) {
        long next = Long.MAX_VALUE;
        for (PartitionQueue q : accumulator.queues()) {
            List<ProducerBatch> expired = null;
            synchronized (q) {
                for (ProducerBatch b : q.batches) {
                    if (now - b.createdNanos >= deliveryTimeoutNanos) {
                        if (expired == null) {
                            expired = new ArrayList<>();
                        }
                        expired.add(b);
                    } else {
                        next = Math.min(next, b.createdNanos + deliveryTimeoutNanos);
                        break;   // batches are in creation order, except retries, which carry their own deadline
                    }
                }
                if (expired != null) {
                    q.batches.removeAll(expired);
                    for (ProducerBatch b : expired) {
                        b.sealed = true;
                    }
                }
            }
            if (expired != null) {
                for (ProducerBatch b : expired) {
                    if (idempotent && b.baseSequence >= 0) {
                        bumpNeeded = true;
                    }
                    Cluster cluster = metadata.cluster();
                    String why = cluster.leader(b.partition) == null ? "no leader known for " + b.partition
                        : "it could not be sent in time";
                    complete(b, -1, -1, new TimeoutException("Expiring " + b + ": " + TimeUnit.NANOSECONDS.toMillis(deliveryTimeoutNanos)
                        + " ms (delivery.timeout.ms) passed since it was created; " + why));
                }
            }
        }
        return next;
    }

    private void initProducerId() {
        initInFlight = true;
        Node node = network.leastLoadedNode(metadata.cluster().nodes());
        if (node == null) {
            node = metadata.cluster().nodes().iterator().next();
        }
        boolean bump = bumpNeeded && producerId >= 0;
        long currentId = producerId;
        short currentEpoch = epoch;
        Struct body = InitProducerIdRequest.SCHEMA.newStruct()
            .set(InitProducerIdRequest.TRANSACTIONAL_ID, null)
            .set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, transactionTimeoutMs);
        if (bump) {
            body.set(InitProducerIdRequest.PRODUCER_ID, currentId).set(InitProducerIdRequest.PRODUCER_EPOCH, currentEpoch);
        }
        ClientRequest request = new ClientRequest(ApiKey.INIT_PRODUCER_ID, bump ? (short) 3 : ApiKey.INIT_PRODUCER_ID.minVersion(),
            ApiKey.INIT_PRODUCER_ID.maxVersion(), v -> body, true);
        Node target = node;
        network.send(target, request).whenComplete((response, error) -> {
            initInFlight = false;
            if (error != null) {
                initFailures++;
                log.debug("InitProducerId to {} failed: {}", target, error.getMessage());
                network.schedule(retryBackoff.delayMs(initFailures), this::run);
                metadata.requestUpdate();
                return;
            }
            ErrorCode code = ErrorCode.forCode(response.body().get(InitProducerIdResponse.ERROR_CODE));
            if (code == ErrorCode.NONE) {
                initFailures = 0;
                producerId = response.body().get(InitProducerIdResponse.PRODUCER_ID);
                epoch = response.body().get(InitProducerIdResponse.PRODUCER_EPOCH);
                if (bumpNeeded) {
                    renumber();
                    bumpNeeded = false;
                }
                log.debug("Producer {} has id {} epoch {}", clientId, producerId, epoch);
                run();
            } else if (code.isRetriable()) {
                initFailures++;
                network.schedule(retryBackoff.delayMs(initFailures), this::run);
            } else if (bump) {
                // The broker refuses the bump (KIP-360 unsupported, or fenced): start over with a new producer id.
                producerId = -1;
                epoch = -1;
                run();
            } else {
                fatal = ApiException.of(code, "InitProducerId for producer " + clientId, null);
                run();
            }
        });
    }

    /** After an epoch bump: every partition starts again at sequence 0; queued retries get new numbers, in order. */
    private void renumber() {
        for (PartitionQueue q : accumulator.queues()) {
            q.nextSequence = 0;
            q.lastAckedSequence = -1;
            synchronized (q) {
                for (ProducerBatch b : q.batches) {
                    if (b.baseSequence < 0) {
                        break;
                    }
                    b.stamp(producerId, epoch, q.nextSequence, txn != null);
                    q.nextSequence += b.recordCount();
                }
            }
        }
    }

    private void failEverything(TributaryException error) {
        for (PartitionQueue q : accumulator.queues()) {
            List<ProducerBatch> all;
            synchronized (q) {
                all = new ArrayList<>(q.batches);
                q.batches.clear();
                all.forEach(b -> b.sealed = true);
            }
            for (ProducerBatch b : all) {
                complete(b, -1, -1, error);
            }
        }
    }

    /** Fails every batch still queued, for a close that ran out of time. */
    void abortQueued(TributaryException error) {
        failEverything(error);
    }

    /**
     * Completes the batch once: releases its memory, runs its records' callbacks here, on the I/O thread, in
     * record order, then hands the completion of their futures to the callback executor.
     *
     * <p>Design note: callbacks run on the I/O thread, as KafkaProducer's do, because handing them to another
     * thread put a thread wake-up between every answer and its callbacks: on a busy machine that wake-up waited
     * for a core, and it was the largest part of this producer's latency tail that Kafka's did not have
     * (ProducerCompare, fixed-rate runs). Futures still complete on the callback thread, so code chained to
     * them with thenApply and the like never runs on the I/O thread.
     */
    private void complete(ProducerBatch b, long baseOffset, long logAppendTime, TributaryException error) {
        if (b.completed) {
            return;
        }
        b.completed = true;
        accumulator.memory.release(b.takeReservation());
        if (error != null && txn != null) {
            txn.batchFailed(error);
        }
        if (b.ordered != null) {
            b.ordered.batchFinished(b.routingCount);
        }
        List<RecordFuture> futures = b.futures;
        RecordMetadata[] results = error == null ? new RecordMetadata[futures.size()] : null;
        for (int i = 0; i < futures.size(); i++) {
            RecordFuture f = futures.get(i);
            RecordMetadata metadata = null;
            if (results != null) {
                metadata = new RecordMetadata(b.partition, baseOffset < 0 ? -1 : baseOffset + i,
                    logAppendTime >= 0 ? logAppendTime : f.timestamp, f.keySize, f.valueSize);
                results[i] = metadata;
            }
            if (f.callback != null) {
                try {
                    f.callback.onCompletion(metadata, error);
                } catch (RuntimeException e) {
                    log.error("A producer callback for {} threw", b.partition, e);
                }
            }
        }
        callbacks.execute(() -> {
            for (int i = 0; i < futures.size(); i++) {
                if (results != null) {
                    futures.get(i).complete(results[i]);
                } else {
                    futures.get(i).completeExceptionally(error);
                }
            }
            accumulator.incomplete.remove(b);
            b.done.complete(null);
        });
    }
}
