package io.tributary.protocol.routing;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The properties ordered routing relies on: a growth moves a key only to an added partition, moves about the
 * share of keys it must and no more, and keeps partitions balanced.
 */
class JumpHashProperties {
    private static final int KEYS = 20_000;

    @Property(tries = 2000)
    void bucketIsInRange(@ForAll long key, @ForAll @IntRange(min = 1, max = 100_000) int buckets) {
        assertThat(JumpHash.bucket(key, buckets)).isBetween(0, buckets - 1);
    }

    /** A key stays in its old partition or moves to one of the added partitions, never to another old one. */
    @Property(tries = 3000)
    void growthMovesKeysOnlyToNewPartitions(@ForAll @Size(max = 40) byte[] key,
                                            @ForAll @IntRange(min = 1, max = 2000) int before,
                                            @ForAll @IntRange(min = 1, max = 2000) int added) {
        int after = before + added;
        int old = RoutingMode.ORDERED.partition(key, before);
        int now = RoutingMode.ORDERED.partition(key, after);

        assertThat(now == old || now >= before)
            .as("key moved from old partition %d to old partition %d growing %d -> %d", old, now, before, after).isTrue();
    }

    /** Several growths in a row (6 -> 12 -> 18, say): the same holds across every step and across all of them. */
    @Property(tries = 1000)
    void successiveGrowthsNeverMoveAKeyBetweenOlderPartitions(@ForAll long key,
                                                              @ForAll @IntRange(min = 1, max = 50) int first,
                                                              @ForAll @IntRange(min = 1, max = 50) int second,
                                                              @ForAll @IntRange(min = 1, max = 50) int third) {
        int a = first;
        int b = a + second;
        int c = b + third;
        int inA = JumpHash.bucket(key, a);
        int inB = JumpHash.bucket(key, b);
        int inC = JumpHash.bucket(key, c);
        assertThat(inB == inA || inB >= a).isTrue();
        assertThat(inC == inB || inC >= b).isTrue();
        assertThat(inC == inA || inC >= a).isTrue();
    }

    /**
     * Only the keys that must move do: growing n -> m moves (m - n)/m of them, within 3 points for 20,000 random
     * keys (the binomial standard deviation is below 0.4 points), and every partition ends up with close to 1/m.
     */
    @Property(tries = 40)
    void growthMovesTheMinimalShareAndStaysBalanced(@ForAll long seed,
                                                    @ForAll @IntRange(min = 1, max = 48) int before,
                                                    @ForAll @IntRange(min = 1, max = 48) int added) {
        int after = before + added;
        Random random = new Random(seed);
        int moved = 0;
        int[] perPartition = new int[after];
        byte[] key = new byte[16];
        for (int i = 0; i < KEYS; i++) {
            random.nextBytes(key);
            int old = RoutingMode.ORDERED.partition(key, before);
            int now = RoutingMode.ORDERED.partition(key, after);
            if (now != old) {
                moved++;
            }
            perPartition[now]++;
        }
        double expectedShare = (double) added / after;
        assertThat((double) moved / KEYS).isCloseTo(expectedShare, org.assertj.core.data.Offset.offset(0.03));
        double mean = (double) KEYS / after;
        for (int p = 0; p < after; p++) {
            assertThat((double) perPartition[p]).as("keys in partition %d of %d", p, after)
                .isBetween(mean * 0.65, mean * 1.35);
        }
    }

    /**
     * Kafka's default routing, for contrast: growing 12 -> 18 moves keys between old partitions. (A doubling would
     * not — h % 2n mod n is h % n — but it still moves half the keys, from p to p + n.)
     */
    @Test
    void hashRoutingMovesKeysBetweenOldPartitions() {
        Random random = new Random(42);
        int betweenOld = 0;
        byte[] key = new byte[8];
        for (int i = 0; i < 1000; i++) {
            random.nextBytes(key);
            int old = RoutingMode.HASH.partition(key, 12);
            int now = RoutingMode.HASH.partition(key, 18);
            if (now != old && now < 12) {
                betweenOld++;
            }
        }
        assertThat(betweenOld).isGreaterThan(100);
    }

    @Test
    void orderedRoutingHashesTheKeyWithMurmur2() {
        byte[] key = "order-17".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long unsignedHash = Integer.toUnsignedLong(Murmur2.hash(key));
        assertThat(RoutingMode.ORDERED.partition(ByteBuffer.wrap(key), 18)).isEqualTo(JumpHash.bucket(unsignedHash, 18));
        assertThat(RoutingMode.ORDERED.partition(key, 1)).isZero();
    }

    @Test
    void nonPositiveCountsAndUnknownModesAreRefused() {
        assertThatThrownBy(() -> JumpHash.bucket(1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> RoutingMode.ORDERED.partition(new byte[1], -3)).hasMessageContaining("-3");
        assertThatThrownBy(() -> RoutingMode.forConfigName("sorted")).hasMessageContaining("sorted").hasMessageContaining("ordered");
        assertThat(RoutingMode.forConfigName(" Ordered ")).isEqualTo(RoutingMode.ORDERED);
    }
}
