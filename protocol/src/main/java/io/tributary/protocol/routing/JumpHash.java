package io.tributary.protocol.routing;

/**
 * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014): maps a
 * 64-bit key to one of {@code buckets} buckets so that growing from n to m buckets moves a key only if its new
 * bucket is one of the added ones ({@code bucket(k, m) == bucket(k, n)} or {@code bucket(k, m) >= n}), and
 * each bucket gets about 1/m of the keys. So a growth from n to m moves about (m - n)/m of the keys, the least
 * any balanced mapping can, and never from one old bucket to another.
 *
 * <p>How: the key seeds a 64-bit linear congruential generator; starting at bucket 0, each step jumps forward
 * to the next bucket count at which the key would move, and the last jump below {@code buckets} is the answer.
 * O(log buckets) steps, no allocation, no table.
 */
public final class JumpHash {
    /** The LCG multiplier of the paper (Knuth's MMIX multiplier variant 2862933555777941757). */
    private static final long MULTIPLIER = 2862933555777941757L;
    private static final double TWO_TO_31 = 1L << 31;

    private JumpHash() {
    }

    /**
     * The bucket of {@code key} among {@code buckets}: in [0, buckets).
     *
     * @throws IllegalArgumentException when {@code buckets} is not positive
     */
    public static int bucket(long key, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("Bucket count must be positive, was " + buckets);
        }
        long state = key;
        long bucket = -1;
        long next = 0;
        while (next < buckets) {
            bucket = next;
            state = state * MULTIPLIER + 1;
            // The top 31 bits of the state as a uniform draw in (0, 1], inverted: the next bucket count at which
            // this key jumps. (bucket + 1) * 2^31 stays below 2^62, so the product fits a long.
            next = (long) ((bucket + 1) * (TWO_TO_31 / (double) ((state >>> 33) + 1)));
        }
        return (int) bucket;
    }
}
