package io.tributary.bench.report;

/**
 * What {@link ChartPainter} draws on, in pixels from the top left: the two implementations write SVG
 * markup ({@link SvgCanvas}) and raster a PNG ({@link PngCanvas}) from the same drawing calls, so the HTML
 * report and the README images show the same chart. Colours are {@code #rrggbb}.
 */
interface Canvas {
    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, String color, double width, boolean dashed);

    void circle(double x, double y, double radius, String color);

    void rect(double x, double y, double width, double height, String fill);

    void text(double x, double y, String text, int size, Anchor anchor, String color, boolean vertical);
}
