package io.tributary.clients.producer;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.config.ConfigDefinition;
import io.tributary.clients.config.ConfigException;
import io.tributary.config.ConfigKey;
import io.tributary.clients.serialization.Serializer;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.compression.Compression;

/**
 * The producer's keys, on top of {@link CommonClientConfigs}: Kafka's names, meanings and (Kafka 4) defaults.
 * {@link #parse} also applies Kafka's cross-key rules: idempotence needs acks=all, retries and at most 5
 * requests in flight; if the user set idempotence explicitly, a conflict is an error, otherwise idempotence
 * is quietly turned off (Kafka 3.2+), unless transactional.id is set (a transactional producer must be
 * idempotent). And delivery.timeout.ms must cover linger.ms + request.timeout.ms.
 */
public final class ProducerConfig {
    private ProducerConfig() {
    }

    public static final ConfigKey<String> ACKS = ConfigKey.choiceKey("acks", "all", "-1", "0", "1").defaultValue("all")
        .documentation("How many acknowledgements a write needs: 0 (none, fire and forget), 1 (the leader's), all/-1 (every in-sync replica's).").build();
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batch.size").defaultValue(16_384).inRange(0, Integer.MAX_VALUE)
        .documentation("Bytes of (uncompressed) records per partition batch; a full batch is sent without waiting for linger.ms. "
            + "Keyless records stick to one partition until it has received this many bytes.").build();
    public static final ConfigKey<Long> LINGER_MS = ConfigKey.longKey("linger.ms").defaultValue(5L).inRange(0, Long.MAX_VALUE)
        .documentation("How long a batch that is not full waits for more records before it is sent.").build();
    public static final ConfigKey<Long> BUFFER_MEMORY = ConfigKey.longKey("buffer.memory").defaultValue(33_554_432L).inRange(0, Long.MAX_VALUE)
        .documentation("Bytes of records waiting to be sent or acknowledged; send blocks (up to max.block.ms) while it is used up.").build();
    public static final ConfigKey<String> COMPRESSION_TYPE = ConfigKey.choiceKey("compression.type", "none", "gzip", "snappy", "lz4", "zstd").defaultValue("none")
        .documentation("Codec for batches.").build();
    public static final ConfigKey<Integer> COMPRESSION_GZIP_LEVEL = ConfigKey.intKey("compression.gzip.level").defaultValue(Compression.GZIP_DEFAULT_LEVEL).inRange(-1, Compression.GZIP_MAX_LEVEL)
        .documentation("gzip level: 1-9, or -1 for zlib's default (6).").build();
    public static final ConfigKey<Integer> COMPRESSION_LZ4_LEVEL = ConfigKey.intKey("compression.lz4.level").defaultValue(Compression.LZ4_DEFAULT_LEVEL).inRange(Compression.LZ4_MIN_LEVEL, Compression.LZ4_MAX_LEVEL)
        .documentation("lz4 level.").build();
    public static final ConfigKey<Integer> COMPRESSION_ZSTD_LEVEL = ConfigKey.intKey("compression.zstd.level").defaultValue(Compression.ZSTD_DEFAULT_LEVEL).inRange(Compression.ZSTD_MIN_LEVEL, Compression.ZSTD_MAX_LEVEL)
        .documentation("zstd level.").build();
    public static final ConfigKey<Long> MAX_BLOCK_MS = ConfigKey.longKey("max.block.ms").defaultValue(60_000L).inRange(0, Long.MAX_VALUE)
        .documentation("How long send may block waiting for metadata or buffer memory before it throws a TimeoutException.").build();
    public static final ConfigKey<Integer> MAX_REQUEST_SIZE = ConfigKey.intKey("max.request.size").defaultValue(1_048_576).inRange(0, Integer.MAX_VALUE)
        .documentation("The largest produce request; a single record larger than this is refused at once (RecordTooLargeException).").build();
    public static final ConfigKey<Integer> DELIVERY_TIMEOUT_MS = ConfigKey.intKey("delivery.timeout.ms").defaultValue(120_000).inRange(0, Integer.MAX_VALUE)
        .documentation("Upper bound on the time from send to success or failure, retries included.").build();
    public static final ConfigKey<Integer> RETRIES = ConfigKey.intKey("retries").defaultValue(Integer.MAX_VALUE).inRange(0, Integer.MAX_VALUE)
        .documentation("How many times a batch that failed with a retriable error is sent again (within delivery.timeout.ms).").build();
    public static final ConfigKey<Boolean> ENABLE_IDEMPOTENCE = ConfigKey.booleanKey("enable.idempotence").defaultValue(true)
        .documentation("Write every record exactly once and in order per partition despite retries (producer id and sequence numbers).").build();
    public static final ConfigKey<Integer> TRANSACTION_TIMEOUT_MS = ConfigKey.intKey("transaction.timeout.ms").defaultValue(60_000).inRange(1, Integer.MAX_VALUE)
        .documentation("How long the transaction coordinator lets a transaction stay open before it aborts it (sent with "
            + "InitProducerId; above the broker's transaction.max.timeout.ms, initTransactions fails).").build();
    public static final ConfigKey<String> TRANSACTIONAL_ID = ConfigKey.stringKey("transactional.id")
        .documentation("Makes the producer transactional (initTransactions, beginTransaction, commitTransaction, "
            + "abortTransaction): the id names the producer across restarts, so a new producer with the same id fences "
            + "the old one. Needs idempotence.").build();
    public static final ConfigKey<Class<? extends Partitioner>> PARTITIONER_CLASS = ConfigKey.classKey("partitioner.class", Partitioner.class)
        .documentation("A custom Partitioner (public no-argument constructor); unset uses the built-in one (Kafka's: "
            + "murmur2 of the key bytes, sticky batching for keyless records).").build();
    public static final ConfigKey<Boolean> PARTITIONER_IGNORE_KEYS = ConfigKey.booleanKey("partitioner.ignore.keys").defaultValue(false)
        .documentation("The built-in partitioner places keyed records like keyless ones (sticky), ignoring the key.").build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Serializer>> KEY_SERIALIZER = (ConfigKey) ConfigKey.classKey("key.serializer", Serializer.class)
        .documentation("Serializer class for keys, unless one is passed to the constructor.").build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Serializer>> VALUE_SERIALIZER = (ConfigKey) ConfigKey.classKey("value.serializer", Serializer.class)
        .documentation("Serializer class for values, unless one is passed to the constructor.").build();

