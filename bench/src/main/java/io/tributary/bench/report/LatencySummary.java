package io.tributary.bench.report;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * A latency distribution as reported: count, mean, the usual percentiles and the max in milliseconds, and
 * the curve to plot (percentile, milliseconds) from p0 to p99.99 at points evenly spaced on the
 * "nines" axis {@code -log10(1 - p)}.
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                             double p9999Ms, double maxMs, List<Point> curve) {

    /** Points per decade of the nines axis: p0, .., p90, .., p99, .., p99.9, .., p99.99. */
    private static final int STEPS_PER_NINE = 10;
    private static final int NINES = 4;

    public record Point(double percentile, double valueMs) {
    }

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    /** From a histogram of microseconds. */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        List<Point> curve = new ArrayList<>();
        for (int step = 0; step <= NINES * STEPS_PER_NINE; step++) {
            double percentile = 100 * (1 - Math.pow(10, -(double) step / STEPS_PER_NINE));
            curve.add(new Point(percentile, ms(micros.getValueAtPercentile(percentile))));
        }
        return new LatencySummary(micros.getTotalCount(), micros.getMean() / 1000,
            ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
            ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
            ms(micros.getValueAtPercentile(99.99)), ms(micros.getMaxValue()), List.copyOf(curve));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
