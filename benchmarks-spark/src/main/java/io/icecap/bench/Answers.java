package io.icecap.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Query answers of two engines in one form, so that they can be compared: Icecap's come from
 * DuckDB's JDBC driver, Spark's from its rows. Integers become longs, decimals lose their trailing
 * zeros (Spark and DuckDB widen a sum's scale differently), dates and timestamps become {@code
 * java.time} values; doubles are compared to within a relative 1e-9, because each engine adds an
 * average's terms in its own order.
 */
final class Answers {
  private static final double RELATIVE = 1e-9;

  private Answers() {}

  /** The rows of a JDBC result, closing it. */
  static List<List<Object>> of(ResultSet result) throws SQLException {
    try (result) {
      int columns = result.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(result.getObject(i));
        }
        rows.add(normal(row));
      }
      return rows;
    }
  }

  /** Rows of Spark's Java values, in the common form. */
  static List<List<Object>> of(List<List<Object>> rows) {
    return rows.stream().map(Answers::normal).toList();
  }

  private static List<Object> normal(List<Object> row) {
    List<Object> values = new ArrayList<>(row.size());
    for (Object value : row) {
      values.add(normal(value));
    }
    return values;
  }

  private static Object normal(Object value) {
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.longValueExact();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime();
    }
    if (value instanceof LocalDate || value instanceof LocalDateTime) {
      return value;
    }
    if (value == null
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean
        || value instanceof String) {
      return value;
    }
    return value.toString();
  }

  /** Whether two answers are the same rows in the same order. */
  static boolean same(List<List<Object>> a, List<List<Object>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int r = 0; r < a.size(); r++) {
      List<Object> x = a.get(r);
      List<Object> y = b.get(r);
      if (x.size() != y.size()) {
        return false;
      }
      for (int c = 0; c < x.size(); c++) {
        if (!same(x.get(c), y.get(c))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean same(Object x, Object y) {
    if (x instanceof Double a && y instanceof Double b) {
      return a.equals(b) || Math.abs(a - b) <= RELATIVE * Math.max(1, Math.abs(a));
    }
    return x == null ? y == null : x.equals(y);
  }
}
