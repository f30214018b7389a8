package io.icecap.txn.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Bound parameters as DuckDB SQL literals of the type a prepared statement would bind them as, so
 * that a logged statement carries its values and replays the same everywhere.
 */
final class ParameterLiterals {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private ParameterLiterals() {}

  /**
   * The literal of a parameter value.
   *
   * @param position the parameter's 1-based position, for the message
   * @throws IllegalArgumentException when the value's Java type has no DuckDB equivalent
   */
  static String of(Object value, int position) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Boolean flag) {
      return flag ? "true" : "false";
    }
    if (value instanceof Byte || value instanceof Short) {
      return "CAST(" + value + " AS SMALLINT)";
    }
    if (value instanceof Integer) {
      return "CAST(" + value + " AS INTEGER)";
    }
    if (value instanceof Long) {
      return "CAST(" + value + " AS BIGINT)";
    }
    if (value instanceof BigInteger) {
      return "CAST('" + value + "' AS HUGEINT)";
    }
    if (value instanceof Float number) {
      return "CAST('" + floating(number.doubleValue(), Float.toString(number)) + "' AS FLOAT)";
    }
    if (value instanceof Double number) {
      return "CAST('" + floating(number, Double.toString(number)) + "' AS DOUBLE)";
    }
    if (value instanceof BigDecimal decimal) {
      int precision = Math.max(decimal.precision(), decimal.scale() + 1);
      if (precision > 38 || decimal.scale() < 0) {
        return "CAST('" + decimal.toPlainString() + "' AS DOUBLE)";
      }
      return "CAST('"
          + decimal.toPlainString()
          + "' AS DECIMAL("
          + precision
          + ", "
          + decimal.scale()
          + "))";
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return string(value.toString());
    }
    if (value instanceof java.sql.Date date) {
      return "DATE '" + date.toLocalDate() + "'";
    }
    if (value instanceof java.sql.Time time) {
      return "TIME '" + time.toLocalTime() + "'";
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return "TIMESTAMP '" + TIMESTAMP.format(timestamp.toLocalDateTime()) + "'";
    }
    if (value instanceof LocalDate date) {
      return "DATE '" + date + "'";
    }
    if (value instanceof LocalTime time) {
      return "TIME '" + time + "'";
    }
    if (value instanceof LocalDateTime dateTime) {
      return "TIMESTAMP '" + TIMESTAMP.format(dateTime) + "'";
    }
    if (value instanceof OffsetDateTime dateTime) {
      return instant(dateTime.toInstant());
    }
    if (value instanceof ZonedDateTime dateTime) {
      return instant(dateTime.toInstant());
    }
    if (value instanceof Instant instant) {
      return instant(instant);
    }
    if (value instanceof UUID uuid) {
      return "CAST('" + uuid + "' AS UUID)";
    }
    if (value instanceof byte[] bytes) {
      return blob(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return blob(bytes);
    }
    throw new IllegalArgumentException(
        String.format(
            "Parameter %d is a %s, which has no SQL type; bind a boolean, number, BigDecimal,"
                + " String, date/time (java.time or java.sql), UUID or byte[] instead",
            position, value.getClass().getName()));
  }

  /** A SQL string literal. */
  static String string(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("A string parameter cannot contain the NUL character");
    }
    return "'" + text.replace("'", "''") + "'";
  }

  private static String floating(double value, String text) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return text;
  }

  private static String instant(Instant instant) {
    return "TIMESTAMPTZ '"
        + TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC))
        + "+00'";
  }

  private static String blob(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 4 + 16).append("'");
    for (byte b : bytes) {
      out.append(String.format("\\x%02X", b & 0xFF));
    }
    return out.append("'::BLOB").toString();
  }
}
