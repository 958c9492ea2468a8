package io.tributary.server.admin;

import io.tributary.log.LogConfigKey;
import io.tributary.server.config.ServerConfig;

/** The type of a config value, with Kafka's wire ids (DescribeConfigs v3+ {@code config_type}). */
enum ConfigType {
    BOOLEAN(1),
    STRING(2),
    INT(3),
    LONG(5),
    LIST(7);

    final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }

    /** Numbers that fit an int32 are INT as in Kafka (segment.bytes), wider ones LONG (retention.ms). */
    static ConfigType of(LogConfigKey key) {
        if (!key.isNumeric()) {
            return STRING;
        }
        return key.maxValue() <= Integer.MAX_VALUE ? INT : LONG;
    }

    static ConfigType of(ServerConfig.ValueType type) {
        return switch (type) {
            case BOOLEAN -> BOOLEAN;
            case STRING -> STRING;
            case INT -> INT;
            case LONG -> LONG;
            case LIST -> LIST;
        };
    }
}
