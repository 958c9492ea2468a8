package io.tributary.console.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-topic rates: differences of cumulative readings per second, unknown as null, a ring of fixed size. */
class TopicRatesTest {
    @Test
    void ratesAreDifferencesPerSecondAndUnknownCountersStayNull() {
        TopicRates rates = new TopicRates(3);
        rates.record(1_000, Map.of("a", new long[] {100, 1_000, -1, -1}));
        assertThat(rates.recordsInRate("a")).isNull();
        rates.record(3_000, Map.of("a", new long[] {300, 5_000, -1, -1}));
        assertThat(rates.recordsInRate("a")).isEqualTo(100.0);
        List<Map<String, Object>> samples = rates.samples("a");
        assertThat(samples).hasSize(1);
        assertThat(samples.get(0)).containsEntry("time", 3_000L).containsEntry("recordsIn", 100.0).containsEntry("bytesIn", 2_000.0)
            .containsEntry("recordsOut", null);
    }

    @Test
    void aCounterGoingBackwardsGivesZeroDeletedTopicsGoAndTheRingKeepsTheNewest() {
        TopicRates rates = new TopicRates(2);
        rates.record(0, Map.of("a", new long[] {50, 0, 0, 0}, "b", new long[] {0, 0, 0, 0}));
        rates.record(1_000, Map.of("a", new long[] {10, 0, 0, 0}, "b", new long[] {5, 0, 0, 0}));
        assertThat(rates.recordsInRate("a")).isZero();
        rates.record(2_000, Map.of("a", new long[] {20, 0, 0, 0}));
        rates.record(3_000, Map.of("a", new long[] {40, 0, 0, 0}));
        assertThat(rates.samples("b")).isEmpty();
        assertThat(rates.samples("a")).extracting(s -> s.get("time")).containsExactly(2_000L, 3_000L);
        assertThat(rates.samples("a")).extracting(s -> s.get("recordsIn")).containsExactly(10.0, 20.0);
        rates.clear();
        assertThat(rates.samples("a")).isEmpty();
    }
}
