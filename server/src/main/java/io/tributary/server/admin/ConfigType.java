package io.tributary.server.admin;

import io.tributary.log.LogConfigKey;
import io.tributary.server.config.ServerConfig;

/** The type of a config value, with Kafka's wire ids (DescribeConfigs v3+ {@code config_type}). */
enum ConfigType {
    BOOLEAN(1),
    STRING(2),
    INT(3),
    LONG(5),
    DOUBLE(6),
    LIST(7);

    final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }

    static ConfigType of(LogConfigKey key) {
        return of(ServerConfig.valueType(key));
    }

    static ConfigType of(ServerConfig.ValueType type) {
        return switch (type) {
            case BOOLEAN -> BOOLEAN;
            case STRING -> STRING;
            case INT -> INT;
            case LONG -> LONG;
            case DOUBLE -> DOUBLE;
            case LIST -> LIST;
        };
    }
}
