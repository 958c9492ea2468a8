package io.tributary.server.config;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigType;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;
import io.tributary.config.Synonym;
import io.tributary.config.Validator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The broker's configuration: a {@code server.properties}-style file and command-line overrides, under
 * Kafka's key names where the meaning is the same. Every key has an embedded default, so an empty
 * configuration starts a working broker (listener 127.0.0.1:9092, data under {@code ./data}). Validated
 * once, at start: an invalid value stops the start with a message naming key, value and allowed range;
 * an unknown key is warned about and ignored.
 *
 * <p>The broker's own keys (network, metadata, fetch, producer ids) are declared here; {@link #DEFINITION} composes
 * them with each module's keys, declared next to the settings record they fill: {@link LogManagerConfig#KEYS},
 * {@link LogConfig}'s broker keys, {@link LogCleanerConfig#KEYS} and {@link GroupCoordinatorConfig#KEYS}. Those
 * records are built from the one parse at start ({@link #logManagerConfig()}, {@link #groupCoordinatorConfig()}).
 */
public final class ServerConfig {
    private static final Logger log = LoggerFactory.getLogger(ServerConfig.class);

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String METRICS_LISTENER = "metrics.listener";
    public static final String CONSOLE_LISTENER = "console.listener";
    public static final String CONSOLE_READ_ONLY = "console.read.only";
    public static final String NODE_ID = "node.id";
    public static final String LOG_DIRS = LogManagerConfig.LOG_DIRS.name();
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    public static final String PRODUCER_ID_EXPIRATION_MS = LogManagerConfig.PRODUCER_ID_EXPIRATION_MS.name();

    private static final String LISTENER_FORM = "PLAINTEXT://host:port";

    /** The broker's own keys, each added by its declaration, with the log manager's among them (the reference's order). */
    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<List<String>> LISTENERS_KEY = OWN.add(ConfigKey.listKey(LISTENERS,
            ConfigKey.ListSyntax.of(LISTENER_FORM).nonEmptyList().strict().checkedBy(ServerConfig::checkListener))
        .defaultValue(List.of("PLAINTEXT://127.0.0.1:9092")).importance(Importance.HIGH)
        .documentation("Where the broker accepts connections.").build());
    public static final ConfigKey<List<String>> ADVERTISED_LISTENERS_KEY = OWN.add(ConfigKey.listKey(ADVERTISED_LISTENERS,
            ConfigKey.ListSyntax.of(LISTENER_FORM).checkedBy(ServerConfig::checkListener))
        .defaultValue(List.of()).describedAs("a comma-separated list of " + LISTENER_FORM + ", or empty for the listeners")
        .importance(Importance.HIGH).documentation("What the broker tells clients to connect to.").build());
    public static final ConfigKey<String> METRICS_LISTENER_KEY = OWN.add(ConfigKey.stringKey(METRICS_LISTENER)
        .defaultValue("127.0.0.1:9644")
        .validator(Validator.of(ServerConfig::isHostPortOrEmpty, "host:port (port 0: any free port), or empty to disable"))
        .documentation("Where the HTTP endpoint serves /metrics (Prometheus text format) and /health, /health/live, /health/ready;"
            + " empty: no endpoint (the metrics are still kept).").build());
    public static final ConfigKey<String> CONSOLE_LISTENER_KEY = OWN.add(ConfigKey.stringKey(CONSOLE_LISTENER)
        .defaultValue("")
        .validator(Validator.of(v -> v.equals("off") || isHostPortOrEmpty(v), "empty (on metrics.listener), host:port, or off"))
        .documentation("Where the web console listens: empty serves it next to /metrics on metrics.listener; off: no console.").build());
    public static final ConfigKey<Boolean> CONSOLE_READ_ONLY_KEY = OWN.add(ConfigKey.booleanKey(CONSOLE_READ_ONLY)
        .defaultValue(false).documentation("Hide and refuse every write action of the web console.").build());
    public static final ConfigKey<Integer> NODE_ID_KEY = OWN.add(ConfigKey.intKey(NODE_ID).defaultValue(0).inRange(0, Integer.MAX_VALUE)
        .importance(Importance.HIGH).documentation("This broker's id in metadata responses.").build());
    static {
        OWN.add(LogManagerConfig.LOG_DIRS); // the log manager's key, at its place in the reference
    }
    public static final ConfigKey<Integer> NUM_PARTITIONS_KEY = OWN.add(ConfigKey.intKey(NUM_PARTITIONS).defaultValue(1).inRange(1, 100_000)
        .documentation("Partitions of an auto-created topic or a CreateTopics request that asks for the default.").build());
    public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR_KEY = OWN.add(ConfigKey.intKey(DEFAULT_REPLICATION_FACTOR)
        .defaultValue(1).inRange(1, 1).documentation("Replicas per partition; this broker keeps one.").build());
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE_KEY = OWN.add(ConfigKey.booleanKey(AUTO_CREATE_TOPICS_ENABLE)
        .defaultValue(true).documentation("Create a topic when a client asks for its metadata.").build());
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES_KEY = OWN.add(ConfigKey.intKey(SOCKET_REQUEST_MAX_BYTES)
        .defaultValue(100 * 1024 * 1024).inRange(1024, Integer.MAX_VALUE)
        .documentation("The largest request frame accepted; a larger size prefix closes the connection.").build());
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS_KEY = OWN.add(ConfigKey.intKey(NUM_NETWORK_THREADS)
        .defaultValue(Math.min(256, Math.max(1, Runtime.getRuntime().availableProcessors()))).inRange(1, 256)
        .defaultDescribedAs("the number of processors").documentation("Netty event-loop threads serving connections.").build());
    public static final ConfigKey<Integer> NUM_IO_THREADS_KEY = OWN.add(ConfigKey.intKey(NUM_IO_THREADS).defaultValue(2).inRange(1, 256)
        .documentation("Threads for blocking disk work such as fsync on flush policies.").build());
    static {
        OWN.add(LogManagerConfig.RETENTION_CHECK_INTERVAL_MS);
        OWN.add(LogManagerConfig.FLUSH_SCHEDULER_INTERVAL_MS);
        OWN.add(LogManagerConfig.FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
        OWN.add(LogManagerConfig.NUM_RECOVERY_THREADS_PER_DATA_DIR);
    }
    public static final ConfigKey<Integer> FETCH_MAX_BYTES_KEY = OWN.add(ConfigKey.intKey(FETCH_MAX_BYTES).defaultValue(55 * 1024 * 1024)
        .inRange(1024, Integer.MAX_VALUE).documentation("The most record bytes one fetch response carries.").build());
    public static final ConfigKey<Integer> MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS_KEY = OWN.add(ConfigKey.intKey(
            MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS)
        .defaultValue(1000).inRange(0, Integer.MAX_VALUE).documentation("Incremental fetch sessions kept.").build());
    static {
        OWN.add(LogManagerConfig.PRODUCER_ID_EXPIRATION_MS); // the log keeps producer state; InitProducerId reads it too
    }

    /**
     * Every broker key, in the order of the reference: the broker's own keys with the log manager's among them,
     * then the coarser-unit synonyms of topic durations, the cleaner's keys, the broker defaults of topic keys and the
     * group coordinator's keys.
     */
    public static final ConfigDefinition DEFINITION = ConfigDefinition.compose(
        OWN.build(),
        LogConfig.BROKER_UNIT_KEYS,
        LogCleanerConfig.KEYS,
        LogConfig.BROKER_KEYS,
        GroupCoordinatorConfig.KEYS);

    static {
        // The log manager's keys are placed one by one above (for the reference's order); none may be left out.
        for (ConfigKey<?> key : LogManagerConfig.KEYS.keys()) {
            if (DEFINITION.key(key.name()) != key) {
                throw new ExceptionInInitializerError("ServerConfig.DEFINITION lacks " + key.name());
            }
        }
    }

    /** Keys Kafka also accepts under another name. */
    static final Map<String, String> ALIASES = Map.of("broker.id", NODE_ID, "log.dir", LOG_DIRS);

    private final ConfigValues values;
    private final GroupCoordinatorConfig groupCoordinator;
    private final LogManagerConfig logManager;

    private ServerConfig(ConfigValues values) {
        this.values = values;
        this.groupCoordinator = GroupCoordinatorConfig.from(values);
        this.logManager = LogManagerConfig.from(values);
    }

    /**
     * Embedded defaults with {@code settings} on top.
     *
     * @throws InvalidConfigException naming key, value and allowed values
     */
    public static ServerConfig of(Map<String, String> settings) {
        Map<String, String> named = new LinkedHashMap<>();
        settings.forEach((rawKey, value) -> named.put(ALIASES.getOrDefault(rawKey, rawKey), value));
        return InvalidConfigException.refusing(() -> new ServerConfig(DEFINITION.parse(named,
            (key, value) -> log.warn("Ignoring unknown configuration {}={}", key, value))));
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

    /** The value of {@code key}. */
    public <T> T get(ConfigKey<T> key) {
        return values.get(key);
    }

    /** The value of the key named {@code key} as canonical text. */
    public String get(String key) {
        return values.text(key);
    }

    public int getInt(String key) {
        return (Integer) values.get(key);
    }

    public long getLong(String key) {
        return (Long) values.get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) values.get(key);
    }

    public boolean isExplicit(String key) {
        return values.isSet(key);
    }

    /** Every key with its effective value as text, in definition order. */
    public Map<String, String> values() {
        return values.texts();
    }

    /** The parsed configuration, for components that read their keys from it. */
    public ConfigValues parsed() {
        return values;
    }

    /** The listeners this broker binds. */
    public List<Listener> listeners() {
        return parseListeners(values.get(LISTENERS_KEY));
    }

    /** What clients are told to connect to: advertised.listeners, or the listeners. */
    public List<Listener> advertisedListeners() {
        List<String> advertised = values.get(ADVERTISED_LISTENERS_KEY);
        return advertised.isEmpty() ? listeners() : parseListeners(advertised);
    }

    public List<Path> logDirs() {
        return logManager.logDirs();
    }

    /** Broker defaults for topic configs, from the log.* keys and Kafka's minutes/hours variants. */
    public LogConfig logDefaults() {
        return logManager.defaults();
    }

    /** The group coordinator's settings (group.*, offsets.*), validated when this configuration was built. */
    public GroupCoordinatorConfig groupCoordinatorConfig() {
        return groupCoordinator;
    }

    /** The log manager's settings with the cleaner's and the topic defaults, validated when this configuration was built. */
    public LogManagerConfig logManagerConfig() {
        return logManager;
    }

    /** The metrics endpoint's address, or null when metrics.listener is empty (disabled). */
    public Listener metricsListener() {
        String value = values.get(METRICS_LISTENER_KEY);
        return value.isEmpty() ? null : parseHostPort(value);
    }

    private static boolean isHostPortOrEmpty(String value) {
        if (value.isEmpty()) {
            return true;
        }
        try {
            parseHostPort(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The web console's own address; null when it shares metrics.listener or is off (see consoleShared). */
    public Listener consoleListener() {
        String value = values.get(CONSOLE_LISTENER_KEY);
        return value.isEmpty() || value.equals("off") ? null : parseHostPort(value);
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

    private static String checkListener(String entry) {
        parseListener(entry);
        return entry;
    }

    private static List<Listener> parseListeners(List<String> entries) {
        List<Listener> listeners = new ArrayList<>();
        for (String entry : entries) {
            listeners.add(parseListener(entry));
        }
        return listeners;
    }

    private static Listener parseListener(String entry) {
        if (!entry.startsWith("PLAINTEXT://")) {
            throw new IllegalArgumentException("only PLAINTEXT listeners are supported");
        }
        URI uri = URI.create("tcp://" + entry.substring("PLAINTEXT://".length()));
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("host and port required");
        }
        return new Listener(uri.getHost(), uri.getPort());
    }

    /** Whether the broker knows {@code key} (aliases such as broker.id are not keys of their own). */
    public static boolean isKnown(String key) {
        return DEFINITION.contains(key);
    }

    /** The kind of value {@code key} takes. */
    public static ConfigType valueType(String key) {
        return definition(key).type();
    }

    /** What {@code key} does, without its default. */
    public static String documentation(String key) {
        return definition(key).documentation();
    }

    /** The embedded default of {@code key} as text. */
    public static String defaultValue(String key) {
        return definition(key).defaultText();
    }

    /** The key named {@code key}. */
    public static ConfigKey<?> definition(String key) {
        ConfigKey<?> def = DEFINITION.key(key);
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
    public static List<String> brokerSynonyms(ConfigKey<?> topicKey) {
        return topicKey.synonyms().stream().map(Synonym::name).toList();
    }

    /** Every key the broker knows with its default and documentation, for `--help`-style listings. */
    public static Map<String, String> documentation() {
        Map<String, String> docs = new LinkedHashMap<>();
        for (ConfigKey<?> key : DEFINITION.keys()) {
            docs.put(key.name(), key.documentation() + " Default: " + key.defaultText() + ".");
        }
        return docs;
    }
}
