package io.tributary.clients.consumer;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.config.ConfigDef;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.config.ConfigKey;
import io.tributary.clients.consumer.assignor.CooperativeStickyAssignor;
import io.tributary.clients.consumer.assignor.PartitionAssignor;
import io.tributary.clients.consumer.assignor.RangeAssignor;
import io.tributary.clients.consumer.assignor.RoundRobinAssignor;
import io.tributary.clients.consumer.assignor.StickyAssignor;
import io.tributary.clients.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The consumer's configuration keys, with Kafka's names, defaults and ranges, on top of the common client keys.
 * Everything is checked once, when the consumer is built: a bad value is a {@link ConfigException} naming the
 * key, the value and what is allowed.
 */
public final class ConsumerConfig {
    public static final ConfigKey<String> GROUP_ID = ConfigKey.ofString("group.id", null,
        "The consumer group to join with subscribe(); without it only assign() works and nothing can be committed.");
    public static final ConfigKey<String> GROUP_INSTANCE_ID = ConfigKey.ofString("group.instance.id", null,
        "A static member id (KIP-345): a restart within session.timeout.ms keeps the member's partitions without a rebalance.");
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = ConfigKey.ofInt("session.timeout.ms", 45_000, 1, Integer.MAX_VALUE,
        "How long the coordinator waits for a heartbeat before it removes the member.");
    public static final ConfigKey<Integer> HEARTBEAT_INTERVAL_MS = ConfigKey.ofInt("heartbeat.interval.ms", 3_000, 1, Integer.MAX_VALUE,
        "Time between heartbeats; must be lower than session.timeout.ms.");
    public static final ConfigKey<Integer> MAX_POLL_INTERVAL_MS = ConfigKey.ofInt("max.poll.interval.ms", 300_000, 1, Integer.MAX_VALUE,
        "The longest time between polls before the consumer leaves the group; also its rebalance timeout.");
    public static final ConfigKey<Integer> MAX_POLL_RECORDS = ConfigKey.ofInt("max.poll.records", 500, 1, Integer.MAX_VALUE,
        "The most records one poll returns.");
    public static final ConfigKey<Boolean> ENABLE_AUTO_COMMIT = ConfigKey.ofBoolean("enable.auto.commit", true,
        "Commit the positions periodically from poll, and before a rebalance and on close.");
    public static final ConfigKey<Integer> AUTO_COMMIT_INTERVAL_MS = ConfigKey.ofInt("auto.commit.interval.ms", 5_000, 0, Integer.MAX_VALUE,
        "How often auto-commit commits.");
    public static final ConfigKey<String> AUTO_OFFSET_RESET = ConfigKey.ofChoice("auto.offset.reset", "latest",
        "Where to start without a committed offset, or after an out-of-range offset.", "earliest", "latest", "none");
    public static final ConfigKey<Integer> FETCH_MIN_BYTES = ConfigKey.ofInt("fetch.min.bytes", 1, 0, Integer.MAX_VALUE,
        "The broker answers a fetch once it has this many bytes, or after fetch.max.wait.ms.");
    public static final ConfigKey<Integer> FETCH_MAX_BYTES = ConfigKey.ofInt("fetch.max.bytes", 52_428_800, 0, Integer.MAX_VALUE,
        "The most bytes one fetch answer carries (at least one batch is always returned).");
    public static final ConfigKey<Integer> FETCH_MAX_WAIT_MS = ConfigKey.ofInt("fetch.max.wait.ms", 500, 0, Integer.MAX_VALUE,
        "How long the broker may hold a fetch waiting for fetch.min.bytes.");
    public static final ConfigKey<Integer> MAX_PARTITION_FETCH_BYTES = ConfigKey.ofInt("max.partition.fetch.bytes", 1_048_576, 0,
        Integer.MAX_VALUE, "The most bytes per partition in one fetch answer (at least one batch is always returned).");
    public static final ConfigKey<String> ISOLATION_LEVEL = ConfigKey.ofChoice("isolation.level", "read_uncommitted",
        "read_uncommitted reads every record; read_committed is accepted and reads the same while the broker has no transactions.",
        "read_uncommitted", "read_committed");
    public static final ConfigKey<List<String>> PARTITION_ASSIGNMENT_STRATEGY = ConfigKey.ofList("partition.assignment.strategy",
        List.of(RangeAssignor.NAME, CooperativeStickyAssignor.NAME), true,
        "assignor names (range, roundrobin, sticky, cooperative-sticky)", ConsumerConfig::checkAssignor,
        "Assignors in order of preference; the group uses the first one every member supports.");
    public static final ConfigKey<String> CLIENT_RACK = ConfigKey.ofString("client.rack", "",
        "The rack of this consumer, sent in its subscription.");
    public static final ConfigKey<Integer> DEFAULT_API_TIMEOUT_MS = ConfigKey.ofInt("default.api.timeout.ms", 60_000, 0,
        Integer.MAX_VALUE, "The timeout of blocking calls that take none (commitSync, committed, position, ...).");
    public static final ConfigKey<Boolean> CHECK_CRCS = ConfigKey.ofBoolean("check.crcs", true,
        "Accepted for compatibility; CRCs are always checked.");
    public static final ConfigKey<Boolean> ALLOW_AUTO_CREATE_TOPICS = ConfigKey.ofBoolean("allow.auto.create.topics", true,
        "Let metadata requests for subscribed topics create them (if the broker allows).");
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Deserializer>> KEY_DESERIALIZER = (ConfigKey) ConfigKey.ofClass(
        "key.deserializer", null, Deserializer.class, "Deserializer class for keys, unless one is passed to the constructor.");
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Deserializer>> VALUE_DESERIALIZER = (ConfigKey) ConfigKey.ofClass(
        "value.deserializer", null, Deserializer.class, "Deserializer class for values, unless one is passed to the constructor.");

