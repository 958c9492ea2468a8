package io.tributary.clients.producer;

import io.tributary.clients.Headers;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.RecordTooLargeException;
import io.tributary.clients.errors.SerializationException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.routing.TopicRoutingLookup;
import io.tributary.clients.serialization.Serializer;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.routing.RoutingMode;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tributary's producer: sends records to a Kafka-protocol cluster in batches, idempotently by default.
 * <pre>{@code
 * Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:9092", "linger.ms", 5, "compression.type", "lz4");
 * try (var producer = new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
 *     producer.send(new ProducerRecord<>("orders", "order-1", "created"))
 *             .thenAccept(md -> System.out.println("at offset " + md.offset()));
 *     producer.send(new ProducerRecord<>("orders", "order-2", "created"), (md, error) -> { ... });
 *     producer.flush();
 * }
 * }</pre>
 *
 * <h2>What send does</h2>
 * On the calling thread: waits for the topic's metadata if needed (up to {@code max.block.ms}), serializes
 * key and value, chooses the partition (the record's own, a custom {@link Partitioner}, or Kafka's
 * murmur2/sticky placement), checks the size against {@code max.request.size} and {@code buffer.memory}
 * (failing at once with {@link RecordTooLargeException}), and appends to the partition's open batch, waiting
 * for buffer memory if it is used up (up to what is left of {@code max.block.ms}, then
 * {@link TimeoutException}). It returns at once after that; batches are sent when full or after
 * {@code linger.ms}, retried within {@code delivery.timeout.ms}, and completed in order per partition.
 *
 * <h2>Ordered topics</h2>
 * The first send to a topic asks a broker for its {@code routing.mode} (DescribeConfigs, within
 * {@code max.block.ms}; kept for the topic's life). A keyed record of an ordered topic that names no partition goes
 * to {@code RoutingMode.ORDERED.partition(key, count)}, whatever {@code partitioner.class} or
 * {@code partitioner.ignore.keys} say (the broker refuses anything else); keyless ones are placed as usual. When
 * the topic grows, records the broker refuses as routed with the old count are re-routed to their keys' new
 * partitions, and a key's later records are not sent before them, so each key's records are written in the order
 * they were sent (docs/ROUTING.md). A record sent to a partition the application chose is never moved.
 *
 * <h2>Transactions</h2>
 * With {@code transactional.id} set the producer is transactional, with KafkaProducer's methods and rules:
 * <pre>{@code
 * producer.initTransactions();
 * producer.beginTransaction();
 * producer.send(new ProducerRecord<>("out", key, value));
 * producer.sendOffsetsToTransaction(consumedOffsets, consumer.groupMetadata());
 * producer.commitTransaction();      // or abortTransaction()
 * }</pre>
 * Records are sent only inside a transaction. A record that fails makes the transaction abortable: commit then
 * throws and only {@code abortTransaction} is allowed. {@link io.tributary.clients.errors.ProducerFencedException}
 * (a newer producer with the same id started) is fatal: close the producer. The client speaks transaction protocol
 * version 1 ({@link TransactionManager}).
 *
 * <h2>Threads</h2>
 * {@code send}, {@code flush} and {@code close} may be called from any thread. Network work runs on one I/O
 * thread. {@link Callback}s run on that I/O thread, as KafkaProducer's do, in send order per partition: keep
 * them short (hand slow work to an executor of your own), since sending waits while they run. The returned
 * futures complete afterwards on one callback thread per producer, in the same order, so code chained to them
 * never runs on the I/O thread. From a callback or a future's continuation, {@code flush} would wait for
 * itself (it throws instead) and {@code close} does not wait; a {@code send} from a callback cannot wait for
 * metadata or buffer memory (only the I/O thread could provide them), so there it fails at once where it
 * would otherwise block.
 */
public final class TributaryProducer<K, V> implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TributaryProducer.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String clientId;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final BuiltInPartitioner builtIn;
    private final TopicModes topicModes;
    private final NetworkClient network;
    private final Metadata metadata;
    private final RecordAccumulator accumulator;
    private final Sender sender;
    private final ExecutorService callbacks;
    private final Thread callbackThread;
    private final long maxBlockMs;
    private final int maxRequestSize;
    private final long bufferMemory;
    private final boolean idempotent;
    /** A transactional producer's transaction state, else null. */
    private final TransactionManager transactions;
    private volatile boolean closed;

    /** Serializers from key.serializer / value.serializer. */
    public TributaryProducer(Map<String, ?> configs) {
        this(configs, null, null);
    }

    public TributaryProducer(Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(toMap(properties), keySerializer, valueSerializer);
    }

    /**
     * @throws ConfigException for an invalid value, naming the key, the value and what is allowed
     */
    public TributaryProducer(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        ClientConfig config = ProducerConfig.parse(configs);
        String id = config.get(CommonClientConfigs.CLIENT_ID);
        this.clientId = id.isEmpty() ? "producer-" + IDS.incrementAndGet() : id;
        this.keySerializer = keySerializer != null ? keySerializer : instantiate(config, ProducerConfig.KEY_SERIALIZER, configs, true);
        this.valueSerializer = valueSerializer != null ? valueSerializer : instantiate(config, ProducerConfig.VALUE_SERIALIZER, configs, false);
        Class<? extends Partitioner> partitionerClass = config.get(ProducerConfig.PARTITIONER_CLASS);
        this.partitioner = partitionerClass == null ? null : newInstance(partitionerClass, ProducerConfig.PARTITIONER_CLASS.name());
        if (partitioner != null) {
            partitioner.configure(configs);
        }
        int batchSize = config.get(ProducerConfig.BATCH_SIZE);
        this.builtIn = new BuiltInPartitioner(batchSize, config.get(ProducerConfig.PARTITIONER_IGNORE_KEYS));
        this.maxBlockMs = config.get(ProducerConfig.MAX_BLOCK_MS);
        this.maxRequestSize = config.get(ProducerConfig.MAX_REQUEST_SIZE);
        this.bufferMemory = config.get(ProducerConfig.BUFFER_MEMORY);
        this.idempotent = ProducerConfig.idempotence(config);

        this.network = new NetworkClient(config, clientId);
        this.metadata = new Metadata(network, config, true);
        this.topicModes = new TopicModes(new TopicRoutingLookup(network, metadata), metadata,
            config.get(CommonClientConfigs.RETRY_BACKOFF_MS));
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tributary-producer-callbacks-" + clientId);
            t.setDaemon(true);
            return t;
        });
        this.callbacks = executor;
        Thread[] holder = new Thread[1];
        try {
            executor.submit(() -> holder[0] = Thread.currentThread()).get();
        } catch (Exception e) {
            throw new TributaryException("Cannot start the callback thread of " + clientId, e);
        }
        this.callbackThread = holder[0];
        MemoryBudget memory = new MemoryBudget(bufferMemory);
        Sender[] senderRef = new Sender[1];
        this.accumulator = new RecordAccumulator(batchSize, ProducerConfig.compression(config), memory, () -> senderRef[0].wakeup());
        String transactionalId = config.get(ProducerConfig.TRANSACTIONAL_ID);
        SenderConfig senderConfig = SenderConfig.from(config, clientId, idempotent);
        this.transactions = transactionalId == null ? null : new TransactionManager(transactionalId,
            config.get(ProducerConfig.TRANSACTION_TIMEOUT_MS), clientId, network, metadata, senderConfig.retryBackoff(),
            callbacks, maxBlockMs);
        this.sender = new Sender(network, metadata, accumulator, callbacks, senderConfig, transactions);
        if (transactions != null) {
            transactions.setSender(sender);
        }
        senderRef[0] = sender;
        metadata.requestUpdate();
    }

    private static Map<String, Object> toMap(Properties properties) {
        Map<String, Object> map = new java.util.HashMap<>();
        properties.forEach((k, v) -> map.put(String.valueOf(k), v));
        return map;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serializer<T> instantiate(ClientConfig config, io.tributary.config.ConfigKey<Class<? extends Serializer>> key,
                                                Map<String, ?> configs, boolean isKey) {
        Class<? extends Serializer> type = config.get(key);
        if (type == null) {
            throw new ConfigException(key.name(), "Missing required configuration " + key.name()
                + " (no serializer was passed to the constructor): " + key.allowed());
        }
        Serializer<T> serializer = newInstance(type, key.name());
        serializer.configure(configs, isKey);
        return serializer;
    }

    private static <T> T newInstance(Class<? extends T> type, String key) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new ConfigException(key, type.getName(), "a class with a public no-argument constructor");
        }
    }

    /** Sends the record; the future completes (on the callback thread) when it is written or has failed. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * Sends the record; {@code callback} (may be null) runs on the callback thread before the returned future
     * completes.
     *
     * @throws RecordTooLargeException at once, for a record larger than max.request.size or buffer.memory
     * @throws TimeoutException        when the topic's metadata or buffer memory is not available within max.block.ms
     *                                 (at once, from a callback)
     * @throws SerializationException  when a serializer fails
     * @throws IllegalStateException   after close
     * @throws InterruptException      if interrupted while blocked
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        if (closed) {
            throw new IllegalStateException("Cannot send after the producer " + clientId + " is closed");
        }
        TributaryException fatal = sender.fatalError();
        if (fatal != null) {
            throw new TributaryException("The producer " + clientId + " cannot send: " + fatal.getMessage(), fatal);
        }
        if (transactions != null) {
            transactions.checkSend();
        }
        long start = System.nanoTime();
        // A callback runs on the I/O thread, the only one that can bring metadata or free buffer memory: there
        // send must not wait for either.
        boolean fromIoThread = network.inIoThread();
        long deadline = fromIoThread ? start
            : start + TimeUnit.MILLISECONDS.toNanos(Math.min(maxBlockMs, TimeUnit.DAYS.toMillis(365)));
        String topic = record.topic();
        Cluster cluster = metadata.cluster();
        int partitions = cluster.partitionCount(topic);
        if (partitions < 0 || (record.partition() != null && record.partition() >= partitions)) {
            if (fromIoThread) {
                metadata.addTopics(List.of(topic));
                throw new TimeoutException("Partition " + (record.partition() == null ? "metadata" : record.partition())
                    + " of topic " + topic + " is not known yet, and a send from a producer callback cannot wait for it "
                    + "(callbacks run on the I/O thread that fetches it)");
            }
            cluster = awaitPartitions(record, deadline);
            partitions = cluster.partitionCount(topic);
        }
        Headers headers = record.headers();
        byte[] keyBytes = serialize(keySerializer, topic, headers, record.key(), "key");
        byte[] valueBytes = serialize(valueSerializer, topic, headers, record.value(), "value");
        headers.freeze();
        List<Header> headerList = headers.isEmpty() ? List.of() : headers.asList();
        int size = RecordAccumulator.estimateSize(keyBytes, valueBytes, headerList);
        if (size > maxRequestSize) {
            throw new RecordTooLargeException("The record is " + size + " bytes when serialized, which is larger than "
                + "max.request.size (" + maxRequestSize + ")");
        }
        if (size > bufferMemory) {
            throw new RecordTooLargeException("The record is " + size + " bytes when serialized, which is larger than "
                + "buffer.memory (" + bufferMemory + ")");
        }
        OrderedTopic ordered = record.partition() == null ? topicModes.orderedOrNull(topic, cluster, deadline) : null;
        int partition;
        int routingCount = 0;
        if (ordered != null) {
            routingCount = partitions;
            partition = keyBytes != null ? RoutingMode.ORDERED.partition(keyBytes, partitions)
                : builtIn.partition(topic, null, size, cluster);
        } else {
            partition = choosePartition(record, keyBytes, valueBytes, size, cluster, partitions);
        }
        long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        if (transactions != null) {
            transactions.maybeAddPartition(new io.tributary.protocol.TopicPartition(topic, partition));
        }
        try {
            return accumulator.append(topic, partition, timestamp, keyBytes, valueBytes, headerList, size, callback, deadline,
                maxBlockMs, ordered, routingCount);
        } catch (TimeoutException e) {
            if (fromIoThread) {
                throw new TimeoutException(e.getMessage() + "; a send from a producer callback cannot wait for memory "
                    + "(callbacks run on the I/O thread that frees it)", e);
            }
            throw e;
        }
    }

    private Cluster awaitPartitions(ProducerRecord<K, V> record, long deadline) {
        String topic = record.topic();
        Cluster cluster = metadata.awaitTopic(topic, deadline, maxBlockMs);
        Integer partition = record.partition();
        while (partition != null && partition >= cluster.partitionCount(topic)) {
            // Perhaps the topic just grew and we have old metadata; else the partition does not exist.
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("Partition " + partition + " of topic " + topic + " not present in metadata after "
                    + maxBlockMs + " ms (the topic has " + cluster.partitionCount(topic) + " partitions)");
            }
            try {
                metadata.requestUpdate().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ignored) {
                // the deadline check above reports it
            } catch (InterruptedException e) {
                throw new InterruptException("Interrupted while waiting for metadata of " + topic, e);
            }
            cluster = metadata.cluster();
        }
        return cluster;
    }

    private static <T> byte[] serialize(Serializer<T> serializer, String topic, Headers headers, T data, String what) {
        try {
            return serializer.serialize(topic, headers, data);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot serialize the " + what + " of a record for topic " + topic + " with "
                + serializer.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private int choosePartition(ProducerRecord<K, V> record, byte[] keyBytes, byte[] valueBytes, int size, Cluster cluster,
                                int partitions) {
        if (record.partition() != null) {
            return record.partition();
        }
        if (partitioner != null) {
            int p = partitioner.partition(record, keyBytes, valueBytes, cluster);
            if (p != Partitioner.USE_BUILT_IN) {
                if (p < 0 || p >= partitions) {
                    throw new IllegalArgumentException("Partitioner " + partitioner.getClass().getName() + " chose partition " + p
                        + " of topic " + record.topic() + ", which has partitions 0-" + (partitions - 1));
                }
                return p;
            }
        }
        return builtIn.partition(record.topic(), keyBytes, size, cluster);
    }

    /**
     * Sends every record sent before this call at once (ignoring linger.ms) and waits until each has succeeded
     * or failed and its callback has run.
     */
    public void flush() {
        if (inCallback()) {
            throw new IllegalStateException("flush() from a producer callback would wait for itself");
        }
        accumulator.flushesInProgress.incrementAndGet();
        try {
            sender.wakeup();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (ProducerBatch b : accumulator.incomplete) {
                waits.add(b.done);
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
        } finally {
            accumulator.flushesInProgress.decrementAndGet();
        }
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Registers {@code transactional.id} with the transaction coordinator (InitProducerId): fences any earlier
     * producer with the same id, and completes or aborts the transaction it left open. Call once, before any other
     * transactional method; blocks up to {@code max.block.ms}. After a {@link TimeoutException}, call it again to
     * wait for the same outcome.
     *
     * @throws IllegalStateException        without a transactional.id, or when called twice
     * @throws io.tributary.clients.errors.InvalidTxnTimeoutException when transaction.timeout.ms is above the broker's
     *                                      transaction.max.timeout.ms
     * @throws io.tributary.clients.errors.ProducerFencedException when a newer producer took the id meanwhile
     * @throws TimeoutException             after max.block.ms
     */
    public void initTransactions() {
        requireTransactions("initTransactions").initTransactions();
    }

    /**
     * Starts a transaction (locally: the coordinator hears of it with its first partition or offsets).
     *
     * @throws IllegalStateException before initTransactions, or while a transaction is in progress
     * @throws io.tributary.clients.errors.ProducerFencedException after this producer was fenced (close it)
     */
    public void beginTransaction() {
        requireTransactions("beginTransaction").beginTransaction();
    }

    /**
     * Adds consumed offsets to the transaction: they become the group's committed offsets if and when the transaction
     * commits (AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator, checked against the consumer's
     * generation). Blocks until the group coordinator has them, up to {@code max.block.ms}.
     *
     * @param offsets       per partition, the offset of the next record to consume
     * @param groupMetadata the consumer's {@code groupMetadata()}
     * @throws IllegalStateException outside a transaction
     * @throws io.tributary.clients.consumer.CommitFailedException when a rebalance fenced the consumer's generation
     *                               (the transaction must then be aborted)
     */
    public void sendOffsetsToTransaction(Map<io.tributary.protocol.TopicPartition, io.tributary.clients.consumer.OffsetAndMetadata> offsets,
                                         io.tributary.clients.consumer.ConsumerGroupMetadata groupMetadata) {
        requireTransactions("sendOffsetsToTransaction").sendOffsetsToTransaction(offsets, groupMetadata);
    }

    /**
     * Sends every record of the transaction, waits for all of them, and commits (EndTxn): its records become visible
     * to read_committed consumers, its offsets the group's. Blocks up to {@code max.block.ms}; after a
     * {@link TimeoutException}, call it again to wait for the same outcome.
     *
     * @throws IllegalStateException outside a transaction
     * @throws TributaryException    when a record or the offsets of the transaction failed: the transaction must be
     *                               aborted ({@link #abortTransaction}); the cause is the first failure
     * @throws io.tributary.clients.errors.ProducerFencedException when a newer producer took the transactional.id
     *                               (nothing of this transaction becomes visible; close the producer)
     */
    public void commitTransaction() {
        requireTransactions("commitTransaction").commitTransaction();
    }

    /**
     * Aborts the transaction: records not yet sent fail with
     * {@link io.tributary.clients.errors.TransactionAbortedException}, the rest are never shown to read_committed
     * consumers, and its offsets are dropped. The only call allowed after a transaction became abortable.
     *
     * @throws IllegalStateException outside a transaction
     * @throws io.tributary.clients.errors.ProducerFencedException when a newer producer took the transactional.id
     */
    public void abortTransaction() {
        requireTransactions("abortTransaction").abortTransaction();
    }

    private TransactionManager requireTransactions(String operation) {
        if (transactions == null) {
            throw new IllegalStateException("Cannot call " + operation + " on the producer " + clientId
                + ": transactional.id is not set");
        }
        if (closed) {
            throw new IllegalStateException("Cannot call " + operation + " after the producer " + clientId + " is closed");
        }
        return transactions;
    }

    /** Whether the calling thread runs this producer's callbacks (the I/O thread) or its futures' continuations. */
    private boolean inCallback() {
        return network.inIoThread() || Thread.currentThread() == callbackThread;
    }

    /** The producer's client id (given, or generated as producer-N). */
    public String clientId() {
        return clientId;
    }

    /** Whether idempotence is on (it is by default, unless acks, retries or in-flight settings rule it out). */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** Batches sent again after a failed attempt since the producer started (for tests and diagnostics). */
    long retriedBatches() {
        return sender.retriedBatches();
    }

    /** Batches made by splitting batches the broker refused as too large (for tests and diagnostics). */
    long splitBatches() {
        return sender.splitBatches();
    }

    /** The cluster as this producer last saw it. */
    public Cluster cluster() {
        return metadata.cluster();
    }

    /** Closes, waiting without limit for records already sent to complete. */
    @Override
    public void close() {
        close(Duration.ofDays(365));
    }

    /**
     * Stops accepting records, sends what is buffered and waits up to {@code timeout} for it to complete; records
     * still incomplete then fail with a TributaryException saying the producer was closed. From a callback, the
     * wait is skipped (as with a zero timeout).
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        accumulator.closed = true;
        long deadline = System.nanoTime() + (timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos());
        boolean fromCallback = inCallback();
        // As KafkaProducer: an open transaction is aborted rather than left for the coordinator's timeout.
        CompletableFuture<Void> abort = null;
        if (transactions != null) {
            try {
                abort = transactions.abortIfOpen();
            } catch (RuntimeException e) {
                log.debug("Not aborting the transaction of {} on close: {}", clientId, e.getMessage());
            }
        }
        sender.forceReady = true;
        sender.wakeup();
        if (abort != null && !fromCallback) {
            try {
                abort.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // the coordinator aborts it after transaction.timeout.ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!fromCallback) {
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (ProducerBatch b : accumulator.incomplete) {
                waits.add(b.done);
            }
            try {
                CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // what is left is failed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TributaryException closedError = new TributaryException("The producer " + clientId + " was closed before the record was sent");
        CompletableFuture<Void> aborted = new CompletableFuture<>();
        try {
            network.execute(() -> {
                sender.abortQueued(closedError);
                aborted.complete(null);
            });
            if (!fromCallback) {
                aborted.get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the network client is gone; nothing is left to abort on it
        }
        metadata.close();
        network.close();
        callbacks.shutdown();
        if (!fromCallback) {
            try {
                callbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Batches in flight when the network closed never got an answer: fail their records too.
        for (ProducerBatch b : accumulator.incomplete) {
            for (RecordFuture f : b.futures) {
                f.completeExceptionally(closedError);
            }
        }
        if (partitioner != null) {
            partitioner.close();
        }
        keySerializer.close();
        valueSerializer.close();
    }
}
