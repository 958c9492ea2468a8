package io.tributary.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML report: headings, paragraphs, tables and charts, in order. Charts are inline SVG,
 * so the page needs no network and no scripts to view; {@link #write} also writes each chart as
 * {@code <chart id>.png} beside the page for READMEs.
 */
public final class HtmlReport {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Chart> charts = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
        heading(title, 1);
    }

    public HtmlReport heading(String text, int level) {
        body.append("<h").append(level).append('>').append(SvgCanvas.escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(SvgCanvas.escape(text)).append("</p>\n");
        return this;
    }

    public HtmlReport table(List<String> headers, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        headers.forEach(h -> body.append("<th>").append(SvgCanvas.escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(SvgCanvas.escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    public HtmlReport chart(Chart chart) {
        if (charts.stream().anyMatch(c -> c.id().equals(chart.id()))) {
            throw new IllegalArgumentException("two charts with the id " + chart.id() + " would share one PNG");
        }
        charts.add(chart);
        body.append("<figure id=\"").append(chart.id()).append("\">\n").append(ChartPainter.svg(chart))
            .append("\n<figcaption>").append(SvgCanvas.escape(chart.title())).append(" (")
            .append(chart.id()).append(".png)</figcaption></figure>\n");
        return this;
    }

    public List<Chart> charts() {
        return List.copyOf(charts);
    }

    /** Writes {@code dir/fileName} and one PNG per chart into {@code dir}; returns the page's path. */
    public Path write(Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        for (Chart chart : charts) {
            ChartPainter.png(chart, dir.resolve(chart.id() + ".png"));
        }
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + SvgCanvas.escape(title)
            + "</title>\n<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em;max-width:1000px;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th{background:#f2f2f2}td:first-child{text-align:left}figure{margin:1.5em 0}"
            + "figcaption{font-size:small;color:#666}</style></head>\n<body>\n" + body + "</body></html>\n";
        Path page = dir.resolve(fileName);
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return page;
    }
}
