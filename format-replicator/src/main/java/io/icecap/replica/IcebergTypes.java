package io.icecap.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The mapping of DuckDB types to Iceberg types: the inverse of {@link DuckDbTypes}, plus the DuckDB
 * types that widen without loss (TINYINT and SMALLINT to int, UINTEGER to long, second and
 * millisecond timestamps to microsecond ones, JSON to string).
 */
public final class IcebergTypes {
  private IcebergTypes() {}

  /**
   * The Iceberg schema of a DuckDB relation's columns, with field ids from 1; a column DuckDB
   * declares NOT NULL is required.
   *
   * @throws UnsupportedTypeException when a column's type has no Iceberg counterpart
   */
  public static Schema schemaOf(Connection duckdb, String relation) throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Boolean> required = new ArrayList<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet columns = statement.executeQuery("DESCRIBE " + relation)) {
      while (columns.next()) {
        names.add(columns.getString("column_name"));
        types.add(columns.getString("column_type"));
        required.add("NO".equalsIgnoreCase(columns.getString("null")));
      }
    }
    AtomicInteger ids = new AtomicInteger(names.size());
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Type type = fromDuckDb(names.get(i), types.get(i), ids);
      fields.add(Types.NestedField.of(i + 1, !required.get(i), names.get(i), type));
    }
    return new Schema(fields);
  }

  /**
   * The Iceberg type of a DuckDB type as DuckDB spells it ({@code DESCRIBE}, {@code typeof}).
   *
   * @param column the column's dotted path, for the error message
   * @param ids the last field id given out; nested fields take the next ones
   * @throws UnsupportedTypeException when the type has no Iceberg counterpart
   */
  public static Type fromDuckDb(String column, String duckdbType, AtomicInteger ids) {
    Parser parser = new Parser(column, duckdbType, ids);
    Type type = parser.type(column);
    parser.end();
    return type;
  }

  /** A recursive-descent reader of DuckDB type names. */
  private static final class Parser {
    private final String text;
    private final String column;
    private final AtomicInteger ids;
    private int at;

    Parser(String column, String text, AtomicInteger ids) {
      this.column = column;
      this.text = text;
      this.ids = ids;
    }

    Type type(String path) {
      Type type = base(path);
      while (peek("[]")) {
        at += 2;
        type = Types.ListType.ofOptional(ids.incrementAndGet(), type);
      }
      if (peek("[")) {
        throw unsupported(path, "fixed-size arrays have no Iceberg counterpart; use a list");
      }
      return type;
    }

    private Type base(String path) {
      String word = word();
      switch (word) {
        case "BOOLEAN":
          return Types.BooleanType.get();
        case "TINYINT":
        case "SMALLINT":
        case "INTEGER":
        case "UTINYINT":
        case "USMALLINT":
          return Types.IntegerType.get();
        case "BIGINT":
        case "UINTEGER":
          return Types.LongType.get();
        case "FLOAT":
          return Types.FloatType.get();
        case "DOUBLE":
          return Types.DoubleType.get();
        case "DECIMAL":
          expect("(");
          int precision = number();
          expect(",");
          int scale = number();
          expect(")");
          return Types.DecimalType.of(precision, scale);
        case "DATE":
          return Types.DateType.get();
        case "TIME":
          if (peekWord("WITH")) {
            throw unsupported(path, "Iceberg's time has no time zone");
          }
          return Types.TimeType.get();
        case "TIMESTAMP":
          if (peekWord("WITH")) {
            word();
            expectWord("TIME");
            expectWord("ZONE");
            return Types.TimestampType.withZone();
          }
          return Types.TimestampType.withoutZone();
        case "TIMESTAMP_S":
        case "TIMESTAMP_MS":
          return Types.TimestampType.withoutZone();
        case "TIMESTAMP_NS":
          return Types.TimestampNanoType.withoutZone();
        case "VARCHAR":
        case "JSON":
          return Types.StringType.get();
        case "UUID":
          return Types.UUIDType.get();
        case "BLOB":
          return Types.BinaryType.get();
        case "STRUCT":
          return struct(path);
        case "MAP":
          expect("(");
          int keyId = ids.incrementAndGet();
          int valueId = ids.incrementAndGet();
          Type key = type(path + ".key");
          expect(",");
          Type value = type(path + ".value");
          expect(")");
          return Types.MapType.ofOptional(keyId, valueId, key, value);
        default:
          throw unsupported(path, "DuckDB type " + word + " has no Iceberg counterpart");
      }
    }

    private Type struct(String path) {
      expect("(");
      List<Types.NestedField> fields = new ArrayList<>();
      do {
        String name = name();
        int id = ids.incrementAndGet();
        fields.add(Types.NestedField.optional(id, name, type(path + "." + name)));
      } while (accept(","));
      expect(")");
      return Types.StructType.of(fields);
    }

    private String name() {
      skipSpaces();
      if (peek("\"")) {
        StringBuilder name = new StringBuilder();
        at++;
        while (at < text.length()) {
          char c = text.charAt(at++);
          if (c == '"') {
            if (peek("\"")) {
              name.append('"');
              at++;
            } else {
              return name.toString();
            }
          } else {
            name.append(c);
          }
        }
        throw malformed("an unterminated quoted name");
      }
      int start = at;
      while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      return text.substring(start, at);
    }

    private String word() {
      skipSpaces();
      int start = at;
      while (at < text.length()
          && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      if (start == at) {
        throw malformed("a type name");
      }
      return text.substring(start, at).toUpperCase(Locale.ROOT);
    }

    private boolean peekWord(String word) {
      int saved = at;
      skipSpaces();
      boolean found = text.regionMatches(true, at, word, 0, word.length());
      at = saved;
      return found;
    }

    private void expectWord(String word) {
      if (!word().equals(word)) {
        throw malformed(word);
      }
    }

    private int number() {
      skipSpaces();
      int start = at;
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      if (start == at) {
        throw malformed("a number");
      }
      return Integer.parseInt(text.substring(start, at));
    }

    private boolean peek(String token) {
      skipSpaces();
      return text.startsWith(token, at);
    }

    private boolean accept(String token) {
      if (peek(token)) {
        at += token.length();
        return true;
      }
      return false;
    }

    private void expect(String token) {
      if (!accept(token)) {
        throw malformed("'" + token + "'");
      }
    }

    void end() {
      skipSpaces();
      if (at != text.length()) {
        throw malformed("the end of the type");
      }
    }

    private void skipSpaces() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private UnsupportedTypeException unsupported(String path, String reason) {
      return UnsupportedTypeException.fromDuckDb(path, text, reason);
    }

    private IllegalArgumentException malformed(String expected) {
      return new IllegalArgumentException(
          String.format(
              "Cannot read the DuckDB type of column %s: expected %s at position %d of '%s'",
              column, expected, at, text));
    }
  }
}
