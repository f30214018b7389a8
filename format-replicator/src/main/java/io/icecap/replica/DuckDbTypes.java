package io.icecap.replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The mapping of Iceberg types to DuckDB types, and the column and field-id clauses DuckDB needs to
 * hold a table's rows and to write them as Parquet that Iceberg reads by field id.
 */
public final class DuckDbTypes {
  /** The key of a nested column's own id in DuckDB's {@code FIELD_IDS} option. */
  private static final String FIELD_ID_KEY = "__duckdb_field_id";

  private DuckDbTypes() {}

  /**
   * The DuckDB type of an Iceberg type.
   *
   * @param column the column's dotted path, for the error message
   * @throws UnsupportedTypeException when DuckDB has no counterpart that round-trips through
   *     Parquet to Iceberg, or a struct has field names DuckDB cannot hold
   */
  public static String toDuckDb(String column, Type type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return "BOOLEAN";
      case INTEGER:
        return "INTEGER";
      case LONG:
        return "BIGINT";
      case FLOAT:
        return "FLOAT";
      case DOUBLE:
        return "DOUBLE";
      case DECIMAL:
        Types.DecimalType decimal = (Types.DecimalType) type;
        return "DECIMAL(" + decimal.precision() + ", " + decimal.scale() + ")";
      case DATE:
        return "DATE";
      case TIME:
        return "TIME";
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? "TIMESTAMP WITH TIME ZONE"
            : "TIMESTAMP";
      case TIMESTAMP_NANO:
        if (((Types.TimestampNanoType) type).shouldAdjustToUTC()) {
          throw new UnsupportedTypeException(
              column,
              type,
              "DuckDB has no nanosecond timestamp with time zone; use timestamptz (microseconds)"
                  + " or timestamp_ns without zone");
        }
        return "TIMESTAMP_NS";
      case STRING:
        return "VARCHAR";
      case UUID:
        return "UUID";
      case FIXED:
        throw new UnsupportedTypeException(
            column,
            type,
            "DuckDB has no fixed-length binary type: a BLOB column does not keep the length, and"
                + " DuckDB writes it to Parquet as a variable-length BYTE_ARRAY where Iceberg"
                + " requires FIXED_LEN_BYTE_ARRAY, so Iceberg would read the values back as binary;"
                + " use binary");
      case BINARY:
        return "BLOB";
      case STRUCT:
        List<Types.NestedField> structFields = type.asStructType().fields();
        if (structFields.isEmpty()) {
          throw new UnsupportedTypeException(column, type, "DuckDB has no struct without fields");
        }
        checkNames(column + ".", structFields, true);
        List<String> fields = new ArrayList<>();
        for (Types.NestedField field : structFields) {
          fields.add(
              quote(field.name()) + " " + toDuckDb(column + "." + field.name(), field.type()));
        }
        return "STRUCT(" + String.join(", ", fields) + ")";
      case LIST:
        return toDuckDb(column + ".element", type.asListType().elementType()) + "[]";
      case MAP:
        Types.MapType map = type.asMapType();
        return "MAP("
            + toDuckDb(column + ".key", map.keyType())
            + ", "
            + toDuckDb(column + ".value", map.valueType())
            + ")";
      default:
        throw new UnsupportedTypeException(
            column, type, "DuckDB has no counterpart that Icecap can replicate");
    }
  }

  /**
   * The column definitions of a DuckDB table holding rows of {@code schema}: quoted names, DuckDB
   * types, and {@code NOT NULL} for required top-level columns. DuckDB has no {@code NOT NULL}
   * inside nested types; {@link ParquetReplicaWriter} checks those fields before writing.
   *
   * @throws UnsupportedTypeException for a type DuckDB cannot hold, or names it cannot tell apart
   */
  public static String columnDefinitions(Schema schema) {
    checkNames("", schema.columns(), false);
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      columns.add(
          quote(field.name())
              + " "
              + toDuckDb(field.name(), field.type())
              + (field.isRequired() ? " NOT NULL" : ""));
    }
    return String.join(", ", columns);
  }

  /**
   * DuckDB's {@code read_parquet} schema argument for {@code fields}: each column found by its
   * Iceberg field id, not by name, so renamed and added columns read right (an added column is NULL
   * in files written before it).
   *
   * @param readTypes the DuckDB type to read a field with, by field id, where it differs from the
   *     field's own (struct fields renamed since a file was written)
   */
  public static String fieldIdSchema(
      List<Types.NestedField> fields, java.util.Map<Integer, String> readTypes) {
    List<String> entries = new ArrayList<>();
    for (Types.NestedField field : fields) {
      String type = readTypes.getOrDefault(field.fieldId(), toDuckDb(field.name(), field.type()));
      entries.add(
          field.fieldId()
              + ": {name: "
              + literal(field.name())
              + ", type: "
              + literal(type)
              + ", default_value: NULL}");
    }
    return "MAP {" + String.join(", ", entries) + "}";
  }

  /**
   * The value of DuckDB's {@code FIELD_IDS} copy option for {@code schema}: every column, struct
   * field, list element and map key and value carries its Iceberg field id.
   */
  public static String fieldIds(Schema schema) {
    List<String> entries = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      entries.add(literal(field.name()) + ": " + fieldId(field.fieldId(), field.type()));
    }
    return "{" + String.join(", ", entries) + "}";
  }

  private static String fieldId(int id, Type type) {
    if (type.isPrimitiveType()) {
      return Integer.toString(id);
    }
    List<String> entries = new ArrayList<>();
    entries.add(FIELD_ID_KEY + ": " + id);
    switch (type.typeId()) {
      case STRUCT:
        for (Types.NestedField field : type.asStructType().fields()) {
          entries.add(literal(field.name()) + ": " + fieldId(field.fieldId(), field.type()));
        }
        break;
      case LIST:
        Types.ListType list = type.asListType();
        entries.add("element: " + fieldId(list.elementId(), list.elementType()));
        break;
      case MAP:
        Types.MapType map = type.asMapType();
        entries.add("key: " + fieldId(map.keyId(), map.keyType()));
        entries.add("value: " + fieldId(map.valueId(), map.valueType()));
        break;
      default:
        throw new IllegalStateException("Not a nested type: " + type);
    }
    return "{" + String.join(", ", entries) + "}";
  }

  /**
   * Refuses names DuckDB cannot tell apart or cannot hold: DuckDB compares names ignoring ASCII
   * case and has no empty names, and the {@code FIELD_IDS} option of a struct reserves {@value
   * #FIELD_ID_KEY}.
   */
  private static void checkNames(String prefix, List<Types.NestedField> fields, boolean inStruct) {
    Map<String, String> seen = new HashMap<>();
    for (Types.NestedField field : fields) {
      String name = field.name();
      if (name.isEmpty()) {
        throw new UnsupportedTypeException(
            prefix + "\"\"", field.type(), "DuckDB has no empty names; rename it");
      }
      String folded = asciiLowerCase(name);
      if (inStruct && folded.equals(FIELD_ID_KEY)) {
        throw new UnsupportedTypeException(
            prefix + name,
            field.type(),
            "DuckDB reserves the struct field name " + FIELD_ID_KEY + " for field ids; rename it");
      }
      String other = seen.putIfAbsent(folded, name);
      if (other != null) {
        throw new UnsupportedTypeException(
            prefix + name,
            field.type(),
            "DuckDB names ignore case, so it cannot be told apart from "
                + prefix
                + other
                + "; rename one of them");
      }
    }
  }

  private static String asciiLowerCase(String name) {
    StringBuilder folded = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return folded.toString();
  }

  /** A DuckDB identifier in double quotes, with embedded quotes doubled. */
  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A DuckDB string literal in single quotes, with embedded quotes doubled. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
