package io.tributary.bench.report;

import io.tributary.bench.harness.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportTest {

    private static RunResult run(String target, String workload, long seed) {
        Histogram micros = new Histogram(LatencyRecorder.MAX_MICROS, 3);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 10_000; i++) {
            micros.recordValue(500 + (long) (random.nextDouble() * random.nextDouble() * 50_000));
        }
        List<ThroughputSample> samples = new ArrayList<>();
        for (int s = 1; s <= 10; s++) {
            samples.add(new ThroughputSample(s, s <= 2, 1000 + s, 1_024_000 + s, 990 + s, 1_013_760 + s, 0));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("name", workload);
        settings.put("producer-rate", "max");
        settings.put("note", "quotes \" and <tags> & tabs\t survive");
        return new RunResult(workload, target, "kafka", settings, "2026-01-01T00:00:00Z", 8.0,
            10_010, 10_010, 10_250_240, 10_010, 10_250_240, 0, 0, 0,
            1001.5, 1.025, 999.25, 1.023, new BacklogRead(10_010, 10_250_240, 0.75, 0),
            LatencySummary.of(micros), LatencySummary.of(micros), samples);
    }

    @Test
    void theResultFileReadsBackToEqualResults(@TempDir Path dir) throws IOException {
        List<RunResult> runs = List.of(run("kafka", "max-rate", 1), run("tributary", "max-rate", 2));
        ResultFile.write(dir.resolve("result.json"), runs);
        List<RunResult> back = ResultFile.read(dir.resolve("result.json"));
        assertThat(back).isEqualTo(runs);
        assertThat(back.get(1).publish().p99Ms()).isEqualTo(runs.get(1).publish().p99Ms()).isPositive();
        assertThat(back.get(0).settings()).containsExactlyEntriesOf(runs.get(0).settings());
        assertThat(back.get(0).backlog()).isEqualTo(runs.get(0).backlog());
    }

    @Test
    void aFileOfAnotherFormatIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x.json"), "{\"format\": \"other\", \"runs\": []}");
        assertThatThrownBy(() -> ResultFile.read(dir.resolve("x.json"))).hasMessageContaining("is not a result file of format tributary-bench/1");
    }

    @Test
    void jsonRoundTripsItsValuesAndNamesWhereItBreaks() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("s", "a\"b\\c\n\u0001é");
        doc.put("l", 12345678901L);
        doc.put("d", 0.1);
        doc.put("tiny", 1.0E-12);
        doc.put("t", true);
        doc.put("n", null);
        doc.put("list", List.of(1L, List.of(), Map.of()));
        assertThat(Json.parse(Json.write(doc))).isEqualTo(doc);
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2}")).hasMessageContaining("expected ']' at character 11");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("expected end of input");
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("no form for the number NaN");
    }

    @Test
    void theHtmlHoldsEveryChartInlineAndEachHasAPng(@TempDir Path dir) throws IOException {
        List<RunResult> runs = List.of(run("kafka", "max-rate", 1), run("tributary", "max-rate", 2),
            run("kafka", "fixed-rate", 3), run("tributary", "fixed-rate", 4));
        Path page = RunReport.write(dir, "Report <test>", runs);
        String html = Files.readString(page);

        HtmlReport expected = RunReport.html("Report <test>", runs);
        assertThat(expected.charts()).extracting(Chart::id).containsExactly(
            "max-rate-throughput", "max-rate-publish-latency", "max-rate-e2e-latency",
            "fixed-rate-throughput", "fixed-rate-publish-latency", "fixed-rate-e2e-latency");
        for (Chart chart : expected.charts()) {
            assertThat(html).contains("<figure id=\"" + chart.id() + "\">");
            BufferedImage png = ImageIO.read(dir.resolve(chart.id() + ".png").toFile());
            assertThat(png.getWidth()).isEqualTo(ChartPainter.WIDTH);
            assertThat(png.getHeight()).isEqualTo(ChartPainter.HEIGHT);
            assertThat(distinctColours(png)).as("%s has more than a blank background", chart.id()).isGreaterThan(10);
        }
        assertThat(count(html, "<svg ")).isEqualTo(6);
        assertThat(count(html, "</svg>")).isEqualTo(6);
        // One polyline per series: two runs a chart, produce and consume on the throughput charts.
        assertThat(count(html, "<polyline")).isEqualTo(2 * (4 + 2 + 2));
        assertThat(html).contains("99.99%", ">max<", "Report &lt;test&gt;", "kafka/max-rate", "&lt;tags&gt; &amp;");
        assertThat(html).as("self-contained: nothing to fetch").doesNotContain("<script", "<link", "src=", "href=", "@import");
        assertThat(ResultFile.read(dir.resolve("result.json"))).hasSize(4);
    }

    @Test
    void chartIdsMustBeSafeFileNamesAndUnique() {
        assertThatThrownBy(() -> new Chart("../x", "t", "x", "y", Chart.Scale.LINEAR, Chart.Scale.LINEAR, List.of()))
            .hasMessageContaining("chart id '../x'");
        HtmlReport html = new HtmlReport("t");
        Chart chart = new Chart("a", "t", "x", "y", Chart.Scale.LINEAR, Chart.Scale.LINEAR, List.of());
        html.chart(chart);
        assertThatThrownBy(() -> html.chart(chart)).hasMessageContaining("two charts with the id a");
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(ChartPainter.niceStep(0.37)).isEqualTo(0.5);
        assertThat(ChartPainter.niceStep(1.0)).isEqualTo(1.0);
        assertThat(ChartPainter.niceStep(13)).isEqualTo(20);
        assertThat(ChartPainter.niceStep(4100)).isEqualTo(5000);
        assertThat(ChartPainter.niceStep(7)).isEqualTo(10);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
