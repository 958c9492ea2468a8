package io.tributary.ops.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text table: a header row and rows of cells, each column as wide as its widest cell, two spaces
 * between columns, numbers right-aligned. What the commands print by default.
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] numeric;

    public Table(String... headers) {
        this.headers = Arrays.asList(headers);
        this.numeric = new boolean[headers.length];
        Arrays.fill(numeric, true);
    }

    /** Adds a row; null cells print as "-". */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells for " + headers.size() + " columns " + headers);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (int i = 0; i < cells.length; i++) {
            Object cell = cells[i];
            row.add(cell == null ? "-" : cell.toString());
            numeric[i] &= cell == null || cell instanceof Number;
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(out, headers, widths, false);
        for (List<String> row : rows) {
            printRow(out, row, widths, true);
        }
        out.flush();
    }

    private void printRow(PrintWriter out, List<String> cells, int[] widths, boolean alignNumbers) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            if (i > 0) {
                line.append("  ");
            }
            if (alignNumbers && numeric[i]) {
                line.append(" ".repeat(widths[i] - cell.length())).append(cell);
            } else {
                line.append(cell);
                if (!last) {
                    line.append(" ".repeat(widths[i] - cell.length()));
                }
            }
        }
        out.println(line);
    }
}
