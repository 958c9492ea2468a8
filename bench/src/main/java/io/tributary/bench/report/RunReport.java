package io.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the results of a set of runs: {@code result.json}, {@code report.html} and the charts as PNGs. */
public final class RunReport {
    public static final List<String> SUMMARY_HEADERS = List.of("run", "produce rec/s", "produce MB/s", "consume rec/s",
        "consume MB/s", "backlog read MB/s", "publish p50/p99/p99.9/max ms", "e2e p50/p99/p99.9/max ms", "errors", "missing");

    private RunReport() {
    }

    /** Writes the three kinds of output into {@code dir}; returns the HTML page. */
    public static Path write(Path dir, String title, List<RunResult> runs) throws IOException {
        HtmlReport html = html(title, runs);
        ResultFile.write(dir.resolve("result.json"), runs);
        return html.write(dir, "report.html");
    }

    /** The page: a summary row per run, each workload's settings, then its charts. */
    public static HtmlReport html(String title, List<RunResult> runs) {
        HtmlReport html = new HtmlReport(title);
        html.table(SUMMARY_HEADERS, runs.stream().map(RunReport::summaryRow).toList());
        for (Map.Entry<String, List<RunResult>> workload : byWorkload(runs).entrySet()) {
            html.heading(workload.getKey(), 2);
            html.paragraph(settingsLine(workload.getValue().get(0)));
            RunCharts.of(workload.getKey(), workload.getValue()).forEach(html::chart);
        }
        return html;
    }

    public static Map<String, List<RunResult>> byWorkload(List<RunResult> runs) {
        Map<String, List<RunResult>> grouped = new LinkedHashMap<>();
        runs.forEach(r -> grouped.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r));
        return grouped;
    }

    public static List<String> summaryRow(RunResult r) {
        return List.of(r.label(),
            String.format(Locale.ROOT, "%,.0f", r.produceRecordsPerSecond()),
            String.format(Locale.ROOT, "%.1f", r.produceMegabytesPerSecond()),
            String.format(Locale.ROOT, "%,.0f", r.consumeRecordsPerSecond()),
            String.format(Locale.ROOT, "%.1f", r.consumeMegabytesPerSecond()),
            r.backlog() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.backlog().megabytesPerSecond()),
            latencies(r.publish()), latencies(r.endToEnd()),
            r.redelivered() == 0 ? Long.toString(r.errors()) : r.errors() + " (" + r.redelivered() + " redelivered)",
            Long.toString(r.missing()));
    }

    private static String latencies(LatencySummary s) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.1f", s.p50Ms(), s.p99Ms(), s.p999Ms(), s.maxMs());
    }

    private static String settingsLine(RunResult r) {
        StringBuilder s = new StringBuilder("Workload: ");
        r.settings().forEach((k, v) -> s.append(k).append('=').append(v).append("  "));
        return s.toString().trim();
    }
}
