/**
 * Typed, validated client configuration with Kafka's key names.
 *
 * <p>A key is a {@link io.tributary.clients.config.ConfigKey} constant (name, type, default, allowed range or
 * choices, documentation). A client's {@link io.tributary.clients.config.ConfigDef} is the common keys
 * extended with its own:
 * <pre>{@code
 * public static final ConfigKey<Long> LINGER_MS = ConfigKey.ofLong("linger.ms", 5, 0, Long.MAX_VALUE, "...");
 * static final ConfigDef DEFINITION = CommonClientConfigs.definition().with(LINGER_MS, ...);
 *
 * ClientConfig config = DEFINITION.parse(mapOrProperties);     // checks everything, once
 * long linger = config.get(LINGER_MS);
 * }</pre>
 * An invalid value is a {@link io.tributary.clients.config.ConfigException} whose message names the key,
 * the value and what is allowed; a missing required key (bootstrap.servers) says so.
 */
package io.tributary.clients.config;
