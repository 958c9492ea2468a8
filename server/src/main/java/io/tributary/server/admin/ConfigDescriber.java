package io.tributary.server.admin;

import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigType;
import io.tributary.log.LogConfig;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;
import io.tributary.server.config.ServerConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Describes topic and broker configs the way Kafka does, from the broker's {@link ServerConfig} and a
 * topic's effective {@link LogConfig}.
 *
 * <p>A topic config's value is the topic override when there is one (DYNAMIC_TOPIC_CONFIG), else the
 * broker default: STATIC_BROKER_CONFIG when one of its broker synonyms is set in the configuration,
 * DEFAULT_CONFIG otherwise. Its synonyms follow {@link ServerConfig#brokerSynonyms}: the override, every
 * broker synonym that is set, and last the embedded default of the lowest-precedence synonym (for
 * retention.ms that is log.retention.hours=168, as in Kafka). A topic-only key (routing.mode) has no broker
 * synonym: its synonyms end with its own embedded default. Topic configs are writable; broker configs
 * are all read-only, since this broker has no dynamic broker configs.
 *
 * <p>An ordered topic ({@code routing.mode=ordered}) also shows {@code routing.fences}: read-only, source
 * DYNAMIC_TOPIC_CONFIG (the broker keeps it per topic), value in {@link RoutingFences}' text form, "" until the
 * topic first grows. Consumers read it to hold new partitions (docs/ROUTING.md).
 *
 * <p>Entries come sorted by name, as Kafka's controller returns them.
 */
final class ConfigDescriber {
    private static final String FENCES_DOCUMENTATION = "Read-only. The growths of this ordered topic, oldest first, "
        + "separated by ';': before->after:o0,o1,... where oN is the end offset partition N had when the partitions "
        + "were added (its fence). Records below a fence were routed with the smaller count.";
    private final ServerConfig config;
    private final LogConfig brokerDefaults;

    ConfigDescriber(ServerConfig config) {
        this.config = config;
        this.brokerDefaults = config.logDefaults();
    }

    /** Every topic config of a topic whose effective settings are {@code topic} and which never grew. */
    List<DescribedConfig> topic(LogConfig topic) {
        return topic(topic, RoutingFences.NONE);
    }

    /** Every topic config of a topic whose effective settings are {@code topic}, with its growth fences. */
    List<DescribedConfig> topic(LogConfig topic, RoutingFences fences) {
        List<DescribedConfig> described = new ArrayList<>();
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            if (topic.isOverridden(key)) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), topic.value(key), ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            List<String> chain = ServerConfig.brokerSynonyms(key);
            if (chain.isEmpty()) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), key.defaultText(), ConfigSource.DEFAULT_CONFIG));
            } else {
                synonyms.addAll(brokerChain(chain));
            }
            described.add(new DescribedConfig(key.name(), topic.value(key), synonyms.get(0).source(), false,
                key.type(), key.documentation(), List.copyOf(synonyms)));
        }
        if (topic.routingMode == RoutingMode.ORDERED) {
            String value = fences.toConfigValue();
            described.add(new DescribedConfig(RoutingFences.CONFIG, value, ConfigSource.DYNAMIC_TOPIC_CONFIG, true, ConfigType.STRING,
                FENCES_DOCUMENTATION, List.of(new DescribedConfig.Synonym(RoutingFences.CONFIG, value, ConfigSource.DYNAMIC_TOPIC_CONFIG))));
        }
        described.sort(Comparator.comparing(DescribedConfig::name));
        return described;
    }

    /**
     * Every broker setting, read-only. A broker default of a topic config (log.retention.ms) shows the value
     * topics actually get, which for log.retention.ms and log.roll.ms may come from their minutes and hours
     * variants.
     */
    List<DescribedConfig> broker() {
        List<DescribedConfig> described = new ArrayList<>();
        for (String name : config.values().keySet()) {
            ConfigKey<?> topicKey = topicKeyOfSameUnitSynonym(name);
            List<DescribedConfig.Synonym> synonyms = brokerChain(chainFrom(name));
            String value = topicKey != null ? brokerDefaults.value(topicKey) : config.get(name);
            ConfigSource source = config.isExplicit(name) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
            described.add(new DescribedConfig(name, value, source, true, ServerConfig.valueType(name),
                ServerConfig.documentation(name),
                List.copyOf(synonyms)));
        }
        described.sort(Comparator.comparing(DescribedConfig::name));
        return described;
    }

    /** The topic key whose first (same-unit) broker synonym is {@code brokerKey} ("log.segment.bytes"), or null. */
    private static ConfigKey<?> topicKeyOfSameUnitSynonym(String brokerKey) {
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            if (!key.synonyms().isEmpty() && key.synonyms().get(0).name().equals(brokerKey)) {
                return key;
            }
        }
        return null;
    }

    /** The synonym chain {@code name} belongs to, from {@code name} on; just {@code name} if it is in none. */
    private static List<String> chainFrom(String name) {
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            List<String> chain = ServerConfig.brokerSynonyms(key);
            int at = chain.indexOf(name);
            if (at >= 0) {
                return chain.subList(at, chain.size());
            }
        }
        return List.of(name);
    }

    /** Each key of the chain that is set, then the embedded default of the last one. */
    private List<DescribedConfig.Synonym> brokerChain(List<String> chain) {
        List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
        for (String brokerKey : chain) {
            if (config.isExplicit(brokerKey)) {
                synonyms.add(new DescribedConfig.Synonym(brokerKey, config.get(brokerKey), ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        String last = chain.get(chain.size() - 1);
        synonyms.add(new DescribedConfig.Synonym(last, ServerConfig.defaultValue(last), ConfigSource.DEFAULT_CONFIG));
        return synonyms;
    }
}
