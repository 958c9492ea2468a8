package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchConsumer;
import io.tributary.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerWorkerTest {

    /** One poll hands over the scripted (partition, offset) records, then the worker is told to stop. */
    private static final class ScriptedConsumer implements BenchConsumer {
        private final List<long[]> records;
        private final AtomicBoolean stop;
        private final SimulatedClock clock;

        ScriptedConsumer(List<long[]> records, AtomicBoolean stop, SimulatedClock clock) {
            this.records = records;
            this.stop = stop;
            this.clock = clock;
        }

        @Override
        public void assign(String topic, List<Integer> partitions) {
        }

        @Override
        public int poll(Duration timeout, Visitor visitor) {
            for (long[] r : records) {
                visitor.visit(new ConsumedRecord() {
                    public String topic() {
                        return "t";
                    }

                    public int partition() {
                        return (int) r[0];
                    }

                    public long offset() {
                        return r[1];
                    }

                    public long timestamp() {
                        return 0;
                    }

                    public int size() {
                        return 10;
                    }

                    public byte[] header(String key) {
                        return r[2] < 0 || !key.equals(Workload.SEND_TIME_HEADER) ? null : SendTime.encode(r[2]);
                    }
                });
            }
            clock.advance(1);
            stop.set(true);
            return records.size();
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void redeliveriesAndRecordsWithoutTheHeaderAreErrorsNotReceipts() {
        SimulatedClock clock = new SimulatedClock();
        long sent = clock.nanoTime() - 2_000_000;
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> script = List.of(
            new long[] {0, 0, sent}, new long[] {0, 1, sent}, new long[] {1, 0, sent},
            new long[] {0, 1, sent},     // partition 0 offset 1 again: redelivered
            new long[] {0, 0, sent},     // and an older one
            new long[] {1, 5, sent},     // a gap is fine (compaction, control records)
            new long[] {0, 2, -1});      // no send-time header: not this run's record
        RunCounters counters = new RunCounters();
        LatencyRecorder endToEnd = new LatencyRecorder();
        new ConsumerWorker(new ScriptedConsumer(script, stop, clock), clock, endToEnd, counters, stop).run();

        RunCounters.Snapshot s = counters.snapshot();
        assertThat(s.received()).isEqualTo(4);
        assertThat(s.receivedBytes()).isEqualTo(40);
        assertThat(s.redelivered()).isEqualTo(2);
        assertThat(s.errors()).isEqualTo(3);
        endToEnd.harvest(true);
        assertThat(endToEnd.total().getTotalCount()).isEqualTo(4);
        assertThat(endToEnd.total().getMaxValue()).isBetween(1_998L, 2_002L); // 2 ms, in µs
    }
}
