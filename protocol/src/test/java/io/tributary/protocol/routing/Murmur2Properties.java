package io.tributary.protocol.routing;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka's {@code Utils.murmur2} and {@code toPositive} (kafka-clients, test scope) as the oracle. */
class Murmur2Properties {

    @Property(tries = 2000)
    void hashIsKafkasMurmur2(@ForAll @Size(max = 64) byte[] key) {
        assertThat(Murmur2.hash(key)).isEqualTo(Utils.murmur2(key));
    }

    /** A key inside a larger buffer (as in a produce request) hashes as its own bytes; the buffer is untouched. */
    @Property(tries = 1000)
    void bufferSliceHashesAsItsBytes(@ForAll @Size(max = 40) byte[] key,
                                     @ForAll @IntRange(max = 7) int before, @ForAll @IntRange(max = 7) int after) {
        ByteBuffer around = ByteBuffer.allocate(before + key.length + after);
        around.position(before);
        around.put(key);
        around.position(before).limit(before + key.length);

        assertThat(Murmur2.hash(around)).isEqualTo(Utils.murmur2(key));
        assertThat(around.position()).isEqualTo(before);
        assertThat(around.limit()).isEqualTo(before + key.length);
    }

    /** Blocks are read as ints: the buffer's byte order and kind (heap, direct) must not change the hash. */
    @Property(tries = 500)
    void byteOrderAndDirectnessDoNotMatter(@ForAll @Size(max = 40) byte[] key, @ForAll boolean direct,
                                           @ForAll boolean littleEndian, @ForAll @IntRange(max = 3) int before) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(before + key.length) : ByteBuffer.allocate(before + key.length);
        buffer.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        buffer.position(before);
        buffer.put(key);
        buffer.position(before);

        assertThat(Murmur2.hash(buffer)).isEqualTo(Utils.murmur2(key));
    }

    @Property(tries = 1000)
    void toPositiveIsKafkas(@ForAll int hash) {
        assertThat(Murmur2.toPositive(hash)).isEqualTo(Utils.toPositive(hash)).isNotNegative();
    }

    @Property(tries = 1000)
    void partitionIsKafkasDefaultPlacement(@ForAll @Size(max = 32) byte[] key,
                                           @ForAll @IntRange(min = 1, max = 10_000) int partitions) {
        assertThat(Murmur2.partition(ByteBuffer.wrap(key), partitions))
            .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
    }

    /** Known values, so the oracle itself is pinned: Kafka's own test vectors for these strings. */
    @Test
    void knownValues() {
        assertThat(Murmur2.hash("21".getBytes(StandardCharsets.UTF_8))).isEqualTo(-973932308);
        assertThat(Murmur2.hash("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(-790332482);
        assertThat(Murmur2.hash("a-little-bit-long-string".getBytes(StandardCharsets.UTF_8))).isEqualTo(-985981536);
        assertThat(Murmur2.hash(new byte[0])).isEqualTo(Utils.murmur2(new byte[0]));
    }

    @Test
    void nonPositivePartitionCountIsRefused() {
        assertThatThrownBy(() -> Murmur2.partition(ByteBuffer.allocate(1), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
