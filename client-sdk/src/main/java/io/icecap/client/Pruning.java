package io.icecap.client;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expression.Operation;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Iceberg row filters from a query's conjuncts, for planning: partition and min/max pruning. A
 * conjunct becomes a filter only when its constant means the same to Iceberg as to DuckDB (a string
 * compared with a string column, a whole number with an integer column, a date literal with a date
 * column); anything else is left to DuckDB, which applies the whole WHERE anyway.
 */
final class Pruning {
  private static final Set<String> NUMERIC_KINDS =
      Set.of("INTEGER", "BIGINT", "HUGEINT", "NUMERIC", "DECIMAL", "DOUBLE", "FLOAT");

  private Pruning() {}

  /** The conjunction of the conjuncts that can prune, {@code alwaysTrue} when none can. */
  static Expression filter(
      Schema schema, List<SelectTree.Conjunct> conjuncts, List<Object> parameters) {
    Expression filter = Expressions.alwaysTrue();
    for (SelectTree.Conjunct conjunct : conjuncts) {
      Types.NestedField field = schema.caseInsensitiveFindField(conjunct.column());
      if (field == null || !schema.columns().contains(field)) {
        continue;
      }
      List<Literal<?>> values = new ArrayList<>();
      for (SelectTree.Operand operand : conjunct.operands()) {
        Literal<?> value = literal(field.type(), operand, parameters);
        if (value == null) {
          values = null;
          break;
        }
        values.add(value);
      }
      if (values == null) {
        continue;
      }
      filter = Expressions.and(filter, predicate(field.name(), conjunct.op(), values));
    }
    return filter;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Expression predicate(String column, String op, List<Literal<?>> values) {
    Operation operation =
        switch (op) {
          case "=" -> Operation.EQ;
          case "<" -> Operation.LT;
          case ">" -> Operation.GT;
          case "<=" -> Operation.LT_EQ;
          case ">=" -> Operation.GT_EQ;
          case "IN" -> Operation.IN;
          default -> throw new IllegalArgumentException("Unknown comparison " + op);
        };
    if (operation == Operation.IN) {
      return Expressions.predicate(Operation.IN, column, (List) values);
    }
    return Expressions.predicate(operation, column, (Literal) values.get(0));
  }

  /** The constant as a literal of the column's type, or null when that would not be exact. */
  static Literal<?> literal(Type type, SelectTree.Operand operand, List<Object> parameters) {
    if (operand.kind().equals("PARAMETER")) {
      int index;
      try {
        index = Integer.parseInt(operand.text()) - 1;
      } catch (NumberFormatException e) {
        return null;
      }
      if (index < 0 || index >= parameters.size()) {
        return null;
      }
      return fromJava(type, parameters.get(index));
    }
    String cast = operand.castTo();
    String kind = operand.kind();
    String text = operand.text();
    try {
      switch (type.typeId()) {
        case INTEGER, LONG:
          if (!(NUMERIC_KINDS.contains(kind) || kind.equals("STRING"))
              || !castIs(cast, "INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT")) {
            return null;
          }
          BigDecimal number = new BigDecimal(text.trim());
          if (number.stripTrailingZeros().scale() > 0) {
            return null;
          }
          return type.typeId() == Type.TypeID.INTEGER
              ? Literal.of(number.intValueExact())
              : Literal.of(number.longValueExact());
        case STRING:
          return kind.equals("STRING") && castIs(cast, "VARCHAR", "TEXT", "STRING")
              ? Literal.of(text)
              : null;
        case DATE:
          return kind.equals("STRING") && castIs(cast, "DATE")
              ? Literal.of(text.trim()).to(type)
              : null;
        case TIMESTAMP:
          if (((Types.TimestampType) type).shouldAdjustToUTC()) {
            return null;
          }
          return kind.equals("STRING") && castIs(cast, "TIMESTAMP")
              ? Literal.of(text.trim().replace(' ', 'T')).to(type)
              : null;
        case DECIMAL:
          if (!NUMERIC_KINDS.contains(kind) || cast != null) {
            return null;
          }
          BigDecimal decimal = new BigDecimal(text.trim());
          int scale = ((Types.DecimalType) type).scale();
          return decimal.scale() <= scale ? Literal.of(decimal.setScale(scale)) : null;
        case BOOLEAN:
          return kind.equals("BOOLEAN") ? Literal.of(Boolean.parseBoolean(text)) : null;
        default:
          return null;
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  private static boolean castIs(String cast, String... names) {
    if (cast == null) {
      return true;
    }
    for (String name : names) {
      if (cast.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Literal<?> fromJava(Type type, Object value) {
    switch (type.typeId()) {
      case INTEGER:
        return value instanceof Integer || value instanceof Short || value instanceof Byte
            ? Literal.of(((Number) value).intValue())
            : null;
      case LONG:
        return value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
            ? Literal.of(((Number) value).longValue())
            : null;
      case STRING:
        return value instanceof String text ? Literal.of(text) : null;
      case DATE:
        if (value instanceof LocalDate date) {
          return Literal.of((int) date.toEpochDay()).to(type);
        }
        return value instanceof java.sql.Date date
            ? Literal.of((int) date.toLocalDate().toEpochDay()).to(type)
            : null;
      case TIMESTAMP:
        if (((Types.TimestampType) type).shouldAdjustToUTC()) {
          return null;
        }
        LocalDateTime time =
            value instanceof LocalDateTime local
                ? local
                : value instanceof java.sql.Timestamp timestamp
                    ? timestamp.toLocalDateTime()
                    : null;
        return time == null ? null : Literal.of(time.toString()).to(type);
      default:
        return null;
    }
  }
}
