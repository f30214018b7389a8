package io.icecap.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Iceberg row filters from a query's conjuncts, for planning: partition and min/max pruning. The
 * filter is implied by the conjuncts as DuckDB evaluates them, so it never drops a row DuckDB would
 * return: each constant is the value DuckDB compares ({@link QueryConstants}), and the bound is
 * exact where the column's values and the constant compare exactly (whole numbers, decimals, dates,
 * timestamps and times on one line of microseconds, strings, booleans), widened to the nearest
 * values of the column's type where the constant falls between them (a sub-microsecond timestamp, a
 * fraction against an integer column: {@code ts > x} becomes {@code ts >= floor(x)}), and widened
 * by a few units in the last place for floating point columns, which also keep their NaNs for
 * {@code >} (DuckDB orders NaN above every number). A constant without an exact value prunes
 * nothing; DuckDB applies the whole WHERE anyway.
 */
final class Pruning {
  private static final BigDecimal MICROS_PER_DAY = BigDecimal.valueOf(86_400_000_000L);
  private static final BigDecimal NANO = new BigDecimal("0.001");

  /** Whole numbers up to this size are exact as FLOAT, and compare exactly with integer columns. */
  private static final BigDecimal FLOAT_EXACT = BigDecimal.valueOf(1L << 24);

  private static final BigDecimal DOUBLE_EXACT = BigDecimal.valueOf(1L << 53);

  private final QueryConstants constants = new QueryConstants();

  /**
   * The conjunction of the conjuncts that can prune, {@code alwaysTrue} when none can. Never throws
   * for a constant: one it cannot translate exactly or conservatively leaves its conjunct out.
   */
  Expression filter(
      Connection duckdb,
      Schema schema,
      List<SelectTree.Conjunct> conjuncts,
      List<Object> parameters) {
    Expression filter = Expressions.alwaysTrue();
    for (SelectTree.Conjunct conjunct : conjuncts) {
      Types.NestedField field = schema.caseInsensitiveFindField(conjunct.column());
      if (field == null || !schema.columns().contains(field)) {
        continue;
      }
      List<QueryConstants.Value> values = new ArrayList<>();
      for (SelectTree.Operand operand : conjunct.operands()) {
        Optional<QueryConstants.Value> value =
            constants.of(duckdb, operand, field.type(), parameters);
        if (value.isEmpty()) {
          values = null;
          break;
        }
        values.add(value.get());
      }
      if (values == null) {
        continue;
      }
      values = unified(values);
      Expression predicate;
      try {
        predicate = predicate(field.name(), field.type(), conjunct.op(), values);
      } catch (RuntimeException e) {
        // a literal Iceberg refuses (out of its type's range): this conjunct does not prune
        predicate = null;
      }
      if (predicate != null) {
        filter = Expressions.and(filter, predicate);
      }
    }
    return filter;
  }

  /**
   * The values of one IN list or BETWEEN as DuckDB compares them: in one type for them all, so when
   * one is a DOUBLE or FLOAT, the exact numbers are compared as such too.
   */
  static List<QueryConstants.Value> unified(List<QueryConstants.Value> values) {
    boolean floating = false;
    boolean float32 = false;
    for (QueryConstants.Value value : values) {
      if (value.kind() == QueryConstants.Kind.FLOATING) {
        floating = true;
        float32 |= value.float32();
      }
    }
    if (!floating) {
      return values;
    }
    List<QueryConstants.Value> unified = new ArrayList<>();
    for (QueryConstants.Value value : values) {
      unified.add(
          value.kind() == QueryConstants.Kind.NUMBER || value.kind() == QueryConstants.Kind.FLOATING
              ? new QueryConstants.Value(
                  QueryConstants.Kind.FLOATING,
                  null,
                  value.kind() == QueryConstants.Kind.NUMBER
                      ? value.number().doubleValue()
                      : value.floating(),
                  float32,
                  null,
                  false)
              : value);
    }
    return unified;
  }

  /** The predicate implied by {@code column op values}, or null when there is none to use. */
  static Expression predicate(
      String column, Type type, String op, List<QueryConstants.Value> values) {
    if (op.equals("BETWEEN")) {
      Expression low = predicate(column, type, ">=", List.of(values.get(0)));
      Expression high = predicate(column, type, "<=", List.of(values.get(1)));
      if (low == null || high == null) {
        return low == null ? high : low;
      }
      return Expressions.and(low, high);
    }
    if (op.equals("IN")) {
      Expression any = Expressions.alwaysFalse();
      for (QueryConstants.Value value : values) {
        Expression one = predicate(column, type, "=", List.of(value));
        if (one == null) {
          return null;
        }
        any = Expressions.or(any, one);
      }
      return any;
    }
    QueryConstants.Value value = values.get(0);
    switch (type.typeId()) {
      case INTEGER:
        return grid(column, op, number(value, true), BigDecimal.ONE, Kind.INT, type);
      case LONG:
        return grid(column, op, number(value, true), BigDecimal.ONE, Kind.LONG, type);
      case DECIMAL:
        Types.DecimalType decimal = (Types.DecimalType) type;
        return grid(
            column,
            op,
            number(value, false),
            BigDecimal.ONE.movePointLeft(decimal.scale()),
            Kind.DECIMAL,
            type);
      case DATE:
        return grid(column, op, instant(value), MICROS_PER_DAY, Kind.INT, type);
      case TIMESTAMP:
        return grid(column, op, instant(value), BigDecimal.ONE, Kind.LONG, type);
      case TIMESTAMP_NANO:
        return grid(column, op, instant(value), NANO, Kind.LONG, type);
      case TIME:
        return value.kind() == QueryConstants.Kind.TIME
            ? grid(column, op, value.number(), BigDecimal.ONE, Kind.LONG, type)
            : null;
      case FLOAT, DOUBLE:
        return floating(column, type, op, value);
      case STRING:
        return value.kind() == QueryConstants.Kind.STRING
            ? compare(column, op, Literal.of(value.text()))
            : null;
      case BOOLEAN:
        return value.kind() == QueryConstants.Kind.BOOLEAN
            ? compare(column, op, Literal.of(value.bool()))
            : null;
      default:
        return null;
    }
  }

