package io.tributary.bench.workload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the key of each record from a fixed key space ({@code key-00000042}), following the workload's
 * {@link KeyDistribution}: null for none, every key equally likely for uniform, and for Zipf the key of
 * rank k (1-based) with probability proportional to 1 / k^exponent, by inverse transform over a precomputed
 * cumulative table. Keys are created once, so choosing one allocates nothing. Not thread-safe: one per producer.
 */
public final class KeyChooser {
    private final KeyDistribution distribution;
    private final byte[][] keys;
    private final double[] cumulative;
    private final SplittableRandom random;

    public KeyChooser(KeyDistribution distribution, int keySpace, double zipfExponent, long seed) {
        if (keySpace < 1) {
            throw new IllegalArgumentException("key-space " + keySpace + " must be at least 1");
        }
        this.distribution = distribution;
        this.random = new SplittableRandom(seed);
        this.keys = new byte[distribution == KeyDistribution.NONE ? 0 : keySpace][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.format("key-%08d", i).getBytes(StandardCharsets.US_ASCII);
        }
        this.cumulative = distribution == KeyDistribution.ZIPF ? zipfTable(keySpace, zipfExponent) : null;
    }

    private static double[] zipfTable(int n, double exponent) {
        double[] table = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1 / Math.pow(rank, exponent);
            table[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            table[i] /= sum;
        }
        table[n - 1] = 1.0; // rounding must not leave a gap above the last key
        return table;
    }

    /** The next key, or null when the distribution is none. */
    public byte[] next() {
        switch (distribution) {
            case NONE:
                return null;
            case UNIFORM:
                return keys[random.nextInt(keys.length)];
            default:
                int index = Arrays.binarySearch(cumulative, random.nextDouble());
                return keys[index >= 0 ? index : -index - 1];
        }
    }

    /** The index of {@code key} in the key space, for tests of the distribution. */
    static int indexOf(byte[] key) {
        return Integer.parseInt(new String(key, 4, key.length - 4, StandardCharsets.US_ASCII));
    }
}
