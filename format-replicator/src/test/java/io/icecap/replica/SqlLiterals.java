package io.icecap.replica;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * DuckDB SQL expressions for values of Iceberg's generic {@code Record} classes: every value is a
 * literal in an explicit {@code CAST} to the column's DuckDB type, so nothing depends on DuckDB's
 * type inference.
 */
final class SqlLiterals {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIMESTAMP_NS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");
  private static final DateTimeFormatter TIMESTAMPTZ =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");

  private SqlLiterals() {}

  /** A row of a struct as the parenthesized values of an {@code INSERT ... VALUES}. */
  static String row(Types.StructType struct, StructLike row) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < struct.fields().size(); i++) {
      values.add(of(struct.fields().get(i).type(), row.get(i, Object.class)));
    }
    return "(" + String.join(", ", values) + ")";
  }

  /** The value in a cast to the DuckDB type of {@code type}. */
  static String of(Type type, Object value) {
    return "CAST(" + bare(type, value) + " AS " + DuckDbTypes.toDuckDb("value", type) + ")";
  }

  private static String bare(Type type, Object value) {
    if (value == null) {
      return "NULL";
    }
    switch (type.typeId()) {
      case BOOLEAN:
      case INTEGER:
      case LONG:
        return text(value.toString());
      case FLOAT:
        return text(Float.toString((Float) value));
      case DOUBLE:
        return text(Double.toString((Double) value));
      case DECIMAL:
        return text(((BigDecimal) value).toPlainString());
      case DATE:
        return text(DATE.format((LocalDate) value));
      case TIME:
        return text(TIME.format((LocalTime) value));
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? text(TIMESTAMPTZ.format((OffsetDateTime) value))
            : text(TIMESTAMP.format((LocalDateTime) value));
      case TIMESTAMP_NANO:
        return text(TIMESTAMP_NS.format((LocalDateTime) value));
      case STRING:
        return text((String) value);
      case UUID:
        return text(((UUID) value).toString());
      case FIXED:
        return blob((byte[]) value);
      case BINARY:
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return blob(bytes);
      case STRUCT:
        Types.StructType struct = type.asStructType();
        StructLike record = (StructLike) value;
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < struct.fields().size(); i++) {
          Types.NestedField field = struct.fields().get(i);
          fields.add(
              DuckDbTypes.literal(field.name())
                  + ": "
                  + of(field.type(), record.get(i, Object.class)));
        }
        return "{" + String.join(", ", fields) + "}";
      case LIST:
        Type element = type.asListType().elementType();
        List<String> elements = new ArrayList<>();
        for (Object item : (List<?>) value) {
          elements.add(of(element, item));
        }
        return "[" + String.join(", ", elements) + "]";
      case MAP:
        Types.MapType map = type.asMapType();
        List<String> entries = new ArrayList<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          entries.add(
              of(map.keyType(), entry.getKey()) + ": " + of(map.valueType(), entry.getValue()));
        }
        return "MAP {" + String.join(", ", entries) + "}";
      default:
        throw new IllegalArgumentException("No DuckDB literal for " + type);
    }
  }

  /**
   * A string literal; DuckDB's parser ends a statement at a NUL character, so NULs are spliced in
   * with {@code chr(0)}.
   */
  private static String text(String value) {
    if (value.indexOf('\u0000') < 0) {
      return DuckDbTypes.literal(value);
    }
    List<String> parts = new ArrayList<>();
    for (String part : value.split("\u0000", -1)) {
      parts.add(DuckDbTypes.literal(part));
    }
    return "(" + String.join(" || chr(0) || ", parts) + ")";
  }

  /** A blob literal with every byte escaped, so zero bytes and quotes are plain text. */
  private static String blob(byte[] bytes) {
    StringBuilder literal = new StringBuilder("'");
    for (byte b : bytes) {
      literal.append(String.format("\\x%02X", b & 0xFF));
    }
    return literal.append("'::BLOB").toString();
  }
}