  private enum Kind {
    INT,
    LONG,
    DECIMAL
  }

  /**
   * The exact number of a constant compared with a number column: exact numbers always; a DOUBLE or
   * FLOAT only against integer columns and while it is small enough that the integers near it are
   * exact in its type (DuckDB compares them as floating point); null otherwise.
   */
  private static BigDecimal number(QueryConstants.Value value, boolean integerColumn) {
    if (value.kind() == QueryConstants.Kind.NUMBER) {
      return value.number();
    }
    if (value.kind() == QueryConstants.Kind.FLOATING
        && integerColumn
        && Double.isFinite(value.floating())) {
      BigDecimal exact = new BigDecimal(value.floating());
      BigDecimal limit = value.float32() ? FLOAT_EXACT : DOUBLE_EXACT;
      return exact.abs().compareTo(limit) < 0 ? exact : null;
    }
    return null;
  }

  private static BigDecimal instant(QueryConstants.Value value) {
    return value.kind() == QueryConstants.Kind.INSTANT ? value.number() : null;
  }

  /**
   * {@code column op x} for a column whose values are the multiples of {@code unit}: exact when x
   * is one of them; otherwise widened to the multiples on either side of x, whichever way DuckDB
   * would round it.
   */
  private static Expression grid(
      String column, String op, BigDecimal x, BigDecimal unit, Kind kind, Type type) {
    if (x == null) {
      return null;
    }
    BigDecimal floor = x.divide(unit, 0, RoundingMode.FLOOR);
    BigDecimal ceil = x.divide(unit, 0, RoundingMode.CEILING);
    Literal<?> low = literal(floor, unit, kind, type);
    Literal<?> high = literal(ceil, unit, kind, type);
    boolean exact = floor.compareTo(ceil) == 0;
    switch (op) {
      case "=":
        if (low == null || high == null) {
          return null;
        }
        return exact
            ? compare(column, "=", low)
            : Expressions.and(compare(column, ">=", low), compare(column, "<=", high));
      case "<":
        return high == null ? null : compare(column, exact ? "<" : "<=", high);
      case "<=":
        return high == null ? null : compare(column, "<=", high);
      case ">":
        return low == null ? null : compare(column, exact ? ">" : ">=", low);
      case ">=":
        return low == null ? null : compare(column, ">=", low);
      default:
        return null;
    }
  }

  /** The column's value {@code steps × unit}, or null when its type cannot hold it. */
  private static Literal<?> literal(BigDecimal steps, BigDecimal unit, Kind kind, Type type) {
    switch (kind) {
      case INT:
        if (steps.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
            || steps.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
          return null;
        }
        return Literal.of(steps.intValueExact()).to(type);
      case LONG:
        if (steps.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0
            || steps.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
          return null;
        }
        return Literal.of(steps.longValueExact()).to(type);
      case DECIMAL:
        Types.DecimalType decimal = (Types.DecimalType) type;
        BigDecimal value = steps.multiply(unit).setScale(decimal.scale(), RoundingMode.UNNECESSARY);
        return value.precision() > decimal.precision() ? null : Literal.of(value);
      default:
        return null;
    }
  }

  /**
   * A floating point column: the constant as the column's type, widened by two units in the last
   * place each way (DuckDB may round a decimal or a FLOAT comparison differently, and orders -0.0
   * with 0.0), NaN rows kept for {@code >} and {@code >=}, and a NaN constant left to DuckDB.
   */
  private static Expression floating(
      String column, Type type, String op, QueryConstants.Value value) {
    double x;
    switch (value.kind()) {
      case FLOATING:
        x = value.floating();
        break;
      case NUMBER:
        x = value.number().doubleValue();
        break;
      default:
        return null;
    }
    if (Double.isNaN(x)) {
      return null;
    }
    Literal<?> low;
    Literal<?> high;
    if (type.typeId() == Type.TypeID.FLOAT) {
      float f = (float) x;
      low = Literal.of(Math.nextDown(Math.nextDown(f)));
      high = Literal.of(Math.nextUp(Math.nextUp(f)));
    } else {
      low = Literal.of(Math.nextDown(Math.nextDown(x)));
      high = Literal.of(Math.nextUp(Math.nextUp(x)));
    }
    switch (op) {
      case "=":
        return Expressions.and(compare(column, ">=", low), compare(column, "<=", high));
      case "<", "<=":
        return compare(column, "<=", high);
      case ">", ">=":
        return Expressions.or(compare(column, ">=", low), Expressions.isNaN(column));
      default:
        return null;
    }
  }

  private static Expression compare(String column, String op, Literal<?> literal) {
    Expression.Operation operation =
        switch (op) {
          case "=" -> Expression.Operation.EQ;
          case "<" -> Expression.Operation.LT;
          case "<=" -> Expression.Operation.LT_EQ;
          case ">" -> Expression.Operation.GT;
          case ">=" -> Expression.Operation.GT_EQ;
          default -> throw new IllegalArgumentException("Unknown comparison " + op);
        };
    return Expressions.predicate(operation, column, literal);
  }
}
