package io.tributary.config;

/** How much an operator should care about a key, as Kafka ranks them in its documentation. */
public enum Importance {
    HIGH,
    MEDIUM,
    LOW
}
