package dev.robustlab.cli.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with right-aligned cells, a header row and a rule under it. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    /** Adds a row; missing cells are blank. */
    public TextTable row(String... cells) {
        rows.add(Arrays.copyOf(cells, columns));
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c] == null ? 0 : row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                String cell = row[c] == null ? "" : row[c];
                out.append(c == 0 ? "" : "  ").append(c == 0 ? pad(cell, width[c], false) : pad(cell, width[c], true));
            }
            out.append('\n');
            if (r == 0) {
                int total = Arrays.stream(width).sum() + 2 * (columns - 1);
                out.append("-".repeat(total)).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
