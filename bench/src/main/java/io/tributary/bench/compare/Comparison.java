package io.tributary.bench.compare;

import io.tributary.bench.report.LatencySummary;
import io.tributary.bench.report.RunResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table: for each figure Apache Kafka's and Tributary's value in every round, their means over the
 * rounds, the ratio Tributary / Kafka of the means and of each round, and where the issue sets one, the target ratio
 * and whether the mean ratio met it. Throughput comes from max-rate workloads (live produce and consume, and the
 * timed backlog read), latency from fixed-rate ones, broker cost from every run of an instance. Every round is kept
 * (issue 17): two rounds on a shared machine can differ by more than a margin, and a mean alone would hide that.
 */
public final class Comparison {
    /**
     * @param kafkaRounds     Kafka's value in round 1, 2, ..; NaN for a round that did not run (time limit)
     * @param tributaryRounds the same for Tributary
     * @param target          the ratio to reach, or null; {@code higherIsBetter} says from which side
     */
    public record Row(String metric, List<Double> kafkaRounds, List<Double> tributaryRounds, boolean higherIsBetter,
                      Double target, String note) {
        public Row {
            kafkaRounds = List.copyOf(kafkaRounds);
            tributaryRounds = List.copyOf(tributaryRounds);
        }

        /** Kafka's mean over the rounds it ran. */
        public double kafka() {
            return mean(kafkaRounds);
        }

        public double tributary() {
            return mean(tributaryRounds);
        }

        public double ratio() {
            return kafka() != 0 ? tributary() / kafka() : Double.NaN;
        }

        /** Tributary / Kafka in each round; NaN where either did not run or Kafka's value is 0. */
        public List<Double> roundRatios() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.max(kafkaRounds.size(), tributaryRounds.size()); i++) {
                double k = i < kafkaRounds.size() ? kafkaRounds.get(i) : Double.NaN;
                double t = i < tributaryRounds.size() ? tributaryRounds.get(i) : Double.NaN;
                ratios.add(k != 0 && !Double.isNaN(k) && !Double.isNaN(t) ? t / k : Double.NaN);
            }
            return ratios;
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
        int rounds = instances.stream().mapToInt(BrokerRun::round).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        for (String workload : workloads) {
            List<RunResult> k = runsOf(kafka, workload);
            List<RunResult> t = runsOf(tributary, workload);
            if (k.isEmpty() || t.isEmpty()) {
                continue;
            }
            Rounds r = new Rounds(kafka, tributary, workload, rounds);
            boolean fixed = !"max".equals(k.get(0).settings().get("producer-rate"));
            // A workload without consumers (a producer-latency one) has no consume or end-to-end figures.
            boolean consumed = !"0".equals(k.get(0).settings().get("consumers-per-topic"));
            if (!fixed) {
                Row produce = r.row(workload + ": produce throughput (MB/s)", RunResult::produceMegabytesPerSecond, true, 1.5, "");
                rows.add(withNote(produce, fraction(produce, limits.diskWriteMegabytesPerSecond(), "disk write")));
                rows.add(r.row(workload + ": produce throughput (records/s)", RunResult::produceRecordsPerSecond, true, null, ""));
                boolean backlog = k.get(0).backlog() != null;
                if (consumed) {
                    rows.add(r.row(workload + ": consume throughput, live (MB/s)", RunResult::consumeMegabytesPerSecond, true,
                        backlog ? null : 1.2, ""));
                }
                if (backlog) {
                    Row read = r.row(workload + ": consume throughput, backlog read (MB/s)",
                        run -> run.backlog() == null ? 0 : run.backlog().megabytesPerSecond(), true, 1.2, "");
                    rows.add(withNote(read, fraction(read, limits.sendfileMegabytesPerSecond(), "sendfile")));
                }
            } else {
                rows.add(r.row(workload + ": achieved produce rate (records/s)", RunResult::produceRecordsPerSecond, true, null,
                    "asked " + k.get(0).settings().get("producer-rate")));
            }
            String[] names = {"p50", "p99", "p99.9"};
            List<ToDoubleFunction<LatencySummary>> percentiles = List.of(LatencySummary::p50Ms, LatencySummary::p99Ms, LatencySummary::p999Ms);
            for (int i = 0; i < names.length; i++) {
                ToDoubleFunction<LatencySummary> p = percentiles.get(i);
                // issue 17's targets for a producer-only fixed rate: p99 at most half of Kafka's, p99.9 at most 0.3
                Double target = null;
                if (fixed && !consumed && names[i].equals("p99")) {
                    target = 0.5;
                } else if (fixed && !consumed && names[i].equals("p99.9")) {
                    target = 0.3;
                }
                rows.add(r.row(workload + ": publish latency " + names[i] + " (ms)", run -> p.applyAsDouble(run.publish()), false,
                    target, ""));
            }
            for (int i = 0; consumed && i < names.length; i++) {
                ToDoubleFunction<LatencySummary> p = percentiles.get(i);
                Double target = fixed && names[i].equals("p99") ? 0.5 : null;
                rows.add(r.row(workload + ": end-to-end latency " + names[i] + " (ms)", run -> p.applyAsDouble(run.endToEnd()), false,
                    target, ""));
            }
        }
        rows.add(new Row("broker CPU seconds per GB moved", perRound(kafka, rounds, BrokerRun::cpuSecondsPerGigabyte),
            perRound(tributary, rounds, BrokerRun::cpuSecondsPerGigabyte), false, 0.5,
            "broker JVM's user + system CPU; GB = acknowledged + consumed + read-back bytes"));
        rows.add(new Row("broker resident memory after the runs (MiB)", perRound(kafka, rounds, b -> b.residentBytes() / 1048576.0),
            perRound(tributary, rounds, b -> b.residentBytes() / 1048576.0), false, 0.5, "VmRSS"));
        rows.add(new Row("broker peak resident memory (MiB)", perRound(kafka, rounds, b -> b.peakResidentBytes() / 1048576.0),
            perRound(tributary, rounds, b -> b.peakResidentBytes() / 1048576.0), false, null, "VmHWM"));
        rows.add(new Row("start-up to a listening port (s)", perRound(kafka, rounds, BrokerRun::startupSeconds),
            perRound(tributary, rounds, BrokerRun::startupSeconds), false, 0.2, "JVM start included"));
        return rows;
    }

    /** One workload's runs of both brokers, by round. */
    private record Rounds(List<BrokerRun> kafka, List<BrokerRun> tributary, String workload, int rounds) {
        Row row(String metric, ToDoubleFunction<RunResult> f, boolean higherIsBetter, Double target, String note) {
            return new Row(metric, values(kafka, f), values(tributary, f), higherIsBetter, target, note);
        }

        private List<Double> values(List<BrokerRun> instances, ToDoubleFunction<RunResult> f) {
            List<Double> values = new ArrayList<>(Collections.nCopies(rounds, Double.NaN));
            for (BrokerRun instance : instances) {
                instance.runs().stream().filter(run -> run.workload().equals(workload)).findFirst()
                    .ifPresent(run -> values.set(instance.round() - 1, f.applyAsDouble(run)));
            }
            return values;
        }
    }

    /**
     * The figures that explain the latency of each fixed-rate workload (see {@link BrokerRun#diagnostics}), as rows of
     * the same shape as {@link #rows}, kept apart from them so the ratio table stays the figures.
     */
    static List<Row> diagnostics(List<BrokerRun> instances, List<String> workloads) {
        List<BrokerRun> kafka = instances.stream().filter(r -> r.broker().equals(BrokerProcess.Kind.KAFKA.label)).toList();
        List<BrokerRun> tributary = instances.stream().filter(r -> r.broker().equals(BrokerProcess.Kind.TRIBUTARY.label)).toList();
        int rounds = instances.stream().mapToInt(BrokerRun::round).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        for (String workload : workloads) {
            boolean fixed = instances.stream().flatMap(i -> i.runs().stream()).filter(r -> r.workload().equals(workload))
                .anyMatch(r -> !"max".equals(r.settings().get("producer-rate")));
            if (fixed) {
                rows.addAll(diagnosticRows(kafka, tributary, workload, rounds));
            }
        }
        return rows;
    }

    /**
     * A row for every diagnostic figure either broker has for {@code workload} (see {@link BrokerRun#diagnostics}), in the
     * order they were taken; no ratio target, as these explain the latency rather than compete. A round without the
     * figure is NaN.
     */
    static List<Row> diagnosticRows(List<BrokerRun> kafka, List<BrokerRun> tributary, String workload, int rounds) {
        List<String> figures = new ArrayList<>();
        for (BrokerRun instance : concat(kafka, tributary)) {
            instance.diagnostics().getOrDefault(workload, Map.of()).keySet().stream().filter(f -> !figures.contains(f)).forEach(figures::add);
        }
        List<Row> rows = new ArrayList<>();
        for (String figure : figures) {
            ToDoubleFunction<BrokerRun> value = b -> b.diagnostics().getOrDefault(workload, Map.of()).getOrDefault(figure, Double.NaN);
            rows.add(new Row(workload + ": " + figure, perRound(kafka, rounds, value), perRound(tributary, rounds, value), false, null,
                diagnosticNote(figure)));
        }
        return rows;
    }

    /** Where a diagnostic figure comes from, by its prefix. */
    static String diagnosticNote(String figure) {
        if (figure.startsWith("producer record-queue-time")) {
            // Sender.updateProduceRequestMetrics records ProducerBatch.queueTimeMs (drained - created) once per batch.
            return "kafka-clients producer-metrics at the window's end (the client's last 30-60 s); per batch: the age of its "
                + "first record when the sender drained it (linger plus the sender's lateness), the longest wait of its records";
        }
        if (figure.startsWith("producer ")) {
            return "kafka-clients producer-metrics at the window's end (the client's last 30-60 s)";
        }
        if (figure.startsWith("harness ")) {
            return "the harness JVM (client side), measured window";
        }
        if (figure.startsWith("host ")) {
            return "/proc (whole machine), measured window";
        }
        if (figure.startsWith("broker JFR ")) {
            return "broker JFR recording, measured window";
        }
        if (figure.startsWith("broker ")) {
            return "/proc/PID of the broker, measured window";
        }
        return "";
    }

    private static List<BrokerRun> concat(List<BrokerRun> a, List<BrokerRun> b) {
        List<BrokerRun> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Double> perRound(List<BrokerRun> instances, int rounds, ToDoubleFunction<BrokerRun> f) {
        List<Double> values = new ArrayList<>(Collections.nCopies(rounds, Double.NaN));
        instances.forEach(instance -> values.set(instance.round() - 1, f.applyAsDouble(instance)));
        return values;
    }

    private static Row withNote(Row row, String note) {
        return new Row(row.metric(), row.kafkaRounds(), row.tributaryRounds(), row.higherIsBetter(), row.target(), note);
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

    /** Every round's figures: Kafka and Tributary side by side per round, then the ratio of each round. */
    public static String roundsMarkdown(List<Row> rows) {
        int rounds = rows.stream().mapToInt(r -> Math.max(r.kafkaRounds().size(), r.tributaryRounds().size())).max().orElse(0);
        StringBuilder md = new StringBuilder("| figure |");
        for (int round = 1; round <= rounds; round++) {
            md.append(" kafka r").append(round).append(" | tributary r").append(round).append(" |");
        }
        md.append(" ratio T/K per round |\n| --- |").append(" ---: |".repeat(2 * rounds)).append(" --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.metric()).append(" |");
            for (int i = 0; i < rounds; i++) {
                md.append(' ').append(roundNumber(r.kafkaRounds(), i)).append(" | ").append(roundNumber(r.tributaryRounds(), i)).append(" |");
            }
            md.append(' ').append(roundRatiosText(r)).append(" |\n");
        }
        return md.toString();
    }

    /** "2.18 / 3.90": the ratio of each round, "-" for a round without one. */
    static String roundRatiosText(Row row) {
        return String.join(" / ", row.roundRatios().stream().map(x -> Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    /** Round {@code i + 1}'s value as the tables print it, "-" for a round that did not run. */
    static String roundNumber(List<Double> values, int i) {
        return i < values.size() && !Double.isNaN(values.get(i)) ? number(values.get(i)) : "-";
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

    private static String fraction(Row row, double limit, String name) {
        return String.format(Locale.ROOT, "of %s limit (%.0f MB/s): Kafka %.2f, Tributary %.2f", name, limit,
            row.kafka() / limit, row.tributary() / limit);
    }

    /** The mean of the rounds that ran. */
    private static double mean(List<Double> values) {
        return values.stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