    /** Common keys (with the producer's receive buffer default, as Kafka's) plus the producer's. */
    public static final ConfigDefinition DEFINITION = CommonClientConfigs.definition().with(
        CommonClientConfigs.RECEIVE_BUFFER_BYTES.withDefault(32_768),
        ACKS, BATCH_SIZE, LINGER_MS, BUFFER_MEMORY, COMPRESSION_TYPE, COMPRESSION_GZIP_LEVEL, COMPRESSION_LZ4_LEVEL,
        COMPRESSION_ZSTD_LEVEL, MAX_BLOCK_MS, MAX_REQUEST_SIZE, DELIVERY_TIMEOUT_MS, RETRIES, ENABLE_IDEMPOTENCE,
        TRANSACTION_TIMEOUT_MS, TRANSACTIONAL_ID, PARTITIONER_CLASS, PARTITIONER_IGNORE_KEYS, KEY_SERIALIZER,
        VALUE_SERIALIZER);

    /** Parses and applies the cross-key rules (see the class comment). */
    public static ClientConfig parse(java.util.Map<String, ?> values) {
        ClientConfig config = ClientConfig.parse(DEFINITION, values);
        String transactionalId = config.get(TRANSACTIONAL_ID);
        if (transactionalId != null && transactionalId.isEmpty()) {
            throw new ConfigException(TRANSACTIONAL_ID.name(), transactionalId, "unset, or a non-empty id");
        }
        long linger = config.get(LINGER_MS);
        long request = config.get(CommonClientConfigs.REQUEST_TIMEOUT_MS);
        int delivery = config.get(DELIVERY_TIMEOUT_MS);
        if (delivery < linger + request) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS.name(), delivery, "at least linger.ms + request.timeout.ms = "
                + (linger + request) + " (Kafka's rule: a batch must be able to wait for its linger and one request)");
        }
        return config;
    }

    /** Whether idempotence is on after the cross-key rules; throws when it was asked for and cannot be. */
    static boolean idempotence(ClientConfig config) {
        boolean asked = config.get(ENABLE_IDEMPOTENCE);
        boolean transactional = config.get(TRANSACTIONAL_ID) != null;
        if (!asked) {
            if (transactional) {
                throw new ConfigException(ENABLE_IDEMPOTENCE.name(), "enable.idempotence=false conflicts with "
                    + TRANSACTIONAL_ID.name() + "=" + config.get(TRANSACTIONAL_ID) + " (a transactional producer is idempotent)");
            }
            return false;
        }
        String conflict = null;
        if (!config.get(ACKS).equals("all") && !config.get(ACKS).equals("-1")) {
            conflict = ACKS.name() + "=" + config.get(ACKS) + " (idempotence needs acks=all)";
        } else if (config.get(RETRIES) == 0) {
            conflict = RETRIES.name() + "=0 (idempotence needs retries > 0)";
        } else if (config.get(CommonClientConfigs.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) > 5) {
            conflict = CommonClientConfigs.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION.name() + "="
                + config.get(CommonClientConfigs.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)
                + " (idempotence needs at most 5: brokers remember a producer's last 5 batches per partition)";
        }
        if (conflict == null) {
            return true;
        }
        if (transactional) {
            throw new ConfigException(TRANSACTIONAL_ID.name(), "transactional.id=" + config.get(TRANSACTIONAL_ID)
                + " needs idempotence, which conflicts with " + conflict);
        }
        if (config.isSet(ENABLE_IDEMPOTENCE)) {
            throw new ConfigException(ENABLE_IDEMPOTENCE.name(), "enable.idempotence=true conflicts with " + conflict);
        }
        return false;
    }

    /** The codec and level the configuration asks for. */
    static Compression compression(ClientConfig config) {
        CompressionType type = CompressionType.forName(config.get(COMPRESSION_TYPE));
        return switch (type) {
            case NONE -> Compression.none();
            case SNAPPY -> Compression.snappy();
            case GZIP -> Compression.gzip(config.get(COMPRESSION_GZIP_LEVEL));
            case LZ4 -> Compression.lz4(config.get(COMPRESSION_LZ4_LEVEL));
            case ZSTD -> Compression.zstd(config.get(COMPRESSION_ZSTD_LEVEL));
        };
    }

    /** acks as the wire's int16: -1, 0 or 1. */
    static short acks(ClientConfig config) {
        String acks = config.get(ACKS);
        return (short) (acks.equals("all") ? -1 : Integer.parseInt(acks));
    }
}
