package io.icecap.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows of a {@link java.sql.DatabaseMetaData} answer, served as a real result set by an
 * in-memory DuckDB database: column names and types are what JDBC specifies for the answer.
 */
final class MetaRows {
  private static final AtomicLong TABLES = new AtomicLong();

  private final List<String> names = new ArrayList<>();
  private final List<String> types = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  /**
   * Columns as {@code NAME} (text) or {@code NAME:type} with a DuckDB type such as {@code int},
   * {@code smallint}, {@code bigint} or {@code boolean}.
   */
  MetaRows(String... columns) {
    for (String column : columns) {
      int colon = column.indexOf(':');
      names.add(colon < 0 ? column : column.substring(0, colon));
      types.add(
          colon < 0 ? "VARCHAR" : column.substring(colon + 1).toUpperCase(java.util.Locale.ROOT));
    }
  }

  MetaRows add(Object... values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(
          "A row of " + values.length + " values for " + names.size() + " columns");
    }
    rows.add(values);
    return this;
  }

  /** The rows in insertion order (callers add them in the order JDBC specifies). */
  ResultSet resultSet(IcecapConnection connection) throws SQLException {
    Connection db = connection.metadataDb();
    String table = "icecap_meta_" + TABLES.incrementAndGet();
    StringBuilder create = new StringBuilder("CREATE TEMP TABLE ").append(table).append(" (");
    create.append("icecap_row BIGINT");
    for (int i = 0; i < names.size(); i++) {
      create.append(", \"").append(names.get(i)).append("\" ").append(types.get(i));
    }
    create.append(')');
    try (Statement statement = db.createStatement()) {
      statement.execute(create.toString());
      try {
        if (!rows.isEmpty()) {
          String marks = "?" + ", ?".repeat(names.size());
          try (PreparedStatement insert =
              db.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
            long number = 0;
            for (Object[] row : rows) {
              insert.setLong(1, number++);
              for (int i = 0; i < row.length; i++) {
                insert.setObject(i + 2, row[i]);
              }
              insert.addBatch();
            }
            insert.executeBatch();
          }
        }
        Statement query = db.createStatement();
        ResultSet result;
        try {
          result =
              query.executeQuery(
                  "SELECT * EXCLUDE (icecap_row) FROM " + table + " ORDER BY icecap_row");
        } catch (SQLException e) {
          query.close();
          throw e;
        }
        return JdbcResults.wrap(result, null, 0, () -> close(query));
      } finally {
        statement.execute("DROP TABLE " + table);
      }
    }
  }

  private static void close(Statement statement) {
    try {
      statement.close();
    } catch (SQLException e) {
      // an in-memory result: nothing is left open
    }
  }
}
