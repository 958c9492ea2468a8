package io.tributary.clients.consumer;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.config.ConfigDefinition;
import io.tributary.clients.config.ConfigException;
import io.tributary.config.ConfigKey;
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
    public static final ConfigKey<String> GROUP_ID = ConfigKey.stringKey("group.id")
        .documentation("The consumer group to join with subscribe(); without it only assign() works and nothing can be committed.").build();
    public static final ConfigKey<String> GROUP_INSTANCE_ID = ConfigKey.stringKey("group.instance.id")
        .documentation("A static member id (KIP-345): a restart within session.timeout.ms keeps the member's partitions without a rebalance.").build();
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = ConfigKey.intKey("session.timeout.ms").defaultValue(45_000).inRange(1, Integer.MAX_VALUE)
        .documentation("How long the coordinator waits for a heartbeat before it removes the member.").build();
    public static final ConfigKey<Integer> HEARTBEAT_INTERVAL_MS = ConfigKey.intKey("heartbeat.interval.ms").defaultValue(3_000).inRange(1, Integer.MAX_VALUE)
        .documentation("Time between heartbeats; must be lower than session.timeout.ms.").build();
    public static final ConfigKey<Integer> MAX_POLL_INTERVAL_MS = ConfigKey.intKey("max.poll.interval.ms").defaultValue(300_000).inRange(1, Integer.MAX_VALUE)
        .documentation("The longest time between polls before the consumer leaves the group; also its rebalance timeout.").build();
    public static final ConfigKey<Integer> MAX_POLL_RECORDS = ConfigKey.intKey("max.poll.records").defaultValue(500).inRange(1, Integer.MAX_VALUE)
        .documentation("The most records one poll returns.").build();
    public static final ConfigKey<Boolean> ENABLE_AUTO_COMMIT = ConfigKey.booleanKey("enable.auto.commit").defaultValue(true)
        .documentation("Commit the positions periodically from poll, and before a rebalance and on close.").build();
    public static final ConfigKey<Integer> AUTO_COMMIT_INTERVAL_MS = ConfigKey.intKey("auto.commit.interval.ms").defaultValue(5_000).inRange(0, Integer.MAX_VALUE)
        .documentation("How often auto-commit commits.").build();
    public static final ConfigKey<String> AUTO_OFFSET_RESET = ConfigKey.choiceKey("auto.offset.reset", "earliest", "latest", "none").defaultValue("latest")
        .documentation("Where to start without a committed offset, or after an out-of-range offset.").build();
    public static final ConfigKey<Integer> FETCH_MIN_BYTES = ConfigKey.intKey("fetch.min.bytes").defaultValue(1).inRange(0, Integer.MAX_VALUE)
        .documentation("The broker answers a fetch once it has this many bytes, or after fetch.max.wait.ms.").build();
    public static final ConfigKey<Integer> FETCH_MAX_BYTES = ConfigKey.intKey("fetch.max.bytes").defaultValue(52_428_800).inRange(0, Integer.MAX_VALUE)
        .documentation("The most bytes one fetch answer carries (at least one batch is always returned).").build();
    public static final ConfigKey<Integer> FETCH_MAX_WAIT_MS = ConfigKey.intKey("fetch.max.wait.ms").defaultValue(500).inRange(0, Integer.MAX_VALUE)
        .documentation("How long the broker may hold a fetch waiting for fetch.min.bytes.").build();
    public static final ConfigKey<Integer> MAX_PARTITION_FETCH_BYTES = ConfigKey.intKey("max.partition.fetch.bytes").defaultValue(1_048_576).inRange(0, Integer.MAX_VALUE)
        .documentation("The most bytes per partition in one fetch answer (at least one batch is always returned).").build();
    public static final ConfigKey<String> ISOLATION_LEVEL = ConfigKey.choiceKey("isolation.level", "read_uncommitted", "read_committed").defaultValue("read_uncommitted")
        .documentation("read_uncommitted reads every record; read_committed is accepted and reads the same while the broker has no transactions.").build();
    public static final ConfigKey<List<String>> PARTITION_ASSIGNMENT_STRATEGY = ConfigKey.listKey("partition.assignment.strategy", ConfigKey.ListSyntax.of("assignor names (range, roundrobin, sticky, cooperative-sticky)").checkedBy(ConsumerConfig::checkAssignor).nonEmptyList()).defaultValue(List.of(RangeAssignor.NAME, CooperativeStickyAssignor.NAME))
        .documentation("Assignors in order of preference; the group uses the first one every member supports.").build();
    public static final ConfigKey<String> CLIENT_RACK = ConfigKey.stringKey("client.rack").defaultValue("")
        .documentation("The rack of this consumer, sent in its subscription.").build();
    public static final ConfigKey<Integer> DEFAULT_API_TIMEOUT_MS = ConfigKey.intKey("default.api.timeout.ms").defaultValue(60_000).inRange(0, Integer.MAX_VALUE)
        .documentation("The timeout of blocking calls that take none (commitSync, committed, position, ...).").build();
    public static final ConfigKey<Boolean> CHECK_CRCS = ConfigKey.booleanKey("check.crcs").defaultValue(true)
        .documentation("Accepted for compatibility; CRCs are always checked.").build();
    public static final ConfigKey<Boolean> ALLOW_AUTO_CREATE_TOPICS = ConfigKey.booleanKey("allow.auto.create.topics").defaultValue(true)
        .documentation("Let metadata requests for subscribed topics create them (if the broker allows).").build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Deserializer>> KEY_DESERIALIZER = (ConfigKey) ConfigKey.classKey("key.deserializer", Deserializer.class)
        .documentation("Deserializer class for keys, unless one is passed to the constructor.").build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final ConfigKey<Class<? extends Deserializer>> VALUE_DESERIALIZER = (ConfigKey) ConfigKey.classKey("value.deserializer", Deserializer.class)
        .documentation("Deserializer class for values, unless one is passed to the constructor.").build();

    static final ConfigDefinition DEFINITION = CommonClientConfigs.definition().with(GROUP_ID, GROUP_INSTANCE_ID,
        SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, MAX_POLL_INTERVAL_MS, MAX_POLL_RECORDS, ENABLE_AUTO_COMMIT,
        AUTO_COMMIT_INTERVAL_MS, AUTO_OFFSET_RESET, FETCH_MIN_BYTES, FETCH_MAX_BYTES, FETCH_MAX_WAIT_MS,
        MAX_PARTITION_FETCH_BYTES, ISOLATION_LEVEL, PARTITION_ASSIGNMENT_STRATEGY, CLIENT_RACK, DEFAULT_API_TIMEOUT_MS,
        CHECK_CRCS, ALLOW_AUTO_CREATE_TOPICS, KEY_DESERIALIZER, VALUE_DESERIALIZER);

    private ConsumerConfig() {
    }

    /** The consumer's definition: the common keys plus the ones above. */
    public static ConfigDefinition definition() {
        return DEFINITION;
    }

    /** Parses and checks a consumer configuration, including the rules that involve two keys. */
    public static ClientConfig parse(Map<String, ?> values) {
        return check(ClientConfig.parse(DEFINITION, values));
    }

    public static ClientConfig parse(Properties properties) {
        return check(ClientConfig.parse(DEFINITION, properties));
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
