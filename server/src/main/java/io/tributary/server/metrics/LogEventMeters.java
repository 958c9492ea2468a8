package io.tributary.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.log.LogListener;
import io.tributary.log.PartitionLog;

/**
 * Counts what happens to the broker's logs, as the logs tell it ({@link LogListener}): segment rolls
 * ({@code tributary_log_rolls_total}), truncations ({@code tributary_log_truncations_total}) and retention
 * deletions from the front of a log ({@code tributary_log_retention_deletions_total}).
 *
 * <p>Design note: appends are not counted here: they are per request, and the request path already counts
 * them per topic ({@link TopicTraffic}); this listener's {@code appended} stays the interface's no-op, so the
 * produce hot path pays one virtual call for it.
 */
final class LogEventMeters implements LogListener {
    private final Counter rolls;
    private final Counter truncations;
    private final Counter retentionDeletions;

    LogEventMeters(MeterRegistry registry) {
        rolls = Counter.builder("tributary.log.rolls").description("Segment rolls of partition logs").register(registry);
        truncations = Counter.builder("tributary.log.truncations").description("Truncations of partition logs").register(registry);
        retentionDeletions = Counter.builder("tributary.log.retention.deletions")
            .description("Times retention deleted segments from the front of a partition log").register(registry);
    }

    @Override
    public void rolled(PartitionLog log, long baseOffset) {
        rolls.increment();
    }

    @Override
    public void truncated(PartitionLog log, long logEndOffset) {
        truncations.increment();
    }

    @Override
    public void segmentsDeleted(PartitionLog log, long logStartOffset) {
        retentionDeletions.increment();
    }
}
