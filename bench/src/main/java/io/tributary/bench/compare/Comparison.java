package io.tributary.bench.compare;

import io.tributary.bench.report.LatencySummary;
import io.tributary.bench.report.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table: for each figure the mean over rounds of Apache Kafka and of Tributary, the ratio
 * Tributary / Kafka, and where the issue sets one, the target ratio and whether it was met. Throughput comes
 * from max-rate workloads (live produce and consume, and the timed backlog read), latency from fixed-rate
 * ones, broker cost from every run of an instance.
 */
public final class Comparison {
    /** @param target the ratio to reach, or null; {@code higherIsBetter} says from which side */
    public record Row(String metric, double kafka, double tributary, boolean higherIsBetter, Double target, String note) {
        public double ratio() {
            return kafka != 0 ? tributary / kafka : Double.NaN;
        }

        public String verdict() {
            if (target == null) {
                return "";
            }
            boolean met = higherIsBetter ? ratio() >= target : ratio() <= target;
            return met ? "yes" : "no";
        }

        public String targetText() {
            return target == null ? "" : (higherIsBetter ? ">= " : "<= ") + String.format(Locale.ROOT, "%.1fx", target);
        }
    }

    private Comparison() {
    }

    static List<Row> rows(List<BrokerRun> instances, List<String> workloads, PhysicalLimits limits) {
        List<BrokerRun> kafka = instances.stream().filter(r -> r.broker().equals(BrokerProcess.Kind.KAFKA.label)).toList();
        List<BrokerRun> tributary = instances.stream().filter(r -> r.broker().equals(BrokerProcess.Kind.TRIBUTARY.label)).toList();
        List<Row> rows = new ArrayList<>();
        for (String workload : workloads) {
            List<RunResult> k = runsOf(kafka, workload);
            List<RunResult> t = runsOf(tributary, workload);
            if (k.isEmpty() || t.isEmpty()) {
                continue;
            }
            boolean fixed = !"max".equals(k.get(0).settings().get("producer-rate"));
            if (!fixed) {
                rows.add(row(workload + ": produce throughput (MB/s)", k, t, RunResult::produceMegabytesPerSecond, true, 1.5,
                    fraction(k, t, RunResult::produceMegabytesPerSecond, limits.diskWriteMegabytesPerSecond(), "disk write")));
                rows.add(row(workload + ": produce throughput (records/s)", k, t, RunResult::produceRecordsPerSecond, true, null, ""));
                boolean backlog = k.get(0).backlog() != null;
                rows.add(row(workload + ": consume throughput, live (MB/s)", k, t, RunResult::consumeMegabytesPerSecond, true,
                    backlog ? null : 1.2, ""));
                if (backlog) {
                    ToDoubleFunction<RunResult> read = r -> r.backlog() == null ? 0 : r.backlog().megabytesPerSecond();
                    rows.add(row(workload + ": consume throughput, backlog read (MB/s)", k, t, read, true, 1.2,
                        fraction(k, t, read, limits.sendfileMegabytesPerSecond(), "sendfile")));
                }
            } else {
                rows.add(row(workload + ": achieved produce rate (records/s)", k, t, RunResult::produceRecordsPerSecond, true, null,
                    "asked " + k.get(0).settings().get("producer-rate")));
            }
            String[] names = {"p50", "p99", "p99.9"};
            List<ToDoubleFunction<LatencySummary>> percentiles = List.of(LatencySummary::p50Ms, LatencySummary::p99Ms, LatencySummary::p999Ms);
            for (int i = 0; i < names.length; i++) {
                ToDoubleFunction<LatencySummary> p = percentiles.get(i);
                rows.add(row(workload + ": publish latency " + names[i] + " (ms)", k, t, r -> p.applyAsDouble(r.publish()), false, null, ""));
            }
            for (int i = 0; i < names.length; i++) {
                ToDoubleFunction<LatencySummary> p = percentiles.get(i);
                Double target = fixed && names[i].equals("p99") ? 0.5 : null;
                rows.add(row(workload + ": end-to-end latency " + names[i] + " (ms)", k, t, r -> p.applyAsDouble(r.endToEnd()), false, target, ""));
            }
        }
        rows.add(new Row("broker CPU seconds per GB moved", mean(kafka, BrokerRun::cpuSecondsPerGigabyte),
            mean(tributary, BrokerRun::cpuSecondsPerGigabyte), false, 0.5, "GB = acknowledged + consumed + read-back bytes"));
        rows.add(new Row("broker resident memory after the runs (MiB)", mean(kafka, r -> r.residentBytes() / 1048576.0),
            mean(tributary, r -> r.residentBytes() / 1048576.0), false, 0.5, "VmRSS"));
        rows.add(new Row("broker peak resident memory (MiB)", mean(kafka, r -> r.peakResidentBytes() / 1048576.0),
            mean(tributary, r -> r.peakResidentBytes() / 1048576.0), false, null, "VmHWM"));
        rows.add(new Row("start-up to a listening port (s)", mean(kafka, BrokerRun::startupSeconds),
            mean(tributary, BrokerRun::startupSeconds), false, 0.2, "JVM start included"));
        return rows;
    }

    /** The rows as a Markdown table, as pasted into the README. */
    public static String markdown(List<Row> rows) {
        StringBuilder md = new StringBuilder("| figure | Apache Kafka | Tributary | ratio T/K | target | met | note |\n");
        md.append("| --- | ---: | ---: | ---: | --- | --- | --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.metric()).append(" | ").append(number(r.kafka())).append(" | ").append(number(r.tributary()))
                .append(" | ").append(String.format(Locale.ROOT, "%.2f", r.ratio())).append(" | ").append(r.targetText())
                .append(" | ").append(r.verdict()).append(" | ").append(r.note()).append(" |\n");
        }
        return md.toString();
    }

    static String number(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static List<RunResult> runsOf(List<BrokerRun> instances, String workload) {
        List<RunResult> runs = new ArrayList<>();
        instances.forEach(i -> i.runs().stream().filter(r -> r.workload().equals(workload)).forEach(runs::add));
        return runs;
    }

    private static Row row(String metric, List<RunResult> k, List<RunResult> t, ToDoubleFunction<RunResult> f,
                           boolean higherIsBetter, Double target, String note) {
        return new Row(metric, mean(k, f), mean(t, f), higherIsBetter, target, note);
    }

    private static String fraction(List<RunResult> k, List<RunResult> t, ToDoubleFunction<RunResult> f, double limit, String name) {
        return String.format(Locale.ROOT, "of %s limit (%.0f MB/s): Kafka %.2f, Tributary %.2f", name, limit,
            mean(k, f) / limit, mean(t, f) / limit);
    }

    private static <T> double mean(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).average().orElse(0);
    }
}
