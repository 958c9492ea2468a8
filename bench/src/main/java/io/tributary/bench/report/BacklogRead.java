package io.tributary.bench.report;

/**
 * Reading everything a run produced back from the first offset, timed from assignment to the last record.
 * {@code errors} counts consumer failures and acknowledged records that did not come back before the deadline.
 */
public record BacklogRead(long records, long bytes, double seconds, long errors) {
    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }
}
