package io.tributary.protocol.routing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingFencesProperties {

    @Provide
    Arbitrary<RoutingFences> histories() {
        Arbitrary<Integer> initial = Arbitraries.integers().between(1, 30);
        Arbitrary<List<Integer>> additions = Arbitraries.integers().between(1, 30).list().ofMaxSize(5);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(initial, additions, seeds).as((first, added, seed) -> {
            java.util.Random random = new java.util.Random(seed);
            RoutingFences fences = RoutingFences.NONE;
            int count = first;
            long[] ends = new long[count];
            for (int more : added) {
                for (int p = 0; p < count; p++) {
                    ends[p] += random.nextInt(1000);
                }
                fences = fences.grownTo(count, count + more, java.util.Arrays.copyOf(ends, count));
                count += more;
                ends = java.util.Arrays.copyOf(ends, count);
            }
            return fences;
        });
    }

    @Property(tries = 300)
    void textFormRoundTrips(@ForAll("histories") RoutingFences fences) {
        assertThat(RoutingFences.parse(fences.toConfigValue())).isEqualTo(fences);
    }

    @Property(tries = 300)
    void everyPartitionHasTheGenerationThatCreatedIt(@ForAll("histories") RoutingFences fences) {
        int generation = 0;
        int start = 0;
        for (RoutingFences.Growth growth : fences.growths()) {
            for (int p = start; p < growth.partitionsBefore(); p++) {
                assertThat(fences.generationOf(p)).isEqualTo(generation);
            }
            start = growth.partitionsBefore();
            generation++;
            assertThat(fences.growthOf(generation)).isSameAs(growth);
        }
        for (int p = start; p < (fences.isEmpty() ? 10 : fences.growths().get(fences.growths().size() - 1).partitionsAfter()); p++) {
            assertThat(fences.generationOf(p)).isEqualTo(generation);
        }
    }

    @Test
    void documentedExampleReads() {
        RoutingFences fences = RoutingFences.parse("2->4:10,7;4->6:12,7,3,0");
        assertThat(fences.growths()).hasSize(2);
        assertThat(fences.growthOf(2).fenceOffset(2)).isEqualTo(3);
        assertThat(fences.generationOf(1)).isZero();
        assertThat(fences.generationOf(3)).isEqualTo(1);
        assertThat(fences.generationOf(5)).isEqualTo(2);
        assertThat(RoutingFences.parse("")).isEqualTo(RoutingFences.NONE);
        assertThat(RoutingFences.NONE.toConfigValue()).isEmpty();
    }

    @Test
    void inconsistentHistoriesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> RoutingFences.parse("2->4:10")).hasMessageContaining("1 fence offsets");
        assertThatThrownBy(() -> RoutingFences.parse("2->2:1,1")).hasMessageContaining("does not add");
        assertThatThrownBy(() -> RoutingFences.parse("2->4:1,1;5->6:1,1,1,1,1")).hasMessageContaining("ended at 4");
        assertThatThrownBy(() -> RoutingFences.parse("2->4:5,1;4->5:4,1,0,0")).hasMessageContaining("below its earlier fence 5");
        assertThatThrownBy(() -> RoutingFences.parse("2->4:x,1")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> RoutingFences.parse("2-4:1,1")).hasMessageContaining("before->after");
        assertThatThrownBy(() -> RoutingFences.parse("1->2:-1")).hasMessageContaining("-1");
        assertThatThrownBy(() -> RoutingFences.parse("2->4:1,1").generationOf(4)).hasMessageContaining("ended at 4");
    }
}
