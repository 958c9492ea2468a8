/**
 * Typed configuration keys, declared once next to the settings record they fill.
 *
 * <p>A {@link io.tributary.config.ConfigKey} carries a setting's Kafka name, its {@link io.tributary.config.ConfigType},
 * default, {@link io.tributary.config.Validator}, {@link io.tributary.config.Importance}, documentation and, for a
 * topic-level key, the broker-level keys that supply its default ({@link io.tributary.config.Synonym}s, in Kafka's
 * order). A module groups its keys into a {@link io.tributary.config.ConfigDefinition}; parsing a map of settings
 * against it gives {@link io.tributary.config.ConfigValues}, from which the module builds its validated settings
 * record once, at start. The broker composes the modules' definitions; the configuration reference is generated
 * from them.
 *
 * <p>Every refusal is a {@link io.tributary.config.ConfigException} naming the key, the value as given and what is
 * allowed: {@code Invalid value 0 for configuration num.partitions: a whole number in [1, 100000]}.
 *
 * <p>Design note: this module depends on nothing, so the clients (which must not know the broker) and every broker
 * module declare their keys in the same dialect.
 */
package io.tributary.config;
