package io.tributary.server.admin;

/**
 * Where a described config value comes from, with Kafka's wire ids (DescribeConfigs {@code config_source},
 * CreateTopics v5+ {@code config_source}). Only the sources this broker can produce are listed: topic
 * overrides, server.properties (or --override) settings, and embedded defaults; there are no dynamic
 * broker configs yet.
 */
enum ConfigSource {
    DYNAMIC_TOPIC_CONFIG(1),
    STATIC_BROKER_CONFIG(4),
    DEFAULT_CONFIG(5);

    final byte id;

    ConfigSource(int id) {
        this.id = (byte) id;
    }
}
