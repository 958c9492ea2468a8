/**
 * The clients' configuration: Kafka's key names, declared with the shared typed key library ({@code tributary-config}).
 *
 * <p>A key is an {@link io.tributary.config.ConfigKey} constant (name, type, default, validator, documentation) in
 * the class that owns it ({@link io.tributary.clients.config.CommonClientConfigs}, the producer's, consumer's and
 * admin's config classes). A client's {@link io.tributary.config.ConfigDefinition} is the common keys extended with
 * its own:
 * <pre>{@code
 * public static final ConfigKey<Long> LINGER_MS = ConfigKey.longKey("linger.ms").defaultValue(5L)
 *     .inRange(0, Long.MAX_VALUE).documentation("...").build();
 * static final ConfigDefinition DEFINITION = CommonClientConfigs.definition().with(LINGER_MS, ...);
 *
 * ClientConfig config = ClientConfig.parse(DEFINITION, mapOrProperties);     // checks everything, once
 * long linger = config.get(LINGER_MS);
 * }</pre>
 * An invalid value is a {@link io.tributary.clients.config.ConfigException} whose message names the key,
 * the value and what is allowed; a missing required key (bootstrap.servers) says so.
 */
package io.tributary.clients.config;
