package io.tributary.bench.harness;

import io.tributary.bench.report.LatencySummary;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTest {

    @Test
    void warmUpIntervalsAreHarvestedButNotKept() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordNanos(50_000_000);
        assertThat(recorder.harvest(false).getTotalCount()).isEqualTo(1);
        recorder.recordNanos(2_000_000);
        recorder.recordNanos(3_000_000);
        assertThat(recorder.harvest(true).getTotalCount()).isEqualTo(2);
        assertThat(recorder.harvest(true).getTotalCount()).isZero();
        Histogram total = recorder.total();
        assertThat(total.getTotalCount()).isEqualTo(2);
        assertThat(total.getMaxValue()).isBetween(2_997L, 3_003L); // microseconds, three significant digits
    }

    @Test
    void valuesOutsideTheRangeAreClampedNotDropped() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordNanos(-5);                        // a clock step backwards: counted as 0
        recorder.recordNanos(10L * 3_600_000_000_000L);  // ten hours: counted as the hour the histogram holds
        recorder.harvest(true);
        Histogram total = recorder.total();
        assertThat(total.getTotalCount()).isEqualTo(2);
        assertThat(total.getMinValue()).isZero();
        assertThat((double) total.getMaxValue()).isCloseTo(LatencyRecorder.MAX_MICROS, within(LatencyRecorder.MAX_MICROS * 0.001));
    }

    @Test
    void recordingFromManyThreadsLosesNothing() throws InterruptedException {
        LatencyRecorder recorder = new LatencyRecorder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    recorder.recordNanos(1_000L * (i % 1000 + 1));
                }
            });
            threads.add(thread);
            thread.start();
        }
        long harvested = 0;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                harvested += recorder.harvest(true).getTotalCount();
                thread.join(1);
            }
        }
        harvested += recorder.harvest(true).getTotalCount();
        assertThat(harvested).isEqualTo(400_000);
        assertThat(recorder.total().getTotalCount()).isEqualTo(400_000);
    }

    @Test
    void theSummaryReadsPercentilesInMillisecondsAndACurveUpToFourNines() {
        Histogram micros = new Histogram(LatencyRecorder.MAX_MICROS, 3);
        for (long v = 1; v <= 100_000; v++) {
            micros.recordValue(v); // 1 µs .. 100 ms, uniform
        }
        LatencySummary s = LatencySummary.of(micros);
        assertThat(s.count()).isEqualTo(100_000);
        assertThat(s.p50Ms()).isCloseTo(50, within(0.1));
        assertThat(s.p90Ms()).isCloseTo(90, within(0.1));
        assertThat(s.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(s.p999Ms()).isCloseTo(99.9, within(0.1));
        assertThat(s.p9999Ms()).isCloseTo(99.99, within(0.1));
        assertThat(s.maxMs()).isCloseTo(100, within(0.1));
        assertThat(s.meanMs()).isCloseTo(50, within(0.1));
        assertThat(s.curve()).hasSize(41);
        assertThat(s.curve().get(0).percentile()).isZero();
        assertThat(s.curve().get(40).percentile()).isCloseTo(99.99, within(1e-9));
        for (int i = 1; i < s.curve().size(); i++) {
            assertThat(s.curve().get(i).valueMs()).isGreaterThanOrEqualTo(s.curve().get(i - 1).valueMs());
        }
    }

    @Test
    void anEmptyHistogramSummarisesAsZeros() {
        assertThat(LatencySummary.of(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void theSendTimeHeaderRoundTrips() {
        for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, System.nanoTime()}) {
            assertThat(SendTime.decode(SendTime.encode(v))).isEqualTo(v);
        }
    }
}
