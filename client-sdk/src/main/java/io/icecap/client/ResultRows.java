package io.icecap.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A query's rows as DuckDB's JDBC result set has them, with dates and timestamps before the
 * Gregorian cutover (15 October 1582) right: DuckDB's driver builds {@code getObject(i,
 * LocalDate.class)} and the text of a TIMESTAMP through {@code java.sql.Date} and {@code
 * java.sql.Timestamp}, whose calendar is Julian before the cutover, so {@code 1582-10-10} came back
 * as {@code 1582-10-20} and {@code -0044-03-15} as {@code 0045-03-15}. Here {@code getObject(i,
 * LocalDate.class)} of a DATE is the driver's own (right) {@code LocalDate}, the text of a
 * TIMESTAMP is made from its (right) {@code LocalDateTime}, and {@code getObject(i, Instant.class)}
 * of a TIMESTAMP WITH TIME ZONE is supported. {@code getDate} and {@code getTimestamp} return the
 * legacy types, which cannot hold the ten days the cutover skipped nor years before 1.
 */
final class ResultRows {
  private static final Set<String> TIMESTAMPS =
      Set.of("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS");

  private ResultRows() {}

  /** The rows, with their date and timestamp getters corrected. */
  static ResultSet wrap(ResultSet rows) {
    return (ResultSet)
        Proxy.newProxyInstance(
            ResultRows.class.getClassLoader(), new Class<?>[] {ResultSet.class}, new Handler(rows));
  }

  /**
   * A timestamp's text as {@code java.sql.Timestamp} writes it ({@code 2026-01-02 03:04:05.5}, at
   * least one digit of fraction), from its fields in the proleptic Gregorian calendar.
   */
  static String timestampText(LocalDateTime time) {
    StringBuilder text = new StringBuilder();
    text.append(time.toLocalDate()).append(' ');
    two(text, time.getHour()).append(':');
    two(text, time.getMinute()).append(':');
    two(text, time.getSecond()).append('.');
    String nanos = String.format("%09d", time.getNano());
    int end = nanos.length();
    while (end > 1 && nanos.charAt(end - 1) == '0') {
      end--;
    }
    return text.append(nanos, 0, end).toString();
  }

  private static StringBuilder two(StringBuilder text, int value) {
    return text.append(value < 10 ? "0" : "").append(value);
  }

  private static final class Handler implements InvocationHandler {
    private final ResultSet rows;
    private final Map<Integer, String> types = new HashMap<>();

    Handler(ResultSet rows) {
      this.rows = rows;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      int arity = args == null ? 0 : args.length;
      String name = method.getName();
      if (arity == 2 && name.equals("getObject") && args[1] instanceof Class<?> target) {
        int column = column(args[0]);
        String type = type(column);
        if (target == LocalDate.class && type.equals("DATE")) {
          Object value = rows.getObject(column);
          return value == null ? null : (LocalDate) value;
        }
        if (target == Instant.class && type.equals("TIMESTAMP WITH TIME ZONE")) {
          OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
          return value == null ? null : value.toInstant();
        }
      } else if (arity == 1 && name.equals("getString")) {
        int column = column(args[0]);
        if (TIMESTAMPS.contains(type(column))) {
          LocalDateTime value = rows.getObject(column, LocalDateTime.class);
          return value == null ? null : timestampText(value);
        }
      } else if (arity == 0 && name.equals("toString")) {
        return "IcecapRows[" + rows + "]";
      } else if (arity == 0 && name.equals("hashCode")) {
        return System.identityHashCode(proxy);
      } else if (arity == 1 && name.equals("equals")) {
        return proxy == args[0];
      }
      try {
        return method.invoke(rows, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private int column(Object index) throws SQLException {
      return index instanceof Integer number ? number : rows.findColumn((String) index);
    }

    private String type(int column) throws SQLException {
      String type = types.get(column);
      if (type == null) {
        type = rows.getMetaData().getColumnTypeName(column);
        types.put(column, type);
      }
      return type;
    }
  }
}
