package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchProducer;
import io.tributary.bench.report.LatencySummary;
import io.tributary.bench.workload.KeyChooser;
import io.tributary.bench.workload.KeyDistribution;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A producer whose broker stalls for one second, on a simulated clock. At a fixed rate every send that the
 * stall held up is measured from when it was due, so the stall fills the top percentiles; measured from
 * the actual send time (max-rate mode) it is one slow sample among many and shows only in the max.
 */
class CoordinatedOmissionTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Acknowledges every send at once, after {@code costNanos}; send number {@code stallAt} takes a second. */
    private static final class StallingProducer implements BenchProducer {
        private final SimulatedClock clock;
        private final long costNanos;
        private final long stallAt;
        long sends;

        StallingProducer(SimulatedClock clock, long costNanos, long stallAt) {
            this.clock = clock;
            this.costNanos = costNanos;
            this.stallAt = stallAt;
        }

        @Override
        public void send(String topic, byte[] key, byte[] value, String headerKey, byte[] headerValue, Completion completion) {
            if (sends++ == stallAt) {
                clock.advance(SECOND);
            }
            clock.advance(costNanos);
            completion.completed(null);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static LatencySummary run(SimulatedClock clock, Pacer pacer, StallingProducer producer, RunCounters counters) {
        LatencyRecorder publish = new LatencyRecorder();
        long stopAt = clock.nanoTime() + 10 * SECOND;
        new ProducerWorker(producer, "t", new KeyChooser(KeyDistribution.NONE, 1, 1, 0), new byte[16], pacer, clock,
            publish, counters, stopAt, new AtomicBoolean()).run();
        publish.harvest(true);
        return LatencySummary.of(publish.total());
    }

    @Test
    void aStallAtAFixedRateShowsInThePercentilesOfEverySendItHeldUp() {
        SimulatedClock clock = new SimulatedClock();
        StallingProducer producer = new StallingProducer(clock, 10_000, 2_000);
        RunCounters counters = new RunCounters();
        LatencySummary fixed = run(clock, Pacer.fixedRate(clock, 1_000, clock.nanoTime()), producer, counters);

        // 10 s at 1,000/s: the second-long stall delays the ~1,000 sends due during it (10% of all), by 1 s
        // down to 0, so the top 10% of the distribution spreads over that second.
        assertThat(fixed.count()).isEqualTo(10_000);
        assertThat(counters.snapshot().acked()).isEqualTo(10_000);
        assertThat(fixed.p50Ms()).isLessThan(1);
        assertThat(fixed.p99Ms()).isBetween(850.0, 1010.0);
        assertThat(fixed.p999Ms()).isGreaterThan(980);
        assertThat(fixed.maxMs()).isBetween(990.0, 1010.0);
    }

    @Test
    void theSameStallMeasuredFromTheActualSendTimeHidesAllButOneSample() {
        SimulatedClock clock = new SimulatedClock();
        StallingProducer producer = new StallingProducer(clock, 100_000, 20_000);
        LatencySummary unpaced = run(clock, Pacer.unbounded(clock), producer, new RunCounters());

        // What coordinated omission looks like: the stall is one sample of ~90,000 and only the max sees it.
        assertThat(unpaced.count()).isBetween(89_000L, 91_000L);
        assertThat(unpaced.p99Ms()).isLessThan(1);
        assertThat(unpaced.p9999Ms()).isLessThan(1);
        assertThat(unpaced.maxMs()).isGreaterThan(990);
    }

    @Test
    void aFixedRateProducerSendsOnScheduleWhenNothingStalls() {
        SimulatedClock clock = new SimulatedClock();
        long start = clock.nanoTime();
        Pacer pacer = Pacer.fixedRate(clock, 3, start);
        assertThat(pacer.awaitNext()).isEqualTo(start);
        assertThat(pacer.awaitNext()).isEqualTo(start + SECOND / 3);
        assertThat(pacer.awaitNext()).isEqualTo(start + 2 * SECOND / 3);
        assertThat(clock.nanoTime()).isEqualTo(start + 2 * SECOND / 3);
        // Behind schedule: the due time stays where it was, the pacer does not wait.
        clock.advance(5 * SECOND);
        assertThat(pacer.awaitNext()).isEqualTo(start + SECOND);
        assertThat(clock.nanoTime()).isEqualTo(start + 2 * SECOND / 3 + 5 * SECOND);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> Pacer.fixedRate(new SimulatedClock(), 0, 0))
            .hasMessageContaining("rate 0.0 must be above 0");
    }
}
