package io.icecap.client;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Binds a query's parameters to DuckDB, mending what its driver gets wrong: a {@code LocalDate}
 * before the Gregorian cutover (15 October 1582) goes through {@code java.sql.Date}, whose calendar
 * is Julian there, so {@code 1582-10-10} was bound as {@code 1582-10-20} and {@code -0044-03-15} as
 * {@code 0045-03-15}; such a date is bound as midnight of that day (a TIMESTAMP, which DuckDB binds
 * right and compares with a DATE column as the day). An {@code Instant}, which the driver refuses,
 * is bound as a TIMESTAMPTZ at UTC.
 */
final class QueryParameters {
  private static final LocalDate CUTOVER = LocalDate.of(1582, 10, 15);

  private QueryParameters() {}

  /** Binds {@code value} as parameter {@code index} (1-based). */
  static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    statement.setObject(index, bindable(value));
  }

  /** The value as it is given to DuckDB's driver. */
  static Object bindable(Object value) {
    if (value instanceof LocalDate date && date.isBefore(CUTOVER)) {
      return date.atStartOfDay();
    }
    if (value instanceof Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    return value;
  }
}
