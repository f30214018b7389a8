package io.icecap.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of Spark and of Icecap in one comparable form: each value as text, numbers without trailing
 * zeros ({@code 12.50} and {@code 12.5} alike), dates as ISO dates, SQL NULL as null.
 */
final class Rows {
  private Rows() {}

  /** Spark's rows, as {@link SparkProcess#sql} returns them. */
  static List<List<String>> ofSpark(List<List<JsonNode>> rows) {
    List<List<String>> out = new ArrayList<>();
    for (List<JsonNode> row : rows) {
      List<String> values = new ArrayList<>();
      for (JsonNode value : row) {
        if (value.isNull()) {
          values.add(null);
        } else if (value.isNumber()) {
          values.add(number(value.decimalValue()));
        } else {
          values.add(value.asText());
        }
      }
      out.add(values);
    }
    return out;
  }

  /** Every row of an Icecap result set; closes it. */
  static List<List<String>> ofIcecap(ResultSet rows) throws SQLException {
    try (rows) {
      List<List<String>> out = new ArrayList<>();
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = rows.getObject(i);
          if (value == null) {
            values.add(null);
          } else if (value instanceof Number number) {
            values.add(number(new BigDecimal(number.toString())));
          } else {
            values.add(value.toString());
          }
        }
        out.add(values);
      }
      return out;
    }
  }

  private static String number(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  /** A row written out, for expected values. */
  static List<String> row(Object... values) {
    List<String> row = new ArrayList<>();
    for (Object value : values) {
      row.add(
          value == null
              ? null
              : value instanceof Number n
                  ? number(new BigDecimal(n.toString()))
                  : value.toString());
    }
    return row;
  }
}
