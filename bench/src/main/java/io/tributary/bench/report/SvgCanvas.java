package io.tributary.bench.report;

import java.util.Locale;

/** Draws into SVG markup, for inlining in the HTML report (no scripts, no external resources). */
final class SvgCanvas implements Canvas {
    private final StringBuilder svg = new StringBuilder();
    private final int width;
    private final int height;

    SvgCanvas(int width, int height, String title) {
        this.width = width;
        this.height = height;
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Arial, sans-serif\" role=\"img\"><title>%s</title>\n",
            width, height, width, height, escape(title)));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
            x1, y1, x2, y2, color, width, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    @Override
    public void polyline(double[] xs, double[] ys, String color, double width, boolean dashed) {
        svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"")
            .append(String.format(Locale.ROOT, "%.1f", width)).append(dashed ? "\" stroke-dasharray=\"6 4" : "")
            .append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
        }
        svg.append("\"/>\n");
    }

    @Override
    public void circle(double x, double y, double radius, String color) {
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", x, y, radius, color));
    }

    @Override
    public void rect(double x, double y, double width, double height, String fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
            x, y, width, height, fill));
    }

    @Override
    public void text(double x, double y, String text, int size, Anchor anchor, String color, boolean vertical) {
        String transform = vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "";
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\" text-anchor=\"%s\"%s>%s</text>\n",
            x, y, size, color, anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end", transform, escape(text)));
    }

    String finish() {
        return svg + "</svg>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }
}
