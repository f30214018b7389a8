package io.icecap.worker;

import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.InsertSource;
import io.icecap.txn.sql.SqlRewriter;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Inserts with one template whose VALUES rows are all parameters, added to a run's {@link
 * PendingRows} as one statement: the parameters become a table with a row per VALUES row.
 */
final class InsertBatch {
  private static final Pattern PARAMETER_ROWS =
      Pattern.compile(
          "(?is)\\s*VALUES\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)"
              + "(\\s*,\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\))*\\s*;?\\s*");
  private static final Map<String, Shape> SHAPES = new ConcurrentHashMap<>();
  private static final Shape NONE = new Shape(0, "");

  /**
   * How a template's records are added.
   *
   * @param width the parameters of one VALUES row
   * @param insert the INSERT into the pending rows, to be followed by the parameter table's query
   */
  record Shape(int width, String insert) {}

  private InsertBatch() {}

  /** The shape of an insert template, or null when its records are run one by one. */
  static Shape shapeOf(String template) {
    Shape shape = SHAPES.computeIfAbsent(template, InsertBatch::analyse);
    return shape == NONE ? null : shape;
  }

  private static Shape analyse(String template) {
    DmlStatement statement;
    try {
      statement = DmlParser.parse(template);
    } catch (RuntimeException e) {
      return NONE;
    }
    if (statement.kind() != DmlKind.INSERT
        || statement.insertSource().orElse(null) != InsertSource.VALUES
        || statement.onConflict()
        || statement.hasReturning()
        || !statement.target().parts().equals(List.of(RecordStatement.INSERT_STAGING))
        || statement.parameters().isEmpty()
        || statement.parameters().stream().anyMatch(p -> p.number().isPresent())) {
      return NONE;
    }
    String sql = statement.sql();
    int valuesAt = sql.toUpperCase(Locale.ROOT).indexOf("VALUES", statement.target().span().end());
    if (valuesAt < 0 || !PARAMETER_ROWS.matcher(sql.substring(valuesAt)).matches()) {
      return NONE;
    }
    String firstRow = sql.substring(valuesAt, sql.indexOf(')', valuesAt));
    int width = (int) firstRow.chars().filter(c -> c == '?').count();
    List<String> columns = new ArrayList<>();
    for (String column : statement.insertColumns()) {
      columns.add(SqlRewriter.quoteIdentifier(column));
    }
    if ((!columns.isEmpty() && columns.size() != width)
        || statement.parameters().size() % width != 0) {
      return NONE;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      values.add(ParameterTable.name(i));
    }
    values.add(PendingRows.SEQUENCE);
    String target =
        columns.isEmpty()
            ? PendingRows.TABLE
            : PendingRows.TABLE
                + " ("
                + String.join(", ", columns)
                + ", "
                + PendingRows.SEQUENCE
                + ")";
    return new Shape(
        width, "INSERT INTO " + target + " SELECT " + String.join(", ", values) + " FROM ");
  }

  /**
   * Adds the rows of inserts with this shape to the pending rows.
   *
   * @param parameters each insert's parameter literals
   * @param sequences each insert's sequence number
   */
  static void add(Statement sql, Shape shape, List<List<String>> parameters, List<Long> sequences)
      throws SQLException {
    ParameterTable table = new ParameterTable(shape.width(), List.of(PendingRows.SEQUENCE));
    for (int i = 0; i < parameters.size(); i++) {
      List<String> literals = parameters.get(i);
      if (literals.size() % shape.width() != 0) {
        throw new SQLException(
            "An insert has " + literals.size() + " parameters for rows of " + shape.width());
      }
      for (int row = 0; row < literals.size(); row += shape.width()) {
        table.add(literals.subList(row, row + shape.width()), sequences.get(i));
      }
    }
    sql.execute(shape.insert() + "(" + table.query() + ")");
  }
}
