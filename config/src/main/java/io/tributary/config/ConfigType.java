package io.tributary.config;

/**
 * The kind of value a key takes, as Kafka names it (its {@code ConfigDef.Type}); {@link #kafkaId} is the
 * {@code config_type} DescribeConfigs (v3+) reports.
 */
public enum ConfigType {
    BOOLEAN(1),
    STRING(2),
    INT(3),
    LONG(5),
    DOUBLE(6),
    LIST(7),
    CLASS(8),
    PASSWORD(9);

    /** The wire id of DescribeConfigs' {@code config_type}. */
    public final byte kafkaId;

    ConfigType(int kafkaId) {
        this.kafkaId = (byte) kafkaId;
    }
}
