package io.tributary.bench.report;

import java.util.List;

/**
 * A line chart as data: series of (x, y) points over two axes, drawn by {@link ChartPainter} to SVG or PNG.
 * On a {@link Scale#NINES} x axis the x values are percentiles (50, 99.9, ...) placed at
 * {@code -log10(1 - p/100)}, so each "nine" gets the same width; a series' {@code max} is then drawn as a
 * dot in a column of its own at the right.
 *
 * @param id a file-name-safe identifier: the PNG is written as {@code <id>.png}
 */
public record Chart(String id, String title, String xTitle, String yTitle, Scale xScale, Scale yScale,
                    List<Series> series) {

    public enum Scale { LINEAR, LOG, NINES }

    /**
     * @param colour index into the painter's palette: series of one run share it (produce solid, consume dashed)
     * @param max    the maximum to draw in the max column of a NINES chart, or null
     */
    public record Series(String name, int colour, boolean dashed, List<double[]> points, Double max) {
    }

    public Chart {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("chart id '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        series = List.copyOf(series);
    }
}
