package io.tributary.server.config;

import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogConfigKey;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.cleaner.LogCleanerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The broker's configuration: a {@code server.properties}-style file and command-line overrides, under
 * Kafka's key names where the meaning is the same. Every key has an embedded default, so an empty
 * configuration starts a working broker (listener 127.0.0.1:9092, data under {@code ./data}). Validated
 * once, at start: an invalid value stops the start with a message naming key, value and allowed range;
 * an unknown key is warned about and ignored.
 */
public final class ServerConfig {
    private static final Logger log = LoggerFactory.getLogger(ServerConfig.class);

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String METRICS_LISTENER = "metrics.listener";
    public static final String NODE_ID = "node.id";
    public static final String LOG_DIRS = "log.dirs";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String NUM_RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";

    private static final Map<String, ConfigDef> DEFINITIONS = new LinkedHashMap<>();

    static {
        define(ConfigDef.list(LISTENERS, "PLAINTEXT://127.0.0.1:9092", "a comma-separated list of PLAINTEXT://host:port",
            ServerConfig::checkListeners, "Where the broker accepts connections."));
        define(ConfigDef.list(ADVERTISED_LISTENERS, "", "a comma-separated list of PLAINTEXT://host:port, or empty for the listeners",
            v -> v.isEmpty() ? v : checkListeners(v), "What the broker tells clients to connect to."));
        define(ConfigDef.text(METRICS_LISTENER, "127.0.0.1:9644", "host:port (port 0: any free port), or empty to disable",
            v -> {
                if (!v.isEmpty()) {
                    parseHostPort(v);
                }
                return v;
            }, "Where the HTTP endpoint serves /metrics (Prometheus text format) and /health, /health/live, /health/ready;"
                + " empty: no endpoint (the metrics are still kept)."));
        define(ConfigDef.intRange(NODE_ID, 0, 0, Integer.MAX_VALUE, "This broker's id in metadata responses."));
        define(ConfigDef.list(LOG_DIRS, "./data", "a comma-separated list of directories",
            v -> {
                if (v.isBlank() || List.of(v.split(",")).stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException();
                }
                return v;
            }, "Directories partitions are spread over; the first also holds topic metadata."));
        define(ConfigDef.intRange(NUM_PARTITIONS, 1, 1, 100_000, "Partitions of an auto-created topic or a CreateTopics request that asks for the default."));
        define(ConfigDef.intRange(DEFAULT_REPLICATION_FACTOR, 1, 1, 1, "Replicas per partition; this broker keeps one."));
        define(ConfigDef.bool(AUTO_CREATE_TOPICS_ENABLE, true, "Create a topic when a client asks for its metadata."));
        define(ConfigDef.intRange(SOCKET_REQUEST_MAX_BYTES, 100 * 1024 * 1024, 1024, Integer.MAX_VALUE,
            "The largest request frame accepted; a larger size prefix closes the connection."));
        define(ConfigDef.intRange(NUM_NETWORK_THREADS, Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256,
            "Netty event-loop threads serving connections."));
        define(ConfigDef.intRange(NUM_IO_THREADS, 2, 1, 256, "Threads for blocking disk work such as fsync on flush policies."));
        define(ConfigDef.longRange(LOG_RETENTION_CHECK_INTERVAL_MS, 300_000, 1, Long.MAX_VALUE, "How often retention runs."));
        define(ConfigDef.longRange(LOG_FLUSH_SCHEDULER_INTERVAL_MS, 1_000, 1, Long.MAX_VALUE, "How often logs are checked against flush.ms."));
        define(ConfigDef.longRange(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, 60_000, 1, Long.MAX_VALUE, "How often recovery points are checkpointed."));
        define(ConfigDef.intRange(NUM_RECOVERY_THREADS_PER_DATA_DIR, 1, 1, 256, "Threads per log directory that open and recover logs at start."));
        define(ConfigDef.intRange(FETCH_MAX_BYTES, 55 * 1024 * 1024, 1024, Integer.MAX_VALUE, "The most record bytes one fetch response carries."));
        define(ConfigDef.intRange(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, 1000, 0, Integer.MAX_VALUE, "Incremental fetch sessions kept."));
        define(ConfigDef.longRange(PRODUCER_ID_EXPIRATION_MS, 86_400_000L, 1, Long.MAX_VALUE,
            "How long an idle producer id's sequence state is kept."));
        define(ConfigDef.longRange(LOG_RETENTION_MINUTES, -1, -1, Long.MAX_VALUE / 60_000, "Retention in minutes, used when log.retention.ms is not set."));
        define(ConfigDef.longRange(LOG_RETENTION_HOURS, 168, -1, Long.MAX_VALUE / 3_600_000, "Retention in hours, used when neither log.retention.ms nor log.retention.minutes is set."));
        define(ConfigDef.longRange(LOG_ROLL_HOURS, 168, 1, Long.MAX_VALUE / 3_600_000, "Segment roll time in hours, used when log.roll.ms is not set."));
        LogCleanerConfig cleaner = LogCleanerConfig.defaults();
        define(ConfigDef.bool(LOG_CLEANER_ENABLE, cleaner.enabled(), "Run the log cleaner, which compacts topics with cleanup.policy=compact."));
        define(ConfigDef.intRange(LOG_CLEANER_THREADS, cleaner.threads(), 1, 64, "Threads compacting logs."));
        define(ConfigDef.longRange(LOG_CLEANER_DEDUPE_BUFFER_SIZE, cleaner.dedupeBufferSize(), LogCleanerConfig.MIN_DEDUPE_BYTES_PER_THREAD,
            Long.MAX_VALUE, "Memory for the cleaners' key-to-offset maps, shared among the threads."));
        define(ConfigDef.intRange(LOG_CLEANER_IO_BUFFER_SIZE, cleaner.ioBufferSize(), 4096, Integer.MAX_VALUE, "Read and write buffer of each cleaner."));
        define(ConfigDef.longRange(LOG_CLEANER_BACKOFF_MS, cleaner.backoffMs(), 1, Long.MAX_VALUE, "How long an idle cleaner waits before looking again."));
        for (LogConfigKey key : LogConfigKey.values()) {
            if (key.brokerSynonym == null) {
                continue; // a topic-only key (routing.mode): no broker-wide default
            }
            define(new ConfigDef(key.brokerSynonym, key.defaultValue, key.allowedDescription(), key::validate,
                key.documentation + " Broker default of topic config " + key.configName + ".", valueType(key)));
        }
        // The group coordinator's keys, names and defaults as GroupCoordinatorConfig (Kafka's) has them. Each is
        // only trimmed here: GroupCoordinatorConfig validates them, together (of()), since one limit depends on
        // another key (group.max.session.timeout.ms >= group.min.session.timeout.ms).
        new TreeMap<>(GroupCoordinatorConfig.DEFAULTS).forEach((key, defaultValue) -> define(new ConfigDef(key, defaultValue,
            "a whole number", v -> v, GroupCoordinatorConfig.DOCUMENTATION.get(key),
            GroupCoordinatorConfig.LONG_KEYS.contains(key) ? ValueType.LONG : ValueType.INT)));
    }

