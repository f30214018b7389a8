package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SerializableFunction;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBFunctions;

/**
 * A partition spec's transforms as DuckDB expressions, so DuckDB can tell which partition each row
 * of a relation belongs to. Every transform but identity runs Iceberg's own code (registered as a
 * DuckDB function on the connection), so a row's partition is the one Spark or PyIceberg compute.
 */
public final class PartitionSql {
  private static final AtomicLong NEXT_ID = new AtomicLong();
  private static final LocalDate EPOCH_DAY = LocalDate.ofEpochDay(0);
  private static final OffsetDateTime EPOCH =
      OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private final PartitionSpec spec;
  private final List<String> expressions;

  private PartitionSql(PartitionSpec spec, List<String> expressions) {
    this.spec = spec;
    this.expressions = List.copyOf(expressions);
  }

  /**
   * Registers the spec's transforms on a DuckDB connection.
   *
   * @throws UnsupportedTypeException when a partition source column is nested or of a type whose
   *     transform Icecap cannot compute in DuckDB
   */
  public static PartitionSql register(Connection duckdb, PartitionSpec spec) {
    requireNonNull(duckdb, "duckdb is null");
    Schema schema = spec.schema();
    List<String> expressions = new ArrayList<>();
    long id = NEXT_ID.incrementAndGet();
    for (int i = 0; i < spec.fields().size(); i++) {
      PartitionField field = spec.fields().get(i);
      Types.NestedField source = schema.findField(field.sourceId());
      if (schema.findField(source.name()) == null || !schema.columns().contains(source)) {
        throw new UnsupportedTypeException(
            schema.findColumnName(field.sourceId()),
            source.type(),
            "partitioning by a nested field is not supported yet");
      }
      expressions.add(expression(duckdb, "icecap_partition_" + id + "_" + i, field, source));
    }
    return new PartitionSql(spec, expressions);
  }

  /** One DuckDB expression per partition field, over the source columns by name. */
  public List<String> expressions() {
    return expressions;
  }

  /** The distinct partitions of the rows of {@code relation}. */
  public List<PartitionData> partitions(Connection duckdb, String relation) throws SQLException {
    List<PartitionData> partitions = new ArrayList<>();
    if (expressions.isEmpty()) {
      return partitions;
    }
    try (Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT DISTINCT " + String.join(", ", expressions) + " FROM " + relation)) {
      while (rows.next()) {
        partitions.add(partitionOf(rows, 1));
      }
    }
    return partitions;
  }

