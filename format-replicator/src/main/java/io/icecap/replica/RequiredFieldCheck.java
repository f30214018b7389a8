package io.icecap.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Refuses a relation with a null where the table's schema requires a value. DuckDB holds nested
 * fields without NOT NULL, and the relation may be any view or query, but DuckDB writes such a null
 * into the Parquet file all the same and Iceberg's readers give it back in the required field.
 */
final class RequiredFieldCheck {
  private RequiredFieldCheck() {}

  /**
   * Refuses a relation with a null where the table's schema requires a value. DuckDB holds nested
   * fields without NOT NULL, and the relation may be any view or query, but DuckDB writes such a
   * null into the Parquet file all the same and Iceberg's readers give it back in the required
   * field.
   */
  static void verify(Connection duckdb, String relation, Table table) throws SQLException {
    Map<String, String> conditions = new LinkedHashMap<>();
    for (Types.NestedField field : table.schema().columns()) {
      String column = DuckDbTypes.quote(field.name());
      if (field.isRequired()) {
        conditions.put(field.name(), column + " IS NULL");
      }
      requiredInside(column, field.type(), field.name(), 0)
          .forEach(
              (path, condition) ->
                  conditions.put(path, "(" + column + " IS NOT NULL AND " + condition + ")"));
    }
    if (conditions.isEmpty()) {
      return;
    }
    List<String> counts = new ArrayList<>();
    conditions
        .values()
        .forEach(condition -> counts.add("count(*) FILTER (WHERE " + condition + ")"));
    List<String> problems = new ArrayList<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT " + String.join(", ", counts) + " FROM " + relation)) {
      result.next();
      int index = 1;
      for (String path : conditions.keySet()) {
        long rows = result.getLong(index++);
        if (rows > 0) {
          problems.add(String.format("%s is null in %d rows", path, rows));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ReplicaException(
          "Cannot write DuckDB relation %s as Parquet for table %s: required fields hold nulls: %s",
          relation, table, String.join("; ", problems));
    }
  }

  /**
   * The required fields inside a value of {@code type}, by dotted path, each with a DuckDB
   * condition that is true when a non-null {@code value} holds a null there.
   */
  private static Map<String, String> requiredInside(
      String value, Type type, String path, int depth) {
    Map<String, String> conditions = new LinkedHashMap<>();
    switch (type.typeId()) {
      case STRUCT:
        for (Types.NestedField field : type.asStructType().fields()) {
          String child = "struct_extract(" + value + ", " + DuckDbTypes.literal(field.name()) + ")";
          String childPath = path + "." + field.name();
          if (field.isRequired()) {
            conditions.put(childPath, child + " IS NULL");
          }
          requiredInside(child, field.type(), childPath, depth)
              .forEach(
                  (nested, condition) ->
                      conditions.put(nested, "(" + child + " IS NOT NULL AND " + condition + ")"));
        }
        break;
      case LIST:
        Types.ListType list = type.asListType();
        inElements(
            "(" + value + ")",
            list.isElementRequired(),
            list.elementType(),
            path + ".element",
            depth,
            conditions);
        break;
      case MAP:
        Types.MapType map = type.asMapType();
        inElements(
            "map_keys(" + value + ")", false, map.keyType(), path + ".key", depth, conditions);
        inElements(
            "map_values(" + value + ")",
            map.isValueRequired(),
            map.valueType(),
            path + ".value",
            depth,
            conditions);
        break;
      default:
        break;
    }
    return conditions;
  }

  /** Adds the conditions for the elements of a DuckDB list: any element breaking them. */
  private static void inElements(
      String list,
      boolean required,
      Type elementType,
      String path,
      int depth,
      Map<String, String> conditions) {
    String element = "e" + depth;
    Map<String, String> perElement = new LinkedHashMap<>();
    if (required) {
      perElement.put(path, element + " IS NULL");
    }
    requiredInside(element, elementType, path, depth + 1)
        .forEach(
            (nested, condition) ->
                perElement.put(nested, "(" + element + " IS NOT NULL AND " + condition + ")"));
    perElement.forEach(
        (nested, condition) ->
            conditions.put(
                nested,
                "coalesce(list_bool_or(list_transform("
                    + list
                    + ", lambda "
                    + element
                    + ": "
                    + condition
                    + ")), false)"));
  }
}
