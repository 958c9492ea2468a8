package io.tributary.clients.admin;

import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;

/**
 * The admin client's settings: the common keys ({@link CommonClientConfigs}) plus the one deadline every
 * admin operation runs under. Names, meanings and defaults are Kafka's AdminClient's, so an existing admin
 * configuration carries over.
 */
public final class AdminConfig {
    private AdminConfig() {
    }

    public static final ConfigKey<Integer> DEFAULT_API_TIMEOUT_MS = ConfigKey.intKey("default.api.timeout.ms").defaultValue(60_000).inRange(0, Integer.MAX_VALUE)
        .documentation("How long one admin operation may take in all, retries included; a future not done by then "
            + "fails with a TimeoutException naming the operation and the last error seen.").build();

    /** The admin client's keys, validated once when the client is created. */
    public static ConfigDefinition definition() {
        return CommonClientConfigs.definition().with(DEFAULT_API_TIMEOUT_MS);
    }
}
