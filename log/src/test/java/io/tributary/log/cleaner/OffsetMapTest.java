package io.tributary.log.cleaner;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetMapTest {
    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void memoryIsFixedByTheBudgetAndNewKeysAreRefusedWhenFull() {
        OffsetMap map = new OffsetMap(1024);
        assertThat(map.memoryBytes()).isLessThanOrEqualTo(1024);
        assertThat(map.capacity()).isEqualTo((int) (1024 / OffsetMap.BYTES_PER_SLOT * OffsetMap.MAX_LOAD_FACTOR));
        for (int i = 0; i < map.capacity(); i++) {
            assertThat(map.put(key("k" + i), i)).isTrue();
        }
        assertThat(map.put(key("one-too-many"), 1000)).isFalse();
        assertThat(map.get(key("one-too-many"))).isEqualTo(-1);
        assertThat(map.put(key("k3"), 2000)).as("an update of a known key still fits").isTrue();
        assertThat(map.get(key("k3"))).isEqualTo(2000);
        assertThat(map.size()).isEqualTo(map.capacity());
        assertThat(map.latestOffset()).isEqualTo(2000);

        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("k3"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(-1);
        assertThatThrownBy(() -> new OffsetMap(47)).hasMessageContaining("47 bytes").hasMessageContaining("at least 2");
    }

    @Test
    void keysAreComparedByContentNotByBufferPosition() {
        OffsetMap map = new OffsetMap(4096);
        ByteBuffer padded = ByteBuffer.wrap("xxabcxx".getBytes(StandardCharsets.UTF_8), 2, 3).slice();
        map.put(padded, 7);
        assertThat(padded.position()).isZero();
        assertThat(map.get(key("abc"))).isEqualTo(7);
        assertThat(map.get(ByteBuffer.allocate(0))).isEqualTo(-1);
        map.put(ByteBuffer.allocate(0), 9);
        assertThat(map.get(ByteBuffer.allocate(0))).isEqualTo(9);
        assertThat(map.get(key("abc").asReadOnlyBuffer())).isEqualTo(7);
    }

    @Property(tries = 200)
    void behavesAsAHashMapUpToItsCapacity(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 300) Integer> keys,
                                         @ForAll @IntRange(min = 48, max = 8192) int budget) {
        OffsetMap map = new OffsetMap(budget);
        Map<Integer, Long> model = new HashMap<>();
        long offset = 0;
        for (int k : keys) {
            boolean fits = model.containsKey(k) || model.size() < map.capacity();
            assertThat(map.put(key("key-" + k), offset)).isEqualTo(fits);
            if (fits) {
                model.put(k, offset);
            }
            offset++;
        }
        for (int k = 0; k <= 300; k++) {
            assertThat(map.get(key("key-" + k))).isEqualTo(model.getOrDefault(k, -1L));
        }
        assertThat(map.size()).isEqualTo(model.size());
    }
}
