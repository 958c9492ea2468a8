package io.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays a {@link Chart} out and draws it on a {@link Canvas}: title and legend on top, axes with ticks and
 * grid lines, one coloured polyline per series and, on a percentile chart, each series' max as a dot in
 * the "max" column. The same layout goes to SVG (inline in the HTML) and PNG.
 */
public final class ChartPainter {
    public static final int WIDTH = 760;
    public static final int HEIGHT = 380;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    private static final double LEFT = 72;
    private static final double RIGHT = 24;
    private static final double TOP = 56;
    private static final double BOTTOM = 52;
    private static final double MAX_COLUMN = 64;
    private static final double LEGEND_ROW = 16;
    private static final double[] NINES_TICKS = {50, 90, 99, 99.9, 99.99};

    private final Chart chart;
    private final double plotLeft = LEFT;
    private final double plotRight;
    private final double plotTop;
    private final double plotBottom = HEIGHT - BOTTOM;
    private final boolean maxColumn;
    private double xMin;
    private double xMax;
    private double yMin;
    private double yMax;

    private ChartPainter(Chart chart) {
        this.chart = chart;
        this.maxColumn = chart.xScale() == Chart.Scale.NINES && chart.series().stream().anyMatch(s -> s.max() != null);
        this.plotRight = WIDTH - RIGHT - (maxColumn ? MAX_COLUMN : 0);
        this.plotTop = TOP + LEGEND_ROW * (legendRows() - 1);
        bounds();
    }

    /** The chart as an {@code <svg>} element. */
    public static String svg(Chart chart) {
        SvgCanvas canvas = new SvgCanvas(WIDTH, HEIGHT, chart.title());
        new ChartPainter(chart).paint(canvas);
        return canvas.finish();
    }

    public static void png(Chart chart, Path file) throws IOException {
        PngCanvas canvas = new PngCanvas(WIDTH, HEIGHT);
        new ChartPainter(chart).paint(canvas);
        canvas.write(file);
    }

    private double xValue(double x) {
        return chart.xScale() == Chart.Scale.NINES ? -Math.log10(Math.max(1e-9, 1 - x / 100)) : x;
    }

    private void bounds() {
        xMin = Double.MAX_VALUE;
        xMax = -Double.MAX_VALUE;
        yMin = Double.MAX_VALUE;
        yMax = -Double.MAX_VALUE;
        for (Chart.Series s : chart.series()) {
            for (double[] p : s.points()) {
                xMin = Math.min(xMin, xValue(p[0]));
                xMax = Math.max(xMax, xValue(p[0]));
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
            }
            if (maxColumn && s.max() != null) {
                yMax = Math.max(yMax, s.max());
                yMin = Math.min(yMin, s.max());
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (chart.xScale() == Chart.Scale.NINES) {
            xMin = xValue(50);
            xMax = Math.max(xMax, xValue(99.99));
        }
        if (chart.xScale() == Chart.Scale.LINEAR && xMin > 0) {
            xMin = 0; // time axes start at the start of the run
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (chart.yScale() == Chart.Scale.LOG) {
            double floor = 0.001;
            yMin = Math.pow(10, Math.floor(Math.log10(Math.max(floor, yMin))));
            yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(yMin * 10, yMax))));
        } else {
            yMin = Math.min(0, yMin);
            double step = niceStep(Math.max(yMax - yMin, 1e-9) / 5);
            yMax = Math.max(step, Math.ceil(yMax / step) * step);
        }
    }

    private double px(double x) {
        return plotLeft + (xValue(x) - xMin) / (xMax - xMin) * (plotRight - plotLeft);
    }

