package io.tributary.server.admin;

import io.tributary.config.ConfigKey;
import io.tributary.log.LogConfig;
import io.tributary.protocol.ErrorCode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What the config-changing requests ask for, as a new set of topic overrides, checked before anything is
 * written: AlterConfigs replaces the overrides wholesale (Kafka's semantics: a key not named reverts to
 * the broker default), IncrementalAlterConfigs edits them key by key. Values are validated afterwards, all
 * together, by {@link io.tributary.log.LogConfig}; this class refuses what is wrong with the request itself
 * (a key named twice, a null value, an operation that does not exist) and keys no topic has.
 */
final class ConfigChanges {
    /** IncrementalAlterConfigs {@code config_operation} values. */
    static final byte SET = 0;
    static final byte DELETE = 1;
    static final byte APPEND = 2;
    static final byte SUBTRACT = 3;

    private static final String KNOWN_KEYS = LogConfig.TOPIC_KEYS.keys().stream()
        .map(ConfigKey::name).sorted().collect(Collectors.joining(", "));

    private ConfigChanges() {
    }

    /** One (name, value) of a request; the value may be null. */
    record Entry(String name, String value) {
    }

    /** One IncrementalAlterConfigs operation. */
    record Operation(String name, byte op, String value) {
    }

    /** @throws AdminException INVALID_CONFIG for a key that is not a topic config of this broker */
    static ConfigKey<?> requireKnown(String name) {
        ConfigKey<?> key = LogConfig.topicKey(name);
        if (key == null) {
            throw new AdminException(ErrorCode.INVALID_CONFIG, "Unknown topic config name: " + name
                + " (this broker's topic configs are " + KNOWN_KEYS + ")");
        }
        return key;
    }

    /**
     * The overrides a CreateTopics topic asks for.
     *
     * @throws AdminException INVALID_REQUEST for a key named twice, INVALID_CONFIG for a null value or an unknown key
     */
    static Map<String, String> creation(List<Entry> configs) {
        Map<String, String> overrides = new TreeMap<>();
        for (Entry entry : configs) {
            requireKnown(entry.name());
            if (entry.value() == null) {
                throw new AdminException(ErrorCode.INVALID_CONFIG, "Null value not supported for topic configs: " + entry.name());
            }
            if (overrides.put(entry.name(), entry.value()) != null) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys : " + entry.name());
            }
        }
        return overrides;
    }

    /**
     * The overrides an AlterConfigs resource sets: exactly the ones named.
     *
     * @throws AdminException INVALID_REQUEST for a key named twice or a null value, INVALID_CONFIG for an unknown key
     */
    static Map<String, String> replacement(List<Entry> configs) {
        Map<String, String> overrides = new TreeMap<>();
        for (Entry entry : configs) {
            if (entry.value() == null) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Null value not supported for : " + entry.name());
            }
            requireKnown(entry.name());
            if (overrides.put(entry.name(), entry.value()) != null) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys : " + entry.name());
            }
        }
        return overrides;
    }

    /**
     * The edit an IncrementalAlterConfigs resource makes to the current overrides. The operations are
     * checked now, in full, so a bad one refuses the resource before anything is read or written.
     *
     * @throws AdminException INVALID_REQUEST for a key named twice, an unknown operation or a null value
     *                        outside DELETE; INVALID_CONFIG for an unknown key, or APPEND/SUBTRACT on a config
     *                        that is not a list (no topic config of this broker is)
     */
    static UnaryOperator<Map<String, String>> incremental(List<Operation> operations) {
        Set<String> seen = new HashSet<>();
        for (Operation operation : operations) {
            if (!seen.add(operation.name())) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys : " + operation.name());
            }
        }
        for (Operation operation : operations) {
            String name = operation.name();
            if (operation.op() < SET || operation.op() > SUBTRACT) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Unknown config operation " + operation.op()
                    + " for " + name + ": expected 0 (SET), 1 (DELETE), 2 (APPEND) or 3 (SUBTRACT)");
            }
            requireKnown(name);
            if (operation.value() == null && operation.op() != DELETE) {
                throw new AdminException(ErrorCode.INVALID_REQUEST, "Null value not supported for : "
                    + opName(operation.op()) + ":" + name);
            }
            if (operation.op() == APPEND || operation.op() == SUBTRACT) {
                throw new AdminException(ErrorCode.INVALID_CONFIG, "Config value " + opName(operation.op()).toLowerCase(java.util.Locale.ROOT)
                    + " is not allowed for config key: " + name + " (only list-typed configs take APPEND and SUBTRACT)");
            }
        }
        return current -> {
            Map<String, String> next = new LinkedHashMap<>(current);
            for (Operation operation : operations) {
                if (operation.op() == SET) {
                    next.put(operation.name(), operation.value());
                } else {
                    next.remove(operation.name());
                }
            }
            return next;
        };
    }

    private static String opName(byte op) {
        return switch (op) {
            case SET -> "SET";
            case DELETE -> "DELETE";
            case APPEND -> "APPEND";
            default -> "SUBTRACT";
        };
    }
}
