package io.icecap.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.icecap.replica.DuckDbTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.types.Type;

/**
 * The value a query's constant has when DuckDB compares it with a column, computed by DuckDB itself
 * in the session's connection: a typed literal in its own type ({@code TIMESTAMP '1969-12-31
 * 23:59:59.9999995'} is DuckDB's {@code …59.999999}), a bare string literal cast to the column's
 * type (as DuckDB casts it), a parameter as a constant of the type DuckDB binds its Java value with
 * (a string one cast to the column's type). A constant DuckDB cannot evaluate, or of a type with no
 * exact value here, has none: the conjunct then simply does not prune. Values of literals are kept
 * (bounded), so a repeated query asks DuckDB once.
 */
final class QueryConstants {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CACHED = 1024;
  private static final Set<String> INTEGERS =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT",
          "UHUGEINT");
  private static final Set<String> INSTANTS =
      Set.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS");

  /** The sorts of value a constant has, each on its own line of comparison. */
  enum Kind {
    /** An exact number (integers and decimals). */
    NUMBER,
    /** A DOUBLE or FLOAT; {@code floating} holds it (maybe NaN or infinite). */
    FLOATING,
    /** A point in time (DATE or TIMESTAMP of any precision), as exact microseconds since 1970. */
    INSTANT,
    /** A time of day, as microseconds since midnight. */
    TIME,
    STRING,
    BOOLEAN
  }

  /**
   * A constant's value.
   *
   * @param kind what it is
   * @param number the exact value of a NUMBER, INSTANT or TIME, else null
   * @param floating the value of a FLOATING (and whether DuckDB held it as a 4-byte FLOAT)
   * @param text a STRING's text, else null
   * @param bool a BOOLEAN's value
   */
  record Value(
      Kind kind, BigDecimal number, double floating, boolean float32, String text, boolean bool) {
    static Value number(BigDecimal number) {
      return new Value(Kind.NUMBER, number, 0, false, null, false);
    }
  }

  /** DuckDB's parse tree of {@code SELECT 1}, whose select list takes an expression to print. */
  private JsonNode template;

  private final Map<String, Optional<Value>> literals =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Value>> eldest) {
          return size() > CACHED;
        }
      };

  /**
   * The value DuckDB compares with a column of {@code columnType}, or empty when it has none that
   * is known exactly (NULL, infinity, a type such as UUID or INTERVAL, an error).
   */
  Optional<Value> of(
      Connection duckdb, SelectTree.Operand operand, Type columnType, List<Object> parameters) {
    String column;
    try {
      column = DuckDbTypes.toDuckDb("column", columnType);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (operand.kind().equals("PARAMETER")) {
      Object value = parameter(operand.text(), parameters);
      if (value == null) {
        return Optional.empty();
      }
      Optional<Value> direct = direct(value, columnType);
      if (direct != null) {
        return direct;
      }
      // DuckDB binds the statement again with the types of the values given, so a parameter
      // compares as a constant of its Java value's type would (a string is cast to the column's)
      String sql =
          operand.castTo() == null
              ? "SELECT $1"
              : deserialize(duckdb, renumbered(operand.expression()));
      if (sql == null) {
        return Optional.empty();
      }
      Optional<Value> bound = evaluate(duckdb, sql, value, columnType);
      if (bound.isPresent()
          && bound.get().kind() == Kind.STRING
          && operand.castTo() == null
          && columnType.typeId() != Type.TypeID.STRING) {
        return evaluate(duckdb, "SELECT CAST($1 AS " + column + ")", value, columnType);
      }
      return bound;
    }
    String key = operand.expression() + " AS " + column;
    synchronized (literals) {
      Optional<Value> known = literals.get(key);
      if (known != null) {
        return known;
      }
    }
    String sql;
    if (operand.kind().equals("STRING")
        && (operand.castTo() == null || isString(operand.castTo()))
        && columnType.typeId() != Type.TypeID.STRING) {
      // DuckDB casts a string constant compared with a typed column to the column's type
      sql = "SELECT CAST(" + DuckDbTypes.literal(operand.text()) + " AS " + column + ")";
    } else {
      sql = deserialize(duckdb, operand.expression());
    }
    Optional<Value> value =
        sql == null ? Optional.empty() : evaluate(duckdb, sql, null, columnType);
    synchronized (literals) {
      literals.put(key, value);
    }
    return value;
  }

  private static boolean isString(String type) {
    return type.equals("VARCHAR") || type.equals("TEXT") || type.equals("STRING");
  }

  private static Object parameter(String number, List<Object> parameters) {
    int index;
    try {
      index = Integer.parseInt(number) - 1;
    } catch (NumberFormatException e) {
      return null;
    }
    return index < 0 || index >= parameters.size() ? null : parameters.get(index);
  }

  /**
   * The value of parameters whose conversion is plain (whole numbers, strings for string columns),
   * without asking DuckDB; null when DuckDB must be asked.
   */
  private static Optional<Value> direct(Object value, Type columnType) {
    boolean whole =
        value instanceof Integer
            || value instanceof Long
            || value instanceof Short
            || value instanceof Byte;
    switch (columnType.typeId()) {
      case INTEGER, LONG, DECIMAL:
        return whole
            ? Optional.of(Value.number(BigDecimal.valueOf(((Number) value).longValue())))
            : null;
      case STRING:
        return value instanceof String text
            ? Optional.of(new Value(Kind.STRING, null, 0, false, text, false))
            : null;
      default:
        return null;
    }
  }

  /** The operand's expression with its parameter numbered 1. */
  private static JsonNode renumbered(JsonNode expression) {
    JsonNode copy = expression.deepCopy();
    renumber(copy);
    return copy;
  }

  private static void renumber(JsonNode node) {
    if (node instanceof ObjectNode object && "PARAMETER".equals(object.path("class").asText())) {
      object.put("identifier", "1");
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        renumber(child);
      }
    }
  }

  /** {@code SELECT <expression>} from the expression's parse tree, by DuckDB; null on failure. */
  private String deserialize(Connection duckdb, JsonNode expression) {
    try {
      if (template == null) {
        try (PreparedStatement serialize =
                duckdb.prepareStatement("SELECT json_serialize_sql('SELECT 1')");
            ResultSet result = serialize.executeQuery()) {
          result.next();
          template = JSON.readTree(result.getString(1));
        }
      }
      JsonNode root = template.deepCopy();
      ObjectNode node = (ObjectNode) root.path("statements").path(0).path("node");
      ArrayNode list = node.putArray("select_list");
      list.add(expression);
      try (PreparedStatement deserialize =
          duckdb.prepareStatement("SELECT json_deserialize_sql(?)")) {
        deserialize.setString(1, JSON.writeValueAsString(root));
        try (ResultSet result = deserialize.executeQuery()) {
          return result.next() ? result.getString(1) : null;
        }
      }
    } catch (SQLException | RuntimeException | java.io.IOException e) {
      return null;
    }
  }

  /** Runs {@code select} (one column) and reads its value exactly. */
  private static Optional<Value> evaluate(
      Connection duckdb, String select, Object parameter, Type columnType) {
    String from = " FROM (" + select + ") AS icecap_constant(x)";
    try {
      String type;
      String text;
      double floating;
      try (PreparedStatement statement =
          duckdb.prepareStatement("SELECT typeof(x), CAST(x AS VARCHAR), x" + from)) {
        bind(statement, parameter);
        try (ResultSet result = statement.executeQuery()) {
          if (!result.next() || result.getString(2) == null) {
            return Optional.empty();
          }
          type = result.getString(1).toUpperCase(Locale.ROOT);
          text = result.getString(2);
          floating =
              type.equals("DOUBLE") || type.equals("FLOAT") ? result.getDouble(3) : Double.NaN;
        }
      }
      if (INTEGERS.contains(type) || type.startsWith("DECIMAL")) {
        return Optional.of(Value.number(new BigDecimal(text)));
      }
      switch (type) {
        case "DOUBLE", "FLOAT":
          return Optional.of(
              new Value(Kind.FLOATING, null, floating, type.equals("FLOAT"), null, false));
        case "VARCHAR":
          return Optional.of(new Value(Kind.STRING, null, 0, false, text, false));
        case "BOOLEAN":
          return Optional.of(
              new Value(Kind.BOOLEAN, null, 0, false, null, Boolean.parseBoolean(text)));
        case "TIME":
          LocalTime time = LocalTime.parse(text);
          return Optional.of(
              new Value(
                  Kind.TIME, BigDecimal.valueOf(time.toNanoOfDay() / 1000), 0, false, null, false));
        default:
          break;
      }
      String micros;
      if (type.equals("DATE")) {
        micros = "CASE WHEN isfinite(x) THEN (x - DATE '1970-01-01') * 86400000000::HUGEINT END";
      } else if (INSTANTS.contains(type)) {
        micros = "epoch_us(x)";
      } else if (type.equals("TIMESTAMP_NS") && columnType.typeId() == Type.TypeID.TIMESTAMP_NANO) {
        // against a column of coarser time, DuckDB casts each of the column's values to
        // nanoseconds, which fails for the values past 1677 or 2262 that a pruned file would hide
        micros = "epoch_ns(x)";
      } else {
        return Optional.empty();
      }
      try (PreparedStatement statement =
          duckdb.prepareStatement("SELECT CAST(" + micros + " AS VARCHAR)" + from)) {
        bind(statement, parameter);
        try (ResultSet result = statement.executeQuery()) {
          if (!result.next() || result.getString(1) == null) {
            return Optional.empty();
          }
          BigDecimal value = new BigDecimal(new BigInteger(result.getString(1)));
          if (type.equals("TIMESTAMP_NS")) {
            value = value.movePointLeft(3);
          }
          return Optional.of(new Value(Kind.INSTANT, value, 0, false, null, false));
        }
      }
    } catch (SQLException | RuntimeException e) {
      // DuckDB reports the constant's error when it runs the query; without a value, no pruning
      return Optional.empty();
    }
  }

  private static void bind(PreparedStatement statement, Object parameter) throws SQLException {
    if (parameter != null) {
      QueryParameters.bind(statement, 1, parameter);
    }
  }
}