    private double py(double y) {
        double fraction = chart.yScale() == Chart.Scale.LOG
            ? (Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
            : (y - yMin) / (yMax - yMin);
        return plotBottom - fraction * (plotBottom - plotTop);
    }

    private void paint(Canvas c) {
        c.rect(0, 0, WIDTH, HEIGHT, "#ffffff");
        c.text(WIDTH / 2.0, 22, chart.title(), 15, Canvas.Anchor.MIDDLE, "#222222", false);
        legend(c);
        yAxis(c);
        xAxis(c);
        c.line(plotLeft, plotBottom, plotRight + (maxColumn ? MAX_COLUMN : 0), plotBottom, "#444444", 1, false);
        c.line(plotLeft, plotTop, plotLeft, plotBottom, "#444444", 1, false);
        for (int i = 0; i < chart.series().size(); i++) {
            Chart.Series s = chart.series().get(i);
            String color = COLORS[s.colour() % COLORS.length];
            double[] xs = new double[s.points().size()];
            double[] ys = new double[xs.length];
            for (int j = 0; j < xs.length; j++) {
                xs[j] = px(s.points().get(j)[0]);
                ys[j] = py(s.points().get(j)[1]);
            }
            c.polyline(xs, ys, color, 2, s.dashed());
            if (maxColumn && s.max() != null) {
                c.circle(plotRight + MAX_COLUMN * 0.65, py(s.max()), 4, color);
            }
        }
    }

    private static double legendWidth(Chart.Series s) {
        return 30 + s.name().length() * 6.5;
    }

    /** Legend entries flow left to right and wrap onto further rows; the plot starts below the last one. */
    private int legendRows() {
        int rows = 1;
        double x = LEFT;
        for (Chart.Series s : chart.series()) {
            if (x > LEFT && x + legendWidth(s) > WIDTH - RIGHT) {
                rows++;
                x = LEFT;
            }
            x += legendWidth(s);
        }
        return rows;
    }

    private void legend(Canvas c) {
        double x = plotLeft;
        double y = 34;
        for (Chart.Series s : chart.series()) {
            if (x > plotLeft && x + legendWidth(s) > WIDTH - RIGHT) {
                x = plotLeft;
                y += LEGEND_ROW;
            }
            String color = COLORS[s.colour() % COLORS.length];
            if (s.dashed()) {
                c.rect(x, y, 5, 4, color);
                c.rect(x + 9, y, 5, 4, color);
            } else {
                c.rect(x, y, 14, 4, color);
            }
            c.text(x + 18, y + 6, s.name(), 11, Canvas.Anchor.START, "#333333", false);
            x += legendWidth(s);
        }
    }

    private void yAxis(Canvas c) {
        List<Double> ticks = new ArrayList<>();
        if (chart.yScale() == Chart.Scale.LOG) {
            for (double v = yMin; v <= yMax * 1.0001; v *= 10) {
                ticks.add(v);
            }
        } else {
            double step = niceStep((yMax - yMin) / 5);
            for (double v = yMin; v <= yMax + step / 1000; v += step) {
                ticks.add(v);
            }
        }
        for (double v : ticks) {
            double y = py(v);
            c.line(plotLeft, y, plotRight, y, "#e4e4e4", 1, false);
            c.text(plotLeft - 6, y + 4, number(v), 11, Canvas.Anchor.END, "#333333", false);
        }
        c.text(18, (plotTop + plotBottom) / 2, chart.yTitle(), 12, Canvas.Anchor.MIDDLE, "#333333", true);
    }

    private void xAxis(Canvas c) {
        if (chart.xScale() == Chart.Scale.NINES) {
            for (double p : NINES_TICKS) {
                double x = px(p);
                c.line(x, plotTop, x, plotBottom, "#e4e4e4", 1, false);
                c.text(x, plotBottom + 16, number(p) + "%", 11, Canvas.Anchor.MIDDLE, "#333333", false);
            }
            if (maxColumn) {
                c.line(plotRight + MAX_COLUMN * 0.3, plotTop, plotRight + MAX_COLUMN * 0.3, plotBottom, "#bbbbbb", 1, true);
                c.text(plotRight + MAX_COLUMN * 0.65, plotBottom + 16, "max", 11, Canvas.Anchor.MIDDLE, "#333333", false);
            }
        } else {
            double step = niceStep((xMax - xMin) / 8);
            for (double v = Math.ceil(xMin / step) * step; v <= xMax + step / 1000; v += step) {
                double x = px(v);
                c.line(x, plotTop, x, plotBottom, "#e4e4e4", 1, false);
                c.text(x, plotBottom + 16, number(v), 11, Canvas.Anchor.MIDDLE, "#333333", false);
            }
        }
        c.text((plotLeft + plotRight) / 2, HEIGHT - 14, chart.xTitle(), 12, Canvas.Anchor.MIDDLE, "#333333", false);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static String number(double v) {
        if (v != 0 && Math.abs(v) < 1) {
            return String.format(Locale.ROOT, "%s", stripZeros(String.format(Locale.ROOT, "%.3f", v)));
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return stripZeros(String.format(Locale.ROOT, "%.2f", v));
    }

    private static String stripZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