    private static void define(ConfigDef def) {
        DEFINITIONS.put(def.key(), def);
    }

    /** Defaults that depend on the machine, described rather than shown (the generated docs must not vary). */
    static final Map<String, String> DEFAULT_DESCRIPTIONS = Map.of(NUM_NETWORK_THREADS, "the number of processors");

    /** Every definition in order, for the generated documentation ({@link ConfigDocs}). */
    static List<ConfigDef> definitions() {
        return List.copyOf(DEFINITIONS.values());
    }

    /** Keys Kafka also accepts under another name. */
    static final Map<String, String> ALIASES = Map.of("broker.id", NODE_ID, "log.dir", LOG_DIRS);

    private final Map<String, String> values;
    private final Map<String, String> explicit;
    private final GroupCoordinatorConfig groupCoordinator;

    private ServerConfig(Map<String, String> values, Map<String, String> explicit) {
        this.values = values;
        this.explicit = explicit;
        this.groupCoordinator = GroupCoordinatorConfig.fromProperties(values);
    }

    /**
     * Embedded defaults with {@code settings} on top.
     *
     * @throws InvalidConfigException naming key, value and allowed values
     */
    public static ServerConfig of(Map<String, String> settings) {
        Map<String, String> explicit = new TreeMap<>();
        settings.forEach((rawKey, value) -> {
            String key = ALIASES.getOrDefault(rawKey, rawKey);
            ConfigDef def = DEFINITIONS.get(key);
            if (def == null) {
                log.warn("Ignoring unknown configuration {}={}", rawKey, value);
                return;
            }
            explicit.put(key, def.validate(value));
        });
        Map<String, String> values = new LinkedHashMap<>();
        DEFINITIONS.forEach((key, def) -> values.put(key, explicit.getOrDefault(key, def.defaultValue())));
        return new ServerConfig(values, Collections.unmodifiableMap(explicit));
    }

