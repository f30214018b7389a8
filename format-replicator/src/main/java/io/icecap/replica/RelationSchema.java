package io.icecap.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;

/**
 * Checks that a DuckDB relation has exactly the columns, and column types, of an Iceberg schema.
 */
final class RelationSchema {
  private RelationSchema() {}

  /**
   * Compares the relation's columns with the schema's, by name and DuckDB type.
   *
   * @param what the relation as named in messages ("partition file /x.duckdb")
   * @throws ReplicaException listing every missing, extra or mistyped column
   */
  static void verify(Connection duckdb, String relation, Schema schema, String what)
      throws SQLException {
    Map<String, String> expected = describe(duckdb, expectedRelation(schema));
    Map<String, String> actual;
    try {
      actual = describe(duckdb, relation);
    } catch (SQLException e) {
      throw new ReplicaException(e, "Cannot read %s: %s", what, e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    expected.forEach(
        (column, type) -> {
          String found = actual.get(column);
          if (found == null) {
            problems.add("column " + column + " " + type + " is missing");
          } else if (!found.equals(type)) {
            problems.add("column " + column + " is " + found + ", expected " + type);
          }
        });
    actual.keySet().stream()
        .filter(column -> !expected.containsKey(column))
        .forEach(column -> problems.add("column " + column + " is not in the table schema"));
    if (!problems.isEmpty()) {
      throw new ReplicaException(
          "%s does not match the table schema: %s", what, String.join("; ", problems));
    }
  }

  /** A relation with no rows and the schema's DuckDB columns, to let DuckDB spell the types. */
  private static String expectedRelation(Schema schema) {
    List<String> casts = new ArrayList<>();
    for (var field : schema.columns()) {
      casts.add(
          "CAST(NULL AS "
              + DuckDbTypes.toDuckDb(field.name(), field.type())
              + ") AS "
              + DuckDbTypes.quote(field.name()));
    }
    return "(SELECT " + String.join(", ", casts) + " LIMIT 0)";
  }

  private static Map<String, String> describe(Connection duckdb, String relation)
      throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery("DESCRIBE " + relation)) {
      while (rows.next()) {
        columns.put(rows.getString("column_name"), rows.getString("column_type"));
      }
    }
    return columns;
  }
}
