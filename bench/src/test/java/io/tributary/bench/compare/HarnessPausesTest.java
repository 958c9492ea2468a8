package io.tributary.bench.compare;

import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HarnessPausesTest {

    @Test
    void pausesAreCountedSummedAndTheLongestKept() {
        HarnessPauses pauses = HarnessPauses.start();
        pauses.record(3);
        pauses.record(12);
        pauses.record(5);
        Map<String, Double> f = pauses.stop();
        assertThat(f.get("harness GC pauses (count)")).isGreaterThanOrEqualTo(3.0);
        assertThat(f.get("harness GC pause total (ms)")).isGreaterThanOrEqualTo(20.0);
        assertThat(f.get("harness GC pause max (ms)")).isGreaterThanOrEqualTo(12.0);
    }

    @Test
    void aCollectionInTheWindowIsHeard() {
        long before = ManagementFactory.getGarbageCollectorMXBeans().stream().filter(b -> HarnessPauses.pauses(b.getName()))
            .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        HarnessPauses pauses = HarnessPauses.start();
        System.gc();
        // Notifications come on a JMX thread after the collection: wait for the count, with a deadline.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Double> f = Map.of("harness GC pauses (count)", 0.0);
        while (System.nanoTime() < deadline) {
            f = pauses.figures();
            if (f.get("harness GC pauses (count)") >= 1) {
                break;
            }
            Thread.onSpinWait();
        }
        Map<String, Double> stopped = pauses.stop();
        long after = ManagementFactory.getGarbageCollectorMXBeans().stream().filter(b -> HarnessPauses.pauses(b.getName()))
            .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        assertThat(after).isGreaterThan(before);
        assertThat(stopped.get("harness GC pauses (count)")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void concurrentCyclesAreNotPauses() {
        assertThat(HarnessPauses.pauses("G1 Young Generation")).isTrue();
        assertThat(HarnessPauses.pauses("G1 Old Generation")).isTrue();
        assertThat(HarnessPauses.pauses("G1 Concurrent GC")).isFalse();
        assertThat(HarnessPauses.pauses("ZGC Cycles")).isFalse();
        assertThat(HarnessPauses.pauses("ZGC Pauses")).isTrue();
    }
}
