package io.icecap.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * How to read one column of one data file when its struct fields are named differently in the file
 * than in the table's schema (renamed since the file was written, or dropped and the name reused).
 *
 * <p>DuckDB's {@code read_parquet} finds top-level columns by field id but fields inside a struct
 * by name. So a column whose struct fields differ is read with the file's names, a field the file
 * lacks under a name no file field has (it reads as NULL), and then rebuilt under the schema's
 * names by an expression.
 */
final class NestedFieldMapping {
  private final Map<Integer, String> fileNames;
  private int lambdas;

  private NestedFieldMapping(Map<Integer, String> fileNames) {
    this.fileNames = fileNames;
  }

  /** Reads the field ids and names of a local Parquet file. */
  static NestedFieldMapping of(Connection duckdb, String localFile) throws SQLException {
    Map<Integer, String> names = new HashMap<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet nodes =
            statement.executeQuery(
                "SELECT name, field_id FROM parquet_schema("
                    + DuckDbTypes.literal(localFile)
                    + ") WHERE field_id IS NOT NULL")) {
      while (nodes.next()) {
        names.put(nodes.getInt(2), nodes.getString(1));
      }
    }
    return new NestedFieldMapping(names);
  }

  /** Whether a column's struct fields are named in the file as in the schema. */
  boolean matches(Type type) {
    switch (type.typeId()) {
      case STRUCT:
        for (Types.NestedField field : type.asStructType().fields()) {
          if (!field.name().equals(fileNames.get(field.fieldId())) || !matches(field.type())) {
            return false;
          }
        }
        return true;
      case LIST:
        return matches(type.asListType().elementType());
      case MAP:
        return matches(type.asMapType().keyType()) && matches(type.asMapType().valueType());
      default:
        return true;
    }
  }

  /** The DuckDB type to read a column with: the schema's type under the file's names. */
  String readType(Type type) {
    switch (type.typeId()) {
      case STRUCT:
        List<String> fields = new ArrayList<>();
        for (Types.NestedField field : type.asStructType().fields()) {
          fields.add(DuckDbTypes.quote(fileName(field)) + " " + readType(field.type()));
        }
        return "STRUCT(" + String.join(", ", fields) + ")";
      case LIST:
        return readType(type.asListType().elementType()) + "[]";
      case MAP:
        return "MAP("
            + readType(type.asMapType().keyType())
            + ", "
            + readType(type.asMapType().valueType())
            + ")";
      default:
        return DuckDbTypes.toDuckDb("column", type);
    }
  }

  /** An expression that rebuilds a value read with {@link #readType} under the schema's names. */
  String rename(String value, Type type) {
    switch (type.typeId()) {
      case STRUCT:
        List<String> fields = new ArrayList<>();
        for (Types.NestedField field : type.asStructType().fields()) {
          String child =
              "struct_extract(" + value + ", " + DuckDbTypes.literal(fileName(field)) + ")";
          fields.add(DuckDbTypes.quote(field.name()) + " := " + rename(child, field.type()));
        }
        return "CASE WHEN "
            + value
            + " IS NULL THEN NULL ELSE struct_pack("
            + String.join(", ", fields)
            + ") END";
      case LIST:
        String element = "x" + lambdas++;
        return "list_transform("
            + value
            + ", lambda "
            + element
            + ": "
            + rename(element, type.asListType().elementType())
            + ")";
      case MAP:
        String entry = "e" + lambdas++;
        Types.MapType map = type.asMapType();
        return "CASE WHEN "
            + value
            + " IS NULL THEN NULL ELSE map_from_entries(list_transform(map_entries("
            + value
            + "), lambda "
            + entry
            + ": struct_pack(key := "
            + rename("struct_extract(" + entry + ", 'key')", map.keyType())
            + ", value := "
            + rename("struct_extract(" + entry + ", 'value')", map.valueType())
            + "))) END";
      default:
        return value;
    }
  }

  /** The field's name in the file, or, when the file lacks it, a name no file field has. */
  private String fileName(Types.NestedField field) {
    String name = fileNames.get(field.fieldId());
    return name != null ? name : "__icecap_absent_" + field.fieldId();
  }
}
