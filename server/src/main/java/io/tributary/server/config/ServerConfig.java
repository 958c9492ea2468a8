package io.tributary.server.config;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.server.replica.ReplicationSettings;
import io.tributary.config.ConfigType;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;
import io.tributary.config.Synonym;
import io.tributary.config.Validator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.server.txn.TransactionCoordinatorConfig;
import io.tributary.log.InvalidConfigException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.cleaner.LogCleanerConfig;
import io.tributary.metadata.quorum.MetadataQuorumConfig;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.SecurityProtocol;
import io.tributary.server.security.SslSettings;
import io.tributary.server.security.authz.AuthorizerSettings;
import io.tributary.server.quota.QuotaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The broker's configuration: a {@code server.properties}-style file and command-line overrides, under
 * Kafka's key names where the meaning is the same. Every key has an embedded default, so an empty
 * configuration starts a working broker (listener 127.0.0.1:9092, data under {@code ./data}). Validated
 * once, at start: an invalid value stops the start with a message naming key, value and allowed range;
 * an unknown key is warned about and ignored.
 *
 * <p>The broker's own keys (network, metadata, fetch, producer ids) are declared here; {@link #DEFINITION} composes
 * them with each module's keys, declared next to the settings record they fill: {@link LogManagerConfig#KEYS},
 * {@link LogConfig}'s broker keys, {@link LogCleanerConfig#KEYS}, {@link GroupCoordinatorConfig#KEYS} and
 * {@link TransactionCoordinatorConfig#KEYS}. Those
 * records are built from the one parse at start ({@link #logManagerConfig()}, {@link #groupCoordinatorConfig()}).
 * The TLS and SASL keys ({@link SslSettings#KEYS}, {@link SaslSettings#KEYS}) may also be given per listener,
 * {@code listener.name.<listener>.<key>} as in Kafka, and PLAIN users as
 * {@code listener.name.<listener>.plain.sasl.jaas.config}; those are parsed by the same keys and kept apart
 * ({@link #sslSettings(String)}, {@link #saslSettings(String)}). Listeners are checked across keys once, at start
 * ({@link #endpoints()}).
 */
public final class ServerConfig {
    private static final Logger log = LoggerFactory.getLogger(ServerConfig.class);

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
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
    public static final String MAX_REQUEST_PARTITION_SIZE_LIMIT = "max.request.partition.size.limit";

    private static final String LISTENER_FORM = "NAME://host:port";
    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_]+");

    /** The broker's own keys, each added by its declaration, with the log manager's among them (the reference's order). */
    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<List<String>> LISTENERS_KEY = OWN.add(ConfigKey.listKey(LISTENERS,
            ConfigKey.ListSyntax.of(LISTENER_FORM).nonEmptyList().strict().checkedBy(ServerConfig::checkListener))
        .defaultValue(List.of("PLAINTEXT://127.0.0.1:9092")).importance(Importance.HIGH)
        .documentation("Where the broker accepts connections.").build());
    public static final ConfigKey<List<String>> ADVERTISED_LISTENERS_KEY = OWN.add(ConfigKey.listKey(ADVERTISED_LISTENERS,
            ConfigKey.ListSyntax.of(LISTENER_FORM).checkedBy(ServerConfig::checkListener))
        .defaultValue(List.of()).describedAs("a comma-separated list of " + LISTENER_FORM + ", or empty for the listeners")
        .importance(Importance.HIGH).documentation("What the broker tells clients to connect to, per listener: a client is"
            + " answered with the endpoint of the listener it connected through; a listener not named here is advertised as bound.")
        .build());
    public static final ConfigKey<List<String>> LISTENER_SECURITY_PROTOCOL_MAP_KEY = OWN.add(ConfigKey.listKey(
            LISTENER_SECURITY_PROTOCOL_MAP, ConfigKey.ListSyntax.of("NAME:PROTOCOL pairs").nonEmptyList().strict()
                .checkedBy(ServerConfig::checkProtocolMapping))
        .defaultValue(List.of("PLAINTEXT:PLAINTEXT", "SSL:SSL", "SASL_PLAINTEXT:SASL_PLAINTEXT", "SASL_SSL:SASL_SSL"))
        .documentation("The security protocol of each listener name: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.").build());
    public static final ConfigKey<String> INTER_BROKER_LISTENER_NAME_KEY = OWN.add(ConfigKey.stringKey(INTER_BROKER_LISTENER_NAME)
        .defaultValue("").describedAs("a listener's name, or empty for the first listener")
        .documentation("The listener other brokers connect to (used by replication once brokers form a cluster).").build());
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
        .defaultValue(1).inRange(1, Short.MAX_VALUE).documentation("Replicas per partition of an auto-created topic or a"
            + " CreateTopics request that asks for the default; more than the live brokers is refused"
            + " (INVALID_REPLICATION_FACTOR).").build());
    public static final ConfigKey<String> BROKER_RACK_KEY = OWN.add(ConfigKey.stringKey("broker.rack")
        .defaultValue("").describedAs("a rack name, or empty for none").documentation("The rack (or zone) of this"
            + " broker: replicas of a partition are placed on different racks when racks are set.").build());
    public static final ConfigKey<Integer> OFFSETS_TOPIC_REPLICATION_FACTOR_KEY = OWN.add(ConfigKey.intKey(
            "offsets.topic.replication.factor").defaultValue(3).inRange(1, Short.MAX_VALUE)
        .documentation("Replicas per partition of __consumer_offsets when it is created; when not set explicitly, the"
            + " live brokers at creation cap it (a single broker gets 1).").build());
    public static final ConfigKey<Boolean> AUTO_LEADER_REBALANCE_ENABLE_KEY = OWN.add(ConfigKey.booleanKey(
            "auto.leader.rebalance.enable").defaultValue(true)
        .documentation("The controller moves leadership back to each partition's preferred (first) replica when it is"
            + " in sync, every leader.imbalance.check.interval.seconds.").build());
    public static final ConfigKey<Integer> LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS_KEY = OWN.add(ConfigKey.intKey(
            "leader.imbalance.check.interval.seconds").defaultValue(300).inRange(1, Integer.MAX_VALUE)
        .documentation("How often the controller runs the automatic preferred-leader election.").build());
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
    public static final ConfigKey<Integer> MAX_REQUEST_PARTITION_SIZE_LIMIT_KEY = OWN.add(ConfigKey.intKey(
            MAX_REQUEST_PARTITION_SIZE_LIMIT)
        .defaultValue(2000).inRange(1, Integer.MAX_VALUE).documentation("The most partitions one DescribeTopicPartitions"
            + " answer carries, whatever limit the request asks for; the client asks again from the answer's cursor.").build());
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
        SslSettings.KEYS,
        SaslSettings.KEYS,
        ReplicationSettings.KEYS,
        AuthorizerSettings.KEYS,
        QuotaSettings.KEYS,
        io.tributary.server.network.ConnectionLimits.KEYS,
        LogConfig.BROKER_UNIT_KEYS,
        LogCleanerConfig.KEYS,
        LogConfig.BROKER_KEYS,
        GroupCoordinatorConfig.KEYS,
        TransactionCoordinatorConfig.KEYS,
        MetadataQuorumConfig.KEYS);

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
    private final TransactionCoordinatorConfig transactionCoordinator;
    private final LogManagerConfig logManager;
    private final ReplicationSettings replication;

    /** Per-listener overrides: lower-case listener name -> key name -> parsed value. */
    private final Map<String, Map<String, Object>> listenerOverrides;
    private final List<Endpoint> endpoints;

    private ServerConfig(ConfigValues values, Map<String, Map<String, Object>> listenerOverrides) {
        this.values = values;
        this.listenerOverrides = listenerOverrides;
        this.groupCoordinator = GroupCoordinatorConfig.from(values);
        this.transactionCoordinator = TransactionCoordinatorConfig.from(values);
        this.logManager = LogManagerConfig.from(values);
        try {
            this.replication = ReplicationSettings.of(values.get(NODE_ID_KEY), values);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        this.endpoints = checkedEndpoints();
    }

    /**
     * The listeners with their protocols, checked across keys: names unique and in listener.security.protocol.map,
     * TLS listeners with a key store, inter.broker.listener.name among them.
     */
    private List<Endpoint> checkedEndpoints() {
        Map<String, SecurityProtocol> protocols = protocolMap();
        List<Endpoint> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : values.get(LISTENERS_KEY)) {
            String name = entry.substring(0, entry.indexOf("://"));
            SecurityProtocol protocol = protocols.get(name);
            if (protocol == null) {
                throw refusal(LISTENERS, entry, "listener " + name + " is not named in " + LISTENER_SECURITY_PROTOCOL_MAP
                    + " (" + String.join(",", values.get(LISTENER_SECURITY_PROTOCOL_MAP_KEY)) + ")");
            }
            if (!names.add(name)) {
                throw refusal(LISTENERS, entry, "listener " + name + " is named twice");
            }
            if (protocol.tls && !sslSettings(name).hasKeyStore()) {
                throw refusal(LISTENERS, entry, protocol + " listeners need a key store (ssl.keystore.location, or"
                    + " ssl.keystore.certificate.chain with ssl.keystore.key, optionally under listener.name."
                    + name.toLowerCase(Locale.ROOT) + ".); without TLS use PLAINTEXT://host:port");
            }
            Listener at = parseListener(entry);
            checked.add(new Endpoint(name, protocol, at.host(), at.port()));
        }
        for (String entry : values.get(ADVERTISED_LISTENERS_KEY)) {
            String name = entry.substring(0, entry.indexOf("://"));
            if (!names.contains(name)) {
                throw refusal(ADVERTISED_LISTENERS, entry, "no listener is named " + name + " (listeners: "
                    + String.join(",", values.get(LISTENERS_KEY)) + ")");
            }
        }
        String interBroker = values.get(INTER_BROKER_LISTENER_NAME_KEY);
        if (!interBroker.isEmpty() && !names.contains(interBroker)) {
            throw refusal(INTER_BROKER_LISTENER_NAME, interBroker, "no listener has this name (listeners: "
                + String.join(",", values.get(LISTENERS_KEY)) + ")");
        }
        for (String listener : listenerOverrides.keySet()) {
            if (checked.stream().noneMatch(e -> e.name().toLowerCase(Locale.ROOT).equals(listener))) {
                log.warn("Ignoring settings of listener.name.{}.*: no listener is named {}", listener, listener.toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(checked);
    }

    private static InvalidConfigException refusal(String key, String value, String why) {
        return new InvalidConfigException("Invalid value " + value + " for configuration " + key + ": " + why);
    }

    private Map<String, SecurityProtocol> protocolMap() {
        Map<String, SecurityProtocol> map = new HashMap<>();
        for (String entry : values.get(LISTENER_SECURITY_PROTOCOL_MAP_KEY)) {
            int colon = entry.indexOf(':');
            map.put(entry.substring(0, colon), SecurityProtocol.named(entry.substring(colon + 1)));
        }
        return map;
    }

    private static String checkProtocolMapping(String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0 || !LISTENER_NAME.matcher(entry.substring(0, colon)).matches()
            || SecurityProtocol.named(entry.substring(colon + 1)) == null) {
            throw new IllegalArgumentException("not NAME:PROTOCOL");
        }
        return entry;
    }

    /**
     * Embedded defaults with {@code settings} on top.
     *
     * @throws InvalidConfigException naming key, value and allowed values
     */
    public static ServerConfig of(Map<String, String> settings) {
        Map<String, String> named = new LinkedHashMap<>();
        settings.forEach((rawKey, value) -> named.put(ALIASES.getOrDefault(rawKey, rawKey), value));
        Map<String, Map<String, Object>> overrides = new HashMap<>();
        return InvalidConfigException.refusing(() -> {
            ConfigValues parsed = DEFINITION.parse(named, (key, value) -> {
                if (!listenerOverride(key, value, overrides)) {
                    log.warn("Ignoring unknown configuration {}={}", key, value);
                }
            });
            return new ServerConfig(parsed, overrides);
        });
    }

    /**
     * Keeps {@code listener.name.<listener>.<ssl key>} parsed by that key, in {@code overrides}; false when
     * {@code name} is not such a key.
     */
    private static boolean listenerOverride(String name, Object value, Map<String, Map<String, Object>> overrides) {
        if (!name.startsWith(SslSettings.LISTENER_PREFIX)) {
            return false;
        }
        String rest = name.substring(SslSettings.LISTENER_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String listener = rest.substring(0, dot).toLowerCase(Locale.ROOT);
        String keyName = rest.substring(dot + 1);
        if (SaslSettings.isJaasKey(keyName)) {
            overrides.computeIfAbsent(listener, l -> new HashMap<>()).put(keyName.toLowerCase(Locale.ROOT), String.valueOf(value));
            return true;
        }
        ConfigKey<?> key = SslSettings.KEYS.key(keyName);
        if (key == null && keyName.equals(SaslSettings.ENABLED_MECHANISMS.name())) {
            key = SaslSettings.ENABLED_MECHANISMS;
        }
        if (key == null) {
            return false;
        }
        Object parsed;
        try {
            parsed = key.parse(value);
        } catch (io.tributary.config.ConfigException e) {
            throw new InvalidConfigException("Invalid configuration " + name + " (" + e.getMessage() + ")");
        }
        overrides.computeIfAbsent(listener, l -> new HashMap<>()).put(key.name(), parsed);
        return true;
    }

    /** The SASL settings of the listener named {@code listenerName}: its listener.name keys over the broker-wide keys. */
    public SaslSettings saslSettings(String listenerName) {
        return SaslSettings.of(values, listenerOverrides.getOrDefault(listenerName.toLowerCase(Locale.ROOT), Map.of()));
    }

    /** Whether and how requests are authorized: authorizer.class.name, super.users, allow.everyone.if.no.acl.found. */
    public AuthorizerSettings authorizerSettings() {
        return AuthorizerSettings.of(values);
    }

    /** max.connections, max.connections.per.ip and its overrides, enforced per listener. */
    public io.tributary.server.network.ConnectionLimits connectionLimits() {
        return io.tributary.server.network.ConnectionLimits.of(values);
    }

    /** How client quotas are measured: quota.window.num, quota.window.size.seconds. */
    public QuotaSettings quotaSettings() {
        return QuotaSettings.of(values);
    }

    /** The TLS settings of the listener named {@code listenerName}: its listener.name overrides over the broker-wide keys. */
    public SslSettings sslSettings(String listenerName) {
        return SslSettings.of(values, listenerOverrides.getOrDefault(listenerName.toLowerCase(Locale.ROOT), Map.of()));
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

    /** The listeners this broker binds (host and port; {@link #endpoints()} has their names and protocols). */
    public List<Listener> listeners() {
        return parseListeners(values.get(LISTENERS_KEY));
    }

    /** The listeners this broker binds, in order, with their names and security protocols. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The listener other brokers use: inter.broker.listener.name, or the first listener. */
    public Endpoint interBrokerEndpoint() {
        String name = values.get(INTER_BROKER_LISTENER_NAME_KEY);
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst().orElse(endpoints.get(0));
    }

    /** What clients of each listener are told to connect to, by listener name, as configured (not as bound). */
    public Map<String, Listener> advertisedByListener() {
        Map<String, Listener> advertised = new LinkedHashMap<>();
        for (String entry : values.get(ADVERTISED_LISTENERS_KEY)) {
            advertised.put(entry.substring(0, entry.indexOf("://")), parseListener(entry));
        }
        return advertised;
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

    public TransactionCoordinatorConfig transactionCoordinatorConfig() {
        return transactionCoordinator;
    }

    /** The log manager's settings with the cleaner's and the topic defaults, validated when this configuration was built. */
    public LogManagerConfig logManagerConfig() {
        return logManager;
    }

    /** The metadata quorum's settings (controller.quorum.voters, broker.session.timeout.ms, ...) for this node. */
    public MetadataQuorumConfig quorumConfig() {
        // A node outside the voters receives the metadata log at the host clients reach it on, unless told otherwise.
        String host = advertisedListeners().isEmpty() ? null : advertisedListeners().get(0).host();
        return MetadataQuorumConfig.from(values, values.get(NODE_ID_KEY), logDirs().get(0),
            host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
    }

    /** How this broker replicates (num.replica.fetchers, replica.lag.time.max.ms, ...), validated when this configuration was built. */
    public ReplicationSettings replicationSettings() {
        return replication;
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

    /** A host and port clients connect to. */
    public record Listener(String host, int port) {
        @Override
        public String toString() {
            return "PLAINTEXT://" + host + ":" + port;
        }
    }

    /** A named listener ({@code NAME://host:port}) with the security protocol listener.security.protocol.map gives its name. */
    public record Endpoint(String name, SecurityProtocol protocol, String host, int port) {
        @Override
        public String toString() {
            return name + "://" + host + ":" + port + (name.equals(protocol.name()) ? "" : " (" + protocol + ")");
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

    /** {@code NAME://host:port}; the host may be empty (all interfaces, as in Kafka) or a bracketed IPv6 address. */
    private static Listener parseListener(String entry) {
        int scheme = entry.indexOf("://");
        if (scheme <= 0 || !LISTENER_NAME.matcher(entry.substring(0, scheme)).matches()) {
            throw new IllegalArgumentException("not NAME://host:port");
        }
        String hostPort = entry.substring(scheme + 3);
        if (hostPort.startsWith(":")) {
            hostPort = "0.0.0.0" + hostPort;
        }
        URI uri = URI.create("tcp://" + hostPort);
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
