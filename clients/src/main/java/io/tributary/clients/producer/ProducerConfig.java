package io.tributary.clients.producer;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.config.ConfigDef;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.config.ConfigKey;
import io.tributary.clients.serialization.Serializer;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.compression.Compression;

/**
 * The producer's keys, on top of {@link CommonClientConfigs}: Kafka's names, meanings and (Kafka 4) defaults.
 * {@link #parse} also applies Kafka's cross-key rules: idempotence needs acks=all, retries and at most 5
 * requests in flight; if the user set idempotence explicitly, a conflict is an error, otherwise idempotence
 * is quietly turned off (Kafka 3.2+). And delivery.timeout.ms must cover linger.ms + request.timeout.ms.
 */
public final class ProducerConfig {
    private ProducerConfig() {
    }

    public static final ConfigKey<String> ACKS = ConfigKey.ofChoice("acks", "all",
        "How many acknowledgements a write needs: 0 (none, fire and forget), 1 (the leader's), all/-1 (every in-sync replica's).",
        "all", "-1", "0", "1");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.ofInt("batch.size", 16_384, 0, Integer.MAX_VALUE,
        "Bytes of (uncompressed) records per partition batch; a full batch is sent without waiting for linger.ms. "
            + "Keyless records stick to one partition until it has received this many bytes.");
    public static final ConfigKey<Long> LINGER_MS = ConfigKey.ofLong("linger.ms", 5, 0, Long.MAX_VALUE,
        "How long a batch that is not full waits for more records before it is sent.");
    public static final ConfigKey<Long> BUFFER_MEMORY = ConfigKey.ofLong("buffer.memory", 33_554_432L, 0, Long.MAX_VALUE,
        "Bytes of records waiting to be sent or acknowledged; send blocks (up to max.block.ms) while it is used up.");
    public static final ConfigKey<String> COMPRESSION_TYPE = ConfigKey.ofChoice("compression.type", "none",
        "Codec for batches.", "none", "gzip", "snappy", "lz4", "zstd");
    public static final ConfigKey<Integer> COMPRESSION_GZIP_LEVEL = ConfigKey.ofInt("compression.gzip.level",
        Compression.GZIP_DEFAULT_LEVEL, -1, Compression.GZIP_MAX_LEVEL, "gzip level: 1-9, or -1 for zlib's default (6).");
    public static final ConfigKey<Integer> COMPRESSION_LZ4_LEVEL = ConfigKey.ofInt("compression.lz4.level",
        Compression.LZ4_DEFAULT_LEVEL, Compression.LZ4_MIN_LEVEL, Compression.LZ4_MAX_LEVEL, "lz4 level.");
    public static final ConfigKey<Integer> COMPRESSION_ZSTD_LEVEL = ConfigKey.ofInt("compression.zstd.level",
        Compression.ZSTD_DEFAULT_LEVEL, Compression.ZSTD_MIN_LEVEL, Compression.ZSTD_MAX_LEVEL, "zstd level.");
    public static final ConfigKey<Long> MAX_BLOCK_MS = ConfigKey.ofLong("max.block.ms", 60_000, 0, Long.MAX_VALUE,
        "How long send may block waiting for metadata or buffer memory before it throws a TimeoutException.");
    public static final ConfigKey<Integer> MAX_REQUEST_SIZE = ConfigKey.ofInt("max.request.size", 1_048_576, 0, Integer.MAX_VALUE,
        "The largest produce request; a single record larger than this is refused at once (RecordTooLargeException).");
    public static final ConfigKey<Integer> DELIVERY_TIMEOUT_MS = ConfigKey.ofInt("delivery.timeout.ms", 120_000, 0, Integer.MAX_VALUE,
        "Upper bound on the time from send to success or failure, retries included.");
    public static final ConfigKey<Integer> RETRIES = ConfigKey.ofInt("retries", Integer.MAX_VALUE, 0, Integer.MAX_VALUE,
        "How many times a batch that failed with a retriable error is sent again (within delivery.timeout.ms).");
    public static final ConfigKey<Boolean> ENABLE_IDEMPOTENCE = ConfigKey.ofBoolean("enable.idempotence", true,
        "Write every record exactly once and in order per partition despite retries (producer id and sequence numbers).");
    public static final ConfigKey<Integer> TRANSACTION_TIMEOUT_MS = ConfigKey.ofInt("transaction.timeout.ms", 60_000, 1, Integer.MAX_VALUE,
        "Sent with InitProducerId; transactions themselves are not supported yet.");
    public static final ConfigKey<String> TRANSACTIONAL_ID = ConfigKey.ofString("transactional.id", null,
        "Transactions are not supported yet: only unset (null) is accepted.");
    public static final ConfigKey<Class<? extends Partitioner>> PARTITIONER_CLASS = ConfigKey.ofClass("partitioner.class", null,
        Partitioner.class, "A custom Partitioner (public no-argument constructor); unset uses the built-in one (Kafka's: "
            + "murmur2 of the key bytes, sticky batching for keyless records).");
    public static final ConfigKey<Boolean> PARTITIONER_IGNORE_KEYS = ConfigKey.ofBoolean("partitioner.ignore.keys", false,
        "The built-in partitioner places keyed records like keyless ones (sticky), ignoring the key.");
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Serializer>> KEY_SERIALIZER = (ConfigKey) ConfigKey.ofClass("key.serializer",
        null, Serializer.class, "Serializer class for keys, unless one is passed to the constructor.");
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Serializer>> VALUE_SERIALIZER = (ConfigKey) ConfigKey.ofClass("value.serializer",
        null, Serializer.class, "Serializer class for values, unless one is passed to the constructor.");

    /** Common keys (with the producer's receive buffer default, as Kafka's) plus the producer's. */
    public static final ConfigDef DEFINITION = CommonClientConfigs.definition().with(
        CommonClientConfigs.RECEIVE_BUFFER_BYTES.withDefault(32_768),
        ACKS, BATCH_SIZE, LINGER_MS, BUFFER_MEMORY, COMPRESSION_TYPE, COMPRESSION_GZIP_LEVEL, COMPRESSION_LZ4_LEVEL,
        COMPRESSION_ZSTD_LEVEL, MAX_BLOCK_MS, MAX_REQUEST_SIZE, DELIVERY_TIMEOUT_MS, RETRIES, ENABLE_IDEMPOTENCE,
        TRANSACTION_TIMEOUT_MS, TRANSACTIONAL_ID, PARTITIONER_CLASS, PARTITIONER_IGNORE_KEYS, KEY_SERIALIZER,
        VALUE_SERIALIZER);

    /** Parses and applies the cross-key rules (see the class comment). */
    public static ClientConfig parse(java.util.Map<String, ?> values) {
        ClientConfig config = DEFINITION.parse(values);
        if (config.get(TRANSACTIONAL_ID) != null) {
            throw new ConfigException(TRANSACTIONAL_ID.name(), config.get(TRANSACTIONAL_ID), "unset: transactions are not supported yet");
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
        if (!asked) {
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
