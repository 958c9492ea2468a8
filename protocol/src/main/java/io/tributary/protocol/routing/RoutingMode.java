package io.tributary.protocol.routing;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * How a keyed record's partition follows from its key and the topic's partition count: the values of the topic
 * config {@code routing.mode}.
 *
 * <ul>
 *   <li>{@link #HASH} ("hash", the default): Kafka's default placement, {@code toPositive(murmur2(key)) % count}.
 *       Growing the topic re-maps most keys, between old partitions too.</li>
 *   <li>{@link #ORDERED} ("ordered"): {@code JumpHash.bucket(unsigned murmur2(key), count)}. Growing from n to m
 *       partitions moves about (m - n)/m of the keys, each to one of the new partitions; the broker fences the
 *       old partitions at each growth so that per-key order survives it (docs/ROUTING.md).</li>
 * </ul>
 * Records without a key are not routed by either mode: any partition takes them.
 */
public enum RoutingMode {
    HASH("hash") {
        @Override
        int partitionOfHash(int murmur2, int partitionCount) {
            requirePositive(partitionCount);
            return Murmur2.toPositive(murmur2) % partitionCount;
        }
    },
    ORDERED("ordered") {
        @Override
        int partitionOfHash(int murmur2, int partitionCount) {
            return JumpHash.bucket(Integer.toUnsignedLong(murmur2), partitionCount);
        }
    };

    /** The topic config that holds a topic's mode. */
    public static final String CONFIG = "routing.mode";

    /** The value of {@link #CONFIG}. */
    public final String configName;

    RoutingMode(String configName) {
        this.configName = configName;
    }

    /**
     * The partition of a record with {@code key} (its remaining bytes; position and limit are left alone) in a
     * topic of {@code partitionCount} partitions.
     *
     * @throws IllegalArgumentException when {@code partitionCount} is not positive
     */
    public final int partition(ByteBuffer key, int partitionCount) {
        return partition(key, key.position(), key.remaining(), partitionCount);
    }

    public final int partition(byte[] key, int partitionCount) {
        return partitionOfHash(Murmur2.hash(key), partitionCount);
    }

    /**
     * The partition of a key held in {@code length} bytes of {@code buffer} from absolute index {@code start}
     * (read in place; the buffer's position and limit are neither used nor changed).
     *
     * @throws IllegalArgumentException when {@code partitionCount} is not positive
     */
    public final int partition(ByteBuffer buffer, int start, int length, int partitionCount) {
        return partitionOfHash(Murmur2.hash(buffer, start, length), partitionCount);
    }

    /** The partition of a key whose murmur2 is {@code murmur2}: both modes place by the same hash. */
    abstract int partitionOfHash(int murmur2, int partitionCount);

    private static void requirePositive(int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("Partition count must be positive, was " + partitionCount);
        }
    }

    /** @throws IllegalArgumentException naming the value and the accepted ones */
    public static RoutingMode forConfigName(String name) {
        for (RoutingMode mode : values()) {
            if (mode.configName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Unknown " + CONFIG + " '" + name + "' (known: hash, ordered)");
    }
}
