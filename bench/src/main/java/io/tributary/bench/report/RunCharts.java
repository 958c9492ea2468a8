package io.tributary.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The standard charts of the runs of one workload, one series per run: throughput over time (produce and
 * consume MB/s per second of the run, warm-up included) and the publish and end-to-end latency percentile
 * distributions from p50 to p99.99 plus the max, on a log-scaled percentile axis and a log latency axis.
 */
public final class RunCharts {
    private RunCharts() {
    }

    public static List<Chart> of(String workload, List<RunResult> runs) {
        String id = workload.replaceAll("[^A-Za-z0-9._-]", "_");
        List<Chart.Series> throughput = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult run = runs.get(i);
            throughput.add(new Chart.Series(seriesName(run, runs) + " produce", i, false, perSecond(run, ThroughputSample::producedBytes), null));
            throughput.add(new Chart.Series(seriesName(run, runs) + " consume", i, true, perSecond(run, ThroughputSample::consumedBytes), null));
        }
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart(id + "-throughput", workload + ": throughput over time", "seconds since start (warm-up included)",
            "MB/s", Chart.Scale.LINEAR, Chart.Scale.LINEAR, throughput));
        charts.add(latency(id + "-publish-latency", workload + ": publish latency (send -> ack)", runs, RunResult::publish));
        // A workload without consumers (producer latency only) has no end-to-end figures to draw.
        if (runs.stream().anyMatch(r -> r.endToEnd().count() > 0)) {
            charts.add(latency(id + "-e2e-latency", workload + ": end-to-end latency (send -> consumer)", runs, RunResult::endToEnd));
        }
        return charts;
    }

    private static Chart latency(String id, String title, List<RunResult> runs, Function<RunResult, LatencySummary> which) {
        List<Chart.Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult run = runs.get(i);
            LatencySummary summary = which.apply(run);
            List<double[]> points = new ArrayList<>();
            for (LatencySummary.Point p : summary.curve()) {
                if (p.percentile() >= 50) {
                    points.add(new double[] {p.percentile(), p.valueMs()});
                }
            }
            series.add(new Chart.Series(seriesName(run, runs), i, false, points, summary.count() > 0 ? summary.maxMs() : null));
        }
        return new Chart(id, title, "percentile (log scale of nines)", "ms (log scale)", Chart.Scale.NINES, Chart.Scale.LOG, series);
    }

    /** The target, numbered when the same target ran the workload more than once (A B A B). */
    private static String seriesName(RunResult run, List<RunResult> runs) {
        long sameTarget = runs.stream().filter(r -> r.target().equals(run.target())).count();
        if (sameTarget == 1) {
            return run.target();
        }
        int round = 1;
        for (RunResult r : runs) {
            if (r == run) {
                break;
            }
            if (r.target().equals(run.target())) {
                round++;
            }
        }
        return run.target() + " #" + round;
    }

    private static List<double[]> perSecond(RunResult run, ToLongFunction<ThroughputSample> bytes) {
        List<double[]> points = new ArrayList<>();
        double previous = 0;
        for (ThroughputSample s : run.samples()) {
            double seconds = s.atSeconds() - previous;
            points.add(new double[] {s.atSeconds(), seconds > 0 ? bytes.applyAsLong(s) / 1e6 / seconds : 0});
            previous = s.atSeconds();
        }
        return points;
    }
}
