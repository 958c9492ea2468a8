package io.tributary.server.produce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Producer ids in blocks from the quorum: a pre-cluster reservation is respected, blocks follow each other. */
class QuorumProducerIdsTest {
    @TempDir
    Path dir;

    /** A controller: blocks of 1000 from the cluster's next free id, raised to what the broker asks for. */
    private final AtomicLong clusterNext = new AtomicLong();
    private final List<Long> asked = new ArrayList<>();

    private long reserve(long atLeast) {
        asked.add(atLeast);
        long first = Math.max(clusterNext.get(), atLeast);
        clusterNext.set(first + ProducerIdAllocator.BLOCK_SIZE);
        return first;
    }

    @Test
    void aPreClusterReservationIsTheFloorOfTheFirstBlockAndEveryIdIsNew() throws Exception {
        Files.writeString(dir.resolve(ProducerIdAllocator.FILE_NAME), "0\n5000\n", StandardCharsets.UTF_8);
        ProducerIdAllocator allocator = ProducerIdAllocator.fromQuorum(dir, this::reserve, clusterNext::get);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < ProducerIdAllocator.BLOCK_SIZE + 5; i++) {
            long id = allocator.allocate();
            assertThat(id).as("above the pre-cluster reservation").isGreaterThanOrEqualTo(5000);
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(asked).containsExactly(5000L, 6000L);
        assertThat(allocator.mayHaveIssued(4999)).as("issued by the pre-cluster broker").isTrue();
        // another broker took the next block: ids below the cluster's next free one may be in use
        clusterNext.addAndGet(ProducerIdAllocator.BLOCK_SIZE);
        assertThat(allocator.mayHaveIssued(clusterNext.get() - 1)).isTrue();
        assertThat(allocator.mayHaveIssued(clusterNext.get())).isFalse();
    }

    @Test
    void noBlockFromTheQuorumIsRetriableAndHandsOutNothing() {
        ProducerIdAllocator allocator = ProducerIdAllocator.fromQuorum(dir, atLeast -> {
            throw new ProducerIdAllocator.Unavailable("no controller", null);
        }, () -> 0);
        assertThatThrownBy(allocator::allocate).isInstanceOf(ProducerIdAllocator.Unavailable.class);
        assertThat(allocator.mayHaveIssued(0)).isFalse();
        assertThat(Files.exists(dir.resolve(ProducerIdAllocator.FILE_NAME))).as("the quorum mode never writes the file").isFalse();
    }
}
