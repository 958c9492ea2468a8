package io.tributary.bench.workload;

import java.util.Locale;

/** How producers choose record keys: no key (the client spreads records), uniformly, or Zipf-skewed. */
public enum KeyDistribution {
    NONE, UNIFORM, ZIPF;

    /** @throws IllegalArgumentException naming the value and the accepted ones */
    public static KeyDistribution forName(String name) {
        for (KeyDistribution d : values()) {
            if (d.name().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("key-distribution '" + name + "' is not one of none, uniform, zipf");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
