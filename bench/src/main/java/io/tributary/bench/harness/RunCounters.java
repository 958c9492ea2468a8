package io.tributary.bench.harness;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one run, bumped from producer, completion and consumer threads. Every error is counted
 * here, none is dropped: send calls that threw, sends the broker did not acknowledge, consumer failures,
 * records that arrived without the harness's send-time header, and records delivered twice ({@code redelivered},
 * also counted apart so a report can say which kind of error it was).
 */
public final class RunCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder ackedBytes = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder redelivered = new LongAdder();

    /** A consistent-enough view for per-second rates: each adder is summed once. */
    public Snapshot snapshot() {
        return new Snapshot(sent.sum(), acked.sum(), ackedBytes.sum(), received.sum(), receivedBytes.sum(), errors.sum(),
            redelivered.sum());
    }

    public record Snapshot(long sent, long acked, long ackedBytes, long received, long receivedBytes, long errors,
                           long redelivered) {
    }
}