    static final ConfigDef DEFINITION = CommonClientConfigs.definition().with(GROUP_ID, GROUP_INSTANCE_ID,
        SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, MAX_POLL_INTERVAL_MS, MAX_POLL_RECORDS, ENABLE_AUTO_COMMIT,
        AUTO_COMMIT_INTERVAL_MS, AUTO_OFFSET_RESET, FETCH_MIN_BYTES, FETCH_MAX_BYTES, FETCH_MAX_WAIT_MS,
        MAX_PARTITION_FETCH_BYTES, ISOLATION_LEVEL, PARTITION_ASSIGNMENT_STRATEGY, CLIENT_RACK, DEFAULT_API_TIMEOUT_MS,
        CHECK_CRCS, ALLOW_AUTO_CREATE_TOPICS, KEY_DESERIALIZER, VALUE_DESERIALIZER);

    private ConsumerConfig() {
    }

    /** The consumer's definition: the common keys plus the ones above. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** Parses and checks a consumer configuration, including the rules that involve two keys. */
    public static ClientConfig parse(Map<String, ?> values) {
        return check(DEFINITION.parse(values));
    }

    public static ClientConfig parse(Properties properties) {
        return check(DEFINITION.parse(properties));
    }

    private static ClientConfig check(ClientConfig config) {
        int heartbeat = config.get(HEARTBEAT_INTERVAL_MS);
        int session = config.get(SESSION_TIMEOUT_MS);
        if (heartbeat >= session) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS.name(), heartbeat,
                "a whole number lower than session.timeout.ms (" + session + ")");
        }
        String instance = config.get(GROUP_INSTANCE_ID);
        if (instance != null && instance.isEmpty()) {
            throw new ConfigException(GROUP_INSTANCE_ID.name(), instance, "a non-empty string, or unset");
        }
        String group = config.get(GROUP_ID);
        if (instance != null && group == null) {
            throw new ConfigException(GROUP_INSTANCE_ID.name(), "group.instance.id needs a group.id");
        }
        return config;
    }

    private static String checkAssignor(String name) {
        if (!List.of(RangeAssignor.NAME, RoundRobinAssignor.NAME, StickyAssignor.NAME, CooperativeStickyAssignor.NAME)
            .contains(name)) {
            throw new IllegalArgumentException();
        }
        return name;
    }

    /** New instances of the assignors named in {@code partition.assignment.strategy}, in order. */
    static List<PartitionAssignor> assignors(ClientConfig config) {
        List<PartitionAssignor> assignors = new ArrayList<>();
        for (String name : config.get(PARTITION_ASSIGNMENT_STRATEGY)) {
            assignors.add(switch (name) {
                case RangeAssignor.NAME -> new RangeAssignor();
                case RoundRobinAssignor.NAME -> new RoundRobinAssignor();
                case StickyAssignor.NAME -> new StickyAssignor();
                case CooperativeStickyAssignor.NAME -> new CooperativeStickyAssignor();
                default -> throw new IllegalStateException("Unknown assignor " + name);
            });
        }
        return assignors;
    }
}