  /**
   * Reads a partition from a result row whose columns from {@code firstColumn} on are the values of
   * {@link #expressions()}.
   */
  public PartitionData partitionOf(ResultSet row, int firstColumn) throws SQLException {
    PartitionData partition = new PartitionData(spec.partitionType());
    List<Types.NestedField> fields = spec.partitionType().fields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = row.getObject(firstColumn + i);
      partition.set(i, value == null ? null : internal(fields.get(i).type(), value));
    }
    return partition;
  }

  /** A predicate that holds for exactly the rows of {@code partition}. */
  public String predicate(StructLike partition) {
    List<String> conditions = new ArrayList<>();
    List<Types.NestedField> fields = spec.partitionType().fields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = partition.get(i, Object.class);
      conditions.add(
          "("
              + expressions.get(i)
              + ") IS NOT DISTINCT FROM "
              + (value == null ? "NULL" : literal(fields.get(i).type(), value)));
    }
    return conditions.isEmpty() ? "true" : String.join(" AND ", conditions);
  }

  private static String expression(
      Connection duckdb, String name, PartitionField field, Types.NestedField source) {
    Transform<?, ?> transform = field.transform();
    String column = DuckDbTypes.quote(source.name());
    Type type = source.type();
    if (transform.isIdentity()) {
      return column;
    }
    if (transform.isVoid()) {
      return "NULL";
    }
    Type result = transform.getResultType(type);
    @SuppressWarnings("unchecked")
    SerializableFunction<Object, Object> apply =
        (SerializableFunction<Object, Object>) transform.bind(type);
    Input input = input(source.name(), type, column);
    // DuckDB may hand a null to the function although it is declared null-in, null-out
    Function<Object, Object> function =
        value -> value == null ? null : output(result, apply.apply(input.convert(value)));
    try {
      DuckDBFunctions.scalarFunction()
          .withName(name)
          .withParameter(input.duckdbType())
          .withReturnType(outputType(result))
          .withNullInNullOut()
          .withFunction(function)
          .register(duckdb);
    } catch (SQLException e) {
      throw new ReplicaException(
          e,
          "Cannot register partition transform %s of column %s in DuckDB: %s",
          transform,
          source.name(),
          e.getMessage());
    }
    String call = name + "(" + input.argument() + ")";
    return cast(result, call);
  }

  /** How a source column reaches the Java function, and how its value becomes Iceberg's. */
  private record Input(
      DuckDBColumnType duckdbType, String argument, Function<Object, Object> convert) {
    Object convert(Object value) {
      return convert.apply(value);
    }
  }

  private static Input input(String column, Type type, String sql) {
    switch (type.typeId()) {
      case INTEGER:
        return new Input(DuckDBColumnType.INTEGER, sql, v -> v);
      case LONG:
        return new Input(DuckDBColumnType.BIGINT, sql, v -> v);
      case DATE:
        return new Input(
            DuckDBColumnType.DATE,
            sql,
            v -> (int) ChronoUnit.DAYS.between(EPOCH_DAY, (LocalDate) v));
      case TIME:
        return new Input(DuckDBColumnType.BIGINT, "epoch_us(" + sql + ")", v -> v);
      case TIMESTAMP:
        return new Input(DuckDBColumnType.BIGINT, "epoch_us(" + sql + ")", v -> v);
      case STRING:
        return new Input(DuckDBColumnType.VARCHAR, sql, v -> v);
      case UUID:
        return new Input(
            DuckDBColumnType.VARCHAR,
            "CAST(" + sql + " AS VARCHAR)",
            v -> UUID.fromString((String) v));
      case FIXED:
      case BINARY:
        return new Input(
            DuckDBColumnType.VARCHAR,
            "hex(" + sql + ")",
            v -> ByteBuffer.wrap(HexFormat.of().parseHex((String) v)));
      case DECIMAL:
        int scale = ((Types.DecimalType) type).scale();
        return new Input(
            DuckDBColumnType.VARCHAR,
            "CAST(" + sql + " AS VARCHAR)",
            v -> new BigDecimal((String) v).setScale(scale));
      default:
        throw new UnsupportedTypeException(
            column, type, "Icecap cannot compute this partition transform of it in DuckDB yet");
    }
  }

  private static DuckDBColumnType outputType(Type result) {
    switch (result.typeId()) {
      case INTEGER:
      case DATE:
        return DuckDBColumnType.INTEGER;
      case LONG:
        return DuckDBColumnType.BIGINT;
      default:
        return DuckDBColumnType.VARCHAR;
    }
  }

  private static Object output(Type result, Object value) {
    if (value == null) {
      return null;
    }
    switch (result.typeId()) {
      case INTEGER:
      case LONG:
      case DATE:
        return value;
      case FIXED:
      case BINARY:
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return HexFormat.of().formatHex(bytes);
      case DECIMAL:
        return ((BigDecimal) value).toPlainString();
      default:
        return value.toString();
    }
  }

  /** Brings a function's text result back to the partition field's DuckDB type. */
  private static String cast(Type result, String call) {
    switch (result.typeId()) {
      case INTEGER:
      case LONG:
      case STRING:
        return call;
      case FIXED:
      case BINARY:
        return "unhex(" + call + ")";
      case DATE:
        // the day transform gives days since the epoch
        return "CAST(DATE '1970-01-01' + " + call + " AS DATE)";
      default:
        return "CAST(" + call + " AS " + DuckDbTypes.toDuckDb("partition", result) + ")";
    }
  }

  /** A DuckDB value, as read through JDBC, in Iceberg's internal representation. */
  private static Object internal(Type type, Object value) {
    switch (type.typeId()) {
      case DATE:
        return (int) ChronoUnit.DAYS.between(EPOCH_DAY, (LocalDate) value);
      case TIME:
        return ((LocalTime) value).toNanoOfDay() / 1000;
      case TIMESTAMP:
        if (value instanceof OffsetDateTime) {
          return ChronoUnit.MICROS.between(EPOCH, (OffsetDateTime) value);
        }
        if (value instanceof java.sql.Timestamp) {
          value = ((java.sql.Timestamp) value).toLocalDateTime();
        }
        return ChronoUnit.MICROS.between(EPOCH, ((LocalDateTime) value).atOffset(ZoneOffset.UTC));
      case UUID:
        return value instanceof UUID ? value : UUID.fromString(value.toString());
      case FIXED:
      case BINARY:
        if (value instanceof java.sql.Blob) {
          try {
            java.sql.Blob blob = (java.sql.Blob) value;
            return ByteBuffer.wrap(blob.getBytes(1, (int) blob.length()));
          } catch (SQLException e) {
            throw new ReplicaException(
                e, "Cannot read a binary partition value: %s", e.getMessage());
          }
        }
        return ByteBuffer.wrap((byte[]) value);
      case DECIMAL:
        return ((BigDecimal) value).setScale(((Types.DecimalType) type).scale());
      case INTEGER:
        return ((Number) value).intValue();
      case LONG:
        return ((Number) value).longValue();
      case FLOAT:
        return ((Number) value).floatValue();
      case DOUBLE:
        return ((Number) value).doubleValue();
      case STRING:
        return value.toString();
      default:
        return value;
    }
  }

  /** A DuckDB literal of a partition value in Iceberg's internal representation. */
  private static String literal(Type type, Object value) {
    switch (type.typeId()) {
      case BOOLEAN:
      case INTEGER:
      case LONG:
        return value.toString();
      case FLOAT:
      case DOUBLE:
        return "CAST("
            + DuckDbTypes.literal(value.toString())
            + " AS "
            + DuckDbTypes.toDuckDb("partition", type)
            + ")";
      case DATE:
        return "DATE " + DuckDbTypes.literal(EPOCH_DAY.plusDays((Integer) value).toString());
      case TIME:
        return "TIME " + DuckDbTypes.literal(LocalTime.ofNanoOfDay((Long) value * 1000).toString());
      case TIMESTAMP:
        String micros = "make_timestamp(" + value + ")";
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? "timezone('UTC', " + micros + ")"
            : micros;
      case STRING:
        return DuckDbTypes.literal(value.toString());
      case UUID:
        return "CAST(" + DuckDbTypes.literal(value.toString()) + " AS UUID)";
      case FIXED:
      case BINARY:
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return "unhex(" + DuckDbTypes.literal(HexFormat.of().formatHex(bytes)) + ")";
      case DECIMAL:
        return "CAST("
            + DuckDbTypes.literal(((BigDecimal) value).toPlainString())
            + " AS "
            + DuckDbTypes.toDuckDb("partition", type)
            + ")";
      default:
        throw new UnsupportedTypeException(
            "partition", type, "Icecap cannot write a DuckDB literal of this type yet");
    }
  }
}
