package io.tributary.clients.consumer.fetch;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.NoOffsetForPartitionException;
import io.tributary.clients.consumer.state.OffsetResetStrategy;
import io.tributary.clients.consumer.state.SubscriptionState;
import io.tributary.clients.consumer.state.SubscriptionState.PartitionState;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.serialization.Deserializer;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchPartition;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.fetch.FetchResponse.AbortedTransaction;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatchReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps fetches flowing for the assigned partitions and turns their answers into records for {@code poll}.
 *
 * <h2>Pipelining</h2>
 * At most one Fetch is in flight per broker. A partition's next fetch starts where the data already received
 * for it ends, not where the application has consumed to, so a fetch is sent again as soon as an answer
 * arrives and {@code poll} returns (the application processes records while the next ones travel). At most
 * {@value #MAX_BUFFERED_PER_PARTITION} answers per partition wait unconsumed, which bounds memory at about
 * twice {@code fetch.max.bytes}.
 *
 * <h2>Staleness</h2>
 * Each fetch carries the partition's epoch from {@link SubscriptionState}; a seek, reset or reassignment bumps
 * it, and answers of an older epoch, or for partitions no longer assigned, are dropped unread.
 *
 * <p>Invariant: the answers queued for a partition cover, without gap, its position up to where its next fetch
 * starts. An answer is taken only if it starts there; an answer at the head of the queue that does not start
 * at the position drops the queue and sends the next fetch from the position.
 *
 * <h2>Threading</h2>
 * Everything here runs on the application thread except the response handler, which runs on the I/O thread
 * and only parses the response into {@link CompletedFetch}es for the {@link FetchBuffer}.
 *
 * <h2>Versions and sessions</h2>
 * Versions 4-12, the highest the broker also knows: they name topics, so no topic ids are needed, and Kafka
 * 4.0 removed only versions 0-3. The fetch is sessionless (KIP-227's full fetch each time): 33 bytes per
 * partition per request at v12, and no session state to lose on a broker restart. Incremental sessions pay
 * off with hundreds of partitions per broker; with the few partitions of {@code consumer-compare} (bench) this
 * consumer is at least as fast as Kafka's, which uses v17 with sessions, so they are left for when a
 * measurement with many partitions asks for them.
 */
public final class Fetcher<K, V> {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    static final int MAX_BUFFERED_PER_PARTITION = 2;
    /** A larger max.poll.records still works; the list then grows past this as records come. */
    private static final int MAX_PRESIZED_RECORDS = 4096;
    private static final int MIN_VERSION = 4;
    /** {@link FetchSettings#isolationLevel()} of read_committed. */
    private static final byte READ_COMMITTED = 1;
    private static final int MAX_VERSION = 12;

    private final NetworkClient network;
    private final Metadata metadata;
    private final SubscriptionState subscriptions;
    private final FetchSettings settings;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final RecordBatchReader reader;
    private final FetchBuffer buffer;
    private final long retryBackoffMs;

    /**
     * Brokers with a fetch in flight or answered but not yet taken by {@link #takeCompleted}. A broker leaves this
     * set only after its answers were taken (and the next fetch offsets moved past them); freeing it when the
     * answer arrived let a poll between the two send the same offsets again.
     */
    private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
    /** Brokers whose fetch was answered, queued by the I/O thread after the answers: freed by takeCompleted. */
    private final ConcurrentLinkedQueue<Integer> answered = new ConcurrentLinkedQueue<>();
    /** Brokers whose last fetch failed, until when (nanoTime) not to fetch from them. */
    private final Map<Integer, Long> backoffUntil = new ConcurrentHashMap<>();
    /** Answers taken from the buffer, per partition, in offset order; the first is being drained. */
    private final Map<TopicPartition, ArrayDeque<CompletedFetch>> pending = new LinkedHashMap<>();
    /** Where each partition's next fetch starts, valid for the partition epoch it was recorded at. */
    private final Map<TopicPartition, long[]> nextFetchOffset = new HashMap<>();

    public Fetcher(NetworkClient network, Metadata metadata, SubscriptionState subscriptions, FetchSettings settings,
                   Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer, FetchBuffer buffer,
                   long retryBackoffMs) {
        this.network = network;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.reader = RecordBatchReader.DEFAULT;
        this.buffer = buffer;
        this.retryBackoffMs = retryBackoffMs;
    }

    /**
     * One partition of a fetch request: where it starts, for which epoch of the partition, and whether that is
     * at the high watermark the last answer gave (nothing to read there yet).
     */
    private record Target(TopicPartition partition, long offset, int epoch, boolean caughtUp) {
    }

    /**
     * Sends a fetch to every broker that leads a fetchable partition and has none in flight.
     *
     * <p>A broker holds a fetch that finds no data for up to {@code fetch.max.wait.ms}, and it is the only fetch
     * to that broker meanwhile. So no fetch is sent that holds only caught-up partitions while another
     * partition of the same broker is held back by the buffer bound: it would wait at the broker, and the held
     * back partition, once drained, could not be fetched until the wait ends. Such partitions go together in
     * the next fetch, which the held-back partition's data answers at once.
     */
    public void sendFetches() {
        Cluster cluster = metadata.cluster();
        Map<Node, List<Target>> byNode = new LinkedHashMap<>();
        Set<Node> heldBack = null;
        long now = System.nanoTime();
        for (TopicPartition tp : subscriptions.fetchablePartitions()) {
            ArrayDeque<CompletedFetch> queued = pending.get(tp);
            Node leader = cluster.leader(tp);
            if (leader == null) {
                metadata.requestUpdate();
                continue;
            }
            if (queued != null && queued.size() >= MAX_BUFFERED_PER_PARTITION) {
                if (heldBack == null) {
                    heldBack = new HashSet<>();
                }
                heldBack.add(leader);
                continue;
            }
            if (inFlight.contains(leader.id())) {
                continue;
            }
            Long until = backoffUntil.get(leader.id());
            if (until != null && now - until < 0) {
                continue;
            }
            PartitionState state = subscriptions.state(tp);
            long[] next = nextFetchOffset.get(tp);
            long offset = next != null && next[0] == state.epoch() ? next[1] : state.position();
            boolean caughtUp = state.highWatermark() >= 0 && offset >= state.highWatermark();
            byNode.computeIfAbsent(leader, n -> new ArrayList<>()).add(new Target(tp, offset, state.epoch(), caughtUp));
        }
        for (Map.Entry<Node, List<Target>> e : byNode.entrySet()) {
            if (heldBack != null && heldBack.contains(e.getKey()) && e.getValue().stream().allMatch(Target::caughtUp)) {
                continue;
            }
            send(e.getKey(), e.getValue());
        }
    }

    private void send(Node node, List<Target> targets) {
        Struct request = FetchRequest.SCHEMA.newStruct()
            .set(FetchRequest.MAX_WAIT_MS, settings.maxWaitMs())
            .set(FetchRequest.MIN_BYTES, settings.minBytes())
            .set(FetchRequest.MAX_BYTES, settings.maxBytes())
            .set(FetchRequest.ISOLATION_LEVEL, settings.isolationLevel());
        Map<String, Struct> topics = new LinkedHashMap<>();
        for (Target target : targets) {
            Struct topic = topics.computeIfAbsent(target.partition().topic(),
                name -> request.add(FetchRequest.TOPICS).set(FetchTopic.TOPIC, name));
            topic.add(FetchTopic.PARTITIONS)
                .set(FetchPartition.PARTITION, target.partition().partition())
                .set(FetchPartition.FETCH_OFFSET, target.offset())
                .set(FetchPartition.PARTITION_MAX_BYTES, settings.partitionMaxBytes());
        }
        inFlight.add(node.id());
        network.send(node, ClientRequest.of(ApiKey.FETCH, request).withVersions(MIN_VERSION, MAX_VERSION))
            .whenComplete((response, error) -> {
                boolean answers = false;
                try {
                    if (error != null) {
                        log.debug("Fetch from {} failed: {}", node, error.toString());
                        backoffUntil.put(node.id(), System.nanoTime() + retryBackoffMs * 1_000_000L);
                        metadata.requestUpdate();
                    } else {
                        backoffUntil.remove(node.id());
                        answers = true;
                        handle(response, targets);
                    }
                } finally {
                    if (answers) {
                        answered.add(node.id()); // after the answers: takeCompleted frees the broker once it has them
                    } else {
                        inFlight.remove(node.id());
                    }
                    buffer.signal();
                }
            });
    }

    /** On the I/O thread: one CompletedFetch per partition asked for, in request order. */
    private void handle(ClientResponse response, List<Target> targets) {
        Struct body = response.body();
        ErrorCode topLevel = ErrorCode.forCode(body.get(FetchResponse.ERROR_CODE));
        Map<TopicPartition, Struct> answers = new HashMap<>();
        for (Struct topic : body.get(FetchResponse.RESPONSES)) {
            String name = topic.get(FetchableTopicResponse.TOPIC);
            for (Struct partition : topic.get(FetchableTopicResponse.PARTITIONS)) {
                answers.put(new TopicPartition(name, partition.get(PartitionData.PARTITION_INDEX)), partition);
            }
        }
        for (Target target : targets) {
            Struct data = answers.get(target.partition());
            if (data == null) {
                // A broker may leave a partition out (nothing new, or a top-level error); fetch it again later.
                continue;
            }
            ErrorCode error = topLevel != ErrorCode.NONE ? topLevel : ErrorCode.forCode(data.get(PartitionData.ERROR_CODE));
            ByteBuffer records = data.get(PartitionData.RECORDS);
            List<CompletedFetch.AbortedTransaction> aborted = null;
            if (settings.isolationLevel() == READ_COMMITTED) {
                aborted = new ArrayList<>();
                List<Struct> listed = data.get(PartitionData.ABORTED_TRANSACTIONS);
                if (listed != null) {
                    for (Struct a : listed) {
                        aborted.add(new CompletedFetch.AbortedTransaction(a.get(AbortedTransaction.PRODUCER_ID),
                            a.get(AbortedTransaction.FIRST_OFFSET)));
                    }
                }
            }
            buffer.add(new CompletedFetch(target.partition(), target.epoch(), target.offset(), error,
                data.get(PartitionData.HIGH_WATERMARK), data.get(PartitionData.LAST_STABLE_OFFSET),
                data.get(PartitionData.LOG_START_OFFSET), aborted, records, reader));
        }
    }

    /**
     * Up to {@code max} records from the answers received so far, advancing positions. Partitions take turns,
     * so one busy partition does not starve the others across polls.
     *
     * @throws io.tributary.clients.consumer.RecordDeserializationException for a corrupt record or a failing
     *     deserializer, after the records before it were returned
     * @throws NoOffsetForPartitionException when an offset is out of range and {@code auto.offset.reset=none}
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> collect(int max) {
        takeCompleted();
        // One list for the whole poll, presized, that each partition's records are a range of: no growing
        // copies per partition list. The per-partition views are made at the end, when the list stops changing.
        ArrayList<ConsumerRecord<K, V>> all = new ArrayList<>(Math.min(max, MAX_PRESIZED_RECORDS));
        Map<TopicPartition, int[]> ranges = new LinkedHashMap<>();
        int collected = 0;
        List<TopicPartition> drained = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, ArrayDeque<CompletedFetch>>> it = pending.entrySet().iterator();
             it.hasNext() && collected < max; ) {
            Map.Entry<TopicPartition, ArrayDeque<CompletedFetch>> entry = it.next();
            TopicPartition tp = entry.getKey();
            PartitionState state = subscriptions.stateOrNull(tp);
            ArrayDeque<CompletedFetch> queue = entry.getValue();
            if (state == null) {
                it.remove();
                continue;
            }
            if (state.isPaused()) {
                continue;
            }
            while (collected < max && !queue.isEmpty()) {
                CompletedFetch fetch = queue.peek();
                if (fetch.epoch() != state.epoch() || !state.hasPosition() || fetch.nextOffset() != state.position()) {
                    // Not where the application is: the next fetch must start from the position, not after this
                    // answer or the ones queued behind it (takeCompleted then drops answers still in flight).
                    queue.clear();
                    nextFetchOffset.remove(tp);
                    continue;
                }
                int from = all.size();
                try {
                    collected += fetch.drain(max - collected, keyDeserializer, valueDeserializer, all);
                } catch (RuntimeException e) {
                    if (all.isEmpty()) {
                        throw e;
                    }
                    // Return what was collected; the fetch keeps its failure and raises it on the next poll.
                    return byPartition(all, ranges);
                } finally {
                    state.advance(fetch.nextOffset(), fetch.lastLeaderEpoch());
                    if (all.size() > from) {
                        ranges.computeIfAbsent(tp, p -> new int[] {from, from})[1] = all.size();
                    }
                }
                if (fetch.isExhausted()) {
                    queue.poll();
                }
            }
            if (queue.isEmpty()) {
                it.remove();
            } else {
                drained.add(tp);
            }
        }
        // Partitions that still have records go to the back, so the others come first next time.
        for (TopicPartition tp : drained) {
            ArrayDeque<CompletedFetch> queue = pending.remove(tp);
            pending.put(tp, queue);
        }
        return byPartition(all, ranges);
    }

    /** Each partition's range of {@code all} as a view; a partition's records are contiguous in it. */
    private static <R> Map<TopicPartition, List<R>> byPartition(ArrayList<R> all, Map<TopicPartition, int[]> ranges) {
        Map<TopicPartition, List<R>> result = new LinkedHashMap<>();
        ranges.forEach((tp, range) -> result.put(tp, all.subList(range[0], range[1])));
        return result;
    }

    /** Moves answers from the I/O thread's buffer into the per-partition queues, applying their errors. */
    private void takeCompleted() {
        // Brokers first, then answers: a broker seen here had its answers queued before, so they are taken below.
        List<Integer> freed = new ArrayList<>(1);
        for (Integer node; (node = answered.poll()) != null; ) {
            freed.add(node);
        }
        try {
            takeAnswers();
        } finally {
            freed.forEach(inFlight::remove);
        }
    }

    private void takeAnswers() {
        CompletedFetch fetch;
        while ((fetch = buffer.poll()) != null) {
            TopicPartition tp = fetch.partition();
            PartitionState state = subscriptions.stateOrNull(tp);
            if (state == null || state.epoch() != fetch.epoch()) {
                continue;
            }
            switch (fetch.error()) {
                case NONE -> {
                    long[] next = nextFetchOffset.get(tp);
                    long expected = next != null && next[0] == state.epoch() ? next[1] : state.position();
                    if (fetch.fetchOffset() != expected) {
                        // Sent before collect dropped an answer and reset the next fetch to the position: its data
                        // does not follow what is buffered, and its end must not move the next fetch past the gap
                        // (that left a partition waiting for records no fetch would ask for again).
                        continue;
                    }
                    // read_committed can read no further than the last stable offset: that is its end (Kafka's
                    // consumer counts lag and "caught up" from it too).
                    state.updateOffsets(settings.isolationLevel() == READ_COMMITTED ? fetch.lastStableOffset()
                        : fetch.highWatermark(), fetch.logStartOffset());
                    long end = fetch.endOffset();
                    nextFetchOffset.put(tp, new long[] {state.epoch(), end});
                    if (end > fetch.fetchOffset()) {
                        pending.computeIfAbsent(tp, p -> new ArrayDeque<>()).add(fetch);
                    }
                }
                case OFFSET_OUT_OF_RANGE -> {
                    if (state.hasPosition() && state.position() == fetch.fetchOffset()) {
                        OffsetResetStrategy reset = subscriptions.defaultReset();
                        if (reset == OffsetResetStrategy.NONE) {
                            throw new NoOffsetForPartitionException(Set.of(tp));
                        }
                        log.info("Fetch offset {} is out of range for {}; resetting to {}", fetch.fetchOffset(), tp,
                            reset.configName());
                        state.requestReset(reset);
                    }
                }
                default -> {
                    log.debug("Fetch of {} at {} failed with {}; refreshing metadata", tp, fetch.fetchOffset(), fetch.error());
                    metadata.onPartitionError(tp, fetch.error());
                }
            }
        }
    }

    /** Whether records are waiting to be collected (for a paused partition they do not count). */
    public boolean hasCollectable() {
        for (Map.Entry<TopicPartition, ArrayDeque<CompletedFetch>> e : pending.entrySet()) {
            PartitionState state = subscriptions.stateOrNull(e.getKey());
            if (state != null && !state.isPaused() && !e.getValue().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Drops what was fetched for partitions no longer assigned, or for all when the assignment is gone. */
    public void forgetUnassigned() {
        pending.keySet().removeIf(tp -> !subscriptions.isAssigned(tp));
        nextFetchOffset.keySet().removeIf(tp -> !subscriptions.isAssigned(tp));
    }
}
