package io.tributary.server.quota;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;

/**
 * How client quotas are measured, under Kafka's key names ({@link #KEYS}): a rate is taken over
 * {@code quota.window.num} samples of {@code quota.window.size.seconds} each, and a throttle is at most one sample long.
 *
 * @param samples  quota.window.num
 * @param windowMs quota.window.size.seconds in milliseconds
 */
public record QuotaSettings(int samples, long windowMs) {
    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<Integer> WINDOW_NUM = OWN.add(ConfigKey.intKey("quota.window.num").defaultValue(11)
        .inRange(1, 1000).documentation("The number of samples a client quota's rate is measured over.").build());
    public static final ConfigKey<Integer> WINDOW_SIZE_SECONDS = OWN.add(ConfigKey.intKey("quota.window.size.seconds")
        .defaultValue(1).inRange(1, 3600).documentation("The length of one sample of a client quota's rate; also the longest"
            + " throttle a single response asks for.").build());

    /** Every quota key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    public static QuotaSettings of(ConfigValues values) {
        return new QuotaSettings(values.get(WINDOW_NUM), values.get(WINDOW_SIZE_SECONDS) * 1000L);
    }
}