    /**
     * Reads a properties file (when given) and applies {@code overrides} on top.
     *
     * @throws InvalidConfigException naming key, value and allowed values; or when the file cannot be read
     */
    public static ServerConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new InvalidConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
            }
            for (String key : properties.stringPropertyNames()) {
                settings.put(key, properties.getProperty(key));
            }
        }
        settings.putAll(overrides);
        return of(settings);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("No configuration " + key);
        }
        return value;
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.parseLong(get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    public boolean isExplicit(String key) {
        return explicit.containsKey(key);
    }

    /** Every key with its effective value, in definition order. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The listeners this broker binds. */
    public List<Listener> listeners() {
        return parseListeners(get(LISTENERS));
    }

    /** What clients are told to connect to: advertised.listeners, or the listeners. */
    public List<Listener> advertisedListeners() {
        String advertised = get(ADVERTISED_LISTENERS);
        return advertised.isEmpty() ? listeners() : parseListeners(advertised);
    }

    public List<Path> logDirs() {
        List<Path> dirs = new ArrayList<>();
        for (String dir : get(LOG_DIRS).split(",")) {
            dirs.add(Path.of(dir.trim()));
        }
        return dirs;
    }

    /** Broker defaults for topic configs, from the log.* keys and Kafka's minutes/hours variants. */
    public LogConfig logDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (LogConfigKey key : LogConfigKey.values()) {
            if (key.brokerSynonym != null) {
                defaults.put(key.configName, get(key.brokerSynonym));
            }
        }
        if (!isExplicit(LogConfigKey.RETENTION_MS.brokerSynonym)) {
            long retentionMs;
            if (isExplicit(LOG_RETENTION_MINUTES)) {
                long minutes = getLong(LOG_RETENTION_MINUTES);
                retentionMs = minutes < 0 ? -1 : minutes * 60_000;
            } else {
                long hours = getLong(LOG_RETENTION_HOURS);
                retentionMs = hours < 0 ? -1 : hours * 3_600_000;
            }
            defaults.put(LogConfigKey.RETENTION_MS.configName, Long.toString(retentionMs));
        }
        if (!isExplicit(LogConfigKey.SEGMENT_MS.brokerSynonym)) {
            defaults.put(LogConfigKey.SEGMENT_MS.configName, Long.toString(getLong(LOG_ROLL_HOURS) * 3_600_000));
        }
        return LogConfig.withDefaults(defaults);
    }

    /** The group coordinator's settings (group.*, offsets.*), validated when this configuration was built. */
    public GroupCoordinatorConfig groupCoordinatorConfig() {
        return groupCoordinator;
    }

    public LogManagerConfig logManagerConfig() {
        LogCleanerConfig cleaner = new LogCleanerConfig(getBoolean(LOG_CLEANER_ENABLE), getInt(LOG_CLEANER_THREADS),
            getLong(LOG_CLEANER_DEDUPE_BUFFER_SIZE), getInt(LOG_CLEANER_IO_BUFFER_SIZE), getLong(LOG_CLEANER_BACKOFF_MS));
        return new LogManagerConfig(logDirs(), logDefaults(), getLong(LOG_RETENTION_CHECK_INTERVAL_MS),
            getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS), getLong(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS),
            getInt(NUM_RECOVERY_THREADS_PER_DATA_DIR), cleaner, getLong(PRODUCER_ID_EXPIRATION_MS));
    }

    /** The metrics endpoint's address, or null when metrics.listener is empty (disabled). */
    public Listener metricsListener() {
        String value = get(METRICS_LISTENER);
        return value.isEmpty() ? null : parseHostPort(value);
    }

    private static Listener parseHostPort(String value) {
        URI uri = URI.create("tcp://" + value.trim());
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535 || uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("host and port required");
        }
        return new Listener(uri.getHost(), uri.getPort());
    }

    /** A {@code PLAINTEXT://host:port} endpoint. */
    public record Listener(String host, int port) {
        @Override
        public String toString() {
            return "PLAINTEXT://" + host + ":" + port;
        }
    }

    private static String checkListeners(String value) {
        parseListeners(value);
        return value;
    }

    private static List<Listener> parseListeners(String value) {
        List<Listener> listeners = new ArrayList<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.startsWith("PLAINTEXT://")) {
                throw new IllegalArgumentException("only PLAINTEXT listeners are supported");
            }
            URI uri = URI.create("tcp://" + trimmed.substring("PLAINTEXT://".length()));
            if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
                throw new IllegalArgumentException("host and port required");
            }
            listeners.add(new Listener(uri.getHost(), uri.getPort()));
        }
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        return listeners;
    }

    /** The kind of value a setting takes, as admin clients are told it. */
    public enum ValueType { BOOLEAN, STRING, INT, LONG, DOUBLE, LIST }

    /** Whether the broker knows {@code key} (aliases such as broker.id are not keys of their own). */
    public static boolean isKnown(String key) {
        return DEFINITIONS.containsKey(key);
    }

    /** A topic config's kind: numbers that fit an int32 are INT as in Kafka (segment.bytes), wider ones LONG. */
    public static ValueType valueType(LogConfigKey key) {
        return switch (key.type) {
            case LIST -> ValueType.LIST;
            case DOUBLE -> ValueType.DOUBLE;
            case CHOICE -> ValueType.STRING;
            case LONG -> key.maxValue() <= Integer.MAX_VALUE ? ValueType.INT : ValueType.LONG;
        };
    }

    /** The kind of value {@code key} takes. */
    public static ValueType valueType(String key) {
        return definition(key).type();
    }

    /** What {@code key} does, without its default. */
    public static String documentation(String key) {
        return definition(key).documentation();
    }

    /** The embedded default of {@code key}. */
    public static String defaultValue(String key) {
        return definition(key).defaultValue();
    }

    private static ConfigDef definition(String key) {
        ConfigDef def = DEFINITIONS.get(key);
        if (def == null) {
            throw new IllegalArgumentException("No configuration " + key);
        }
        return def;
    }

    /**
     * The broker keys that supply the default of a topic config, highest precedence first, as
     * {@link #logDefaults()} applies them: the first one set wins, and the last one's embedded default
     * applies when none is set (retention.ms: log.retention.ms, then log.retention.minutes, then
     * log.retention.hours).
     */
    public static List<String> brokerSynonyms(LogConfigKey key) {
        return switch (key) {
            case RETENTION_MS -> List.of(key.brokerSynonym, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS);
            case SEGMENT_MS -> List.of(key.brokerSynonym, LOG_ROLL_HOURS);
            default -> key.brokerSynonym == null ? List.of() : List.of(key.brokerSynonym);
        };
    }

    /** Every key the broker knows with its default and documentation, for `--help`-style listings. */
    public static Map<String, String> documentation() {
        Map<String, String> docs = new LinkedHashMap<>();
        DEFINITIONS.forEach((key, def) -> docs.put(key, def.documentation() + " Default: " + def.defaultValue() + "."));
        return docs;
    }
}
