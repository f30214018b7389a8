package io.icecap.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Rows printed as an aligned text table, numbers right-aligned, with a row count below. */
final class TextTable {
  private static final Set<Integer> NUMERIC =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC);

  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();
  private long hidden;

  TextTable(List<String> headers, boolean[] rightAligned) {
    this.headers = List.copyOf(headers);
    this.rightAligned = rightAligned.clone();
  }

  /** A table of the headers, every column left-aligned except the numeric ones named. */
  static TextTable of(String... headers) {
    return new TextTable(List.of(headers), new boolean[headers.length]);
  }

  TextTable alignRight(int... columns) {
    for (int column : columns) {
      rightAligned[column] = true;
    }
    return this;
  }

  TextTable add(Object... values) {
    String[] row = new String[headers.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = values[i] == null ? "NULL" : values[i].toString();
    }
    rows.add(row);
    return this;
  }

  /** The rows of a result set, at most {@code maxRows} of them kept for printing. */
  static TextTable of(ResultSet result, int maxRows) throws SQLException {
    ResultSetMetaData metadata = result.getMetaData();
    int columns = metadata.getColumnCount();
    List<String> headers = new ArrayList<>();
    boolean[] right = new boolean[columns];
    for (int i = 1; i <= columns; i++) {
      headers.add(metadata.getColumnLabel(i));
      right[i - 1] = NUMERIC.contains(metadata.getColumnType(i));
    }
    TextTable table = new TextTable(headers, right);
    while (result.next()) {
      if (table.rows.size() >= maxRows) {
        table.hidden++;
        continue;
      }
      Object[] values = new Object[columns];
      for (int i = 1; i <= columns; i++) {
        values[i - 1] = result.getObject(i) == null ? null : result.getString(i);
      }
      table.add(values);
    }
    return table;
  }

  int size() {
    return rows.size();
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      line.append(i == 0 ? " " : " | ").append(pad(headers.get(i), widths[i], false));
    }
    out.println(line.toString().stripTrailing());
    line.setLength(0);
    for (int i = 0; i < widths.length; i++) {
      line.append(i == 0 ? "" : "+").append("-".repeat(widths[i] + 2));
    }
    out.println(line);
    for (String[] row : rows) {
      line.setLength(0);
      for (int i = 0; i < widths.length; i++) {
        line.append(i == 0 ? " " : " | ").append(pad(row[i], widths[i], rightAligned[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    long total = rows.size() + hidden;
    out.printf(
        "(%d row%s%s)%n",
        total, total == 1 ? "" : "s", hidden > 0 ? ", the first " + rows.size() + " shown" : "");
  }

  private static String pad(String text, int width, boolean right) {
    String spaces = " ".repeat(width - text.length());
    return right ? spaces + text : text + spaces;
  }
}
