package io.icecap.jdbc;

import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.UnsupportedTypeException;
import java.sql.Types;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.DecimalType;
import org.apache.iceberg.types.Types.FixedType;
import org.apache.iceberg.types.Types.TimestampType;

/**
 * How an Iceberg column looks to JDBC: its {@link Types} code, the DuckDB type name queries return,
 * and its sizes as {@code DatabaseMetaData.getColumns} reports them.
 *
 * @param sqlType the {@link Types} code
 * @param name the DuckDB type name
 * @param size the column size: precision for numbers, characters for dates and times, bytes for
 *     fixed binary; null when unbounded
 * @param decimalDigits the scale, for decimals and fractional seconds; null otherwise
 * @param radix 10 for numbers, null otherwise
 * @param octetLength the most bytes a value takes, for fixed binary; null otherwise
 */
record JdbcType(
    int sqlType,
    String name,
    Integer size,
    Integer decimalDigits,
    Integer radix,
    Integer octetLength) {

  static JdbcType of(String column, Type type) {
    String name;
    try {
      name = DuckDbTypes.toDuckDb(column, type);
    } catch (UnsupportedTypeException e) {
      name = type.toString().toUpperCase(java.util.Locale.ROOT);
    }
    switch (type.typeId()) {
      case BOOLEAN:
        return new JdbcType(Types.BOOLEAN, name, 1, null, null, null);
      case INTEGER:
        return new JdbcType(Types.INTEGER, name, 10, 0, 10, null);
      case LONG:
        return new JdbcType(Types.BIGINT, name, 19, 0, 10, null);
      case FLOAT:
        return new JdbcType(Types.REAL, name, 7, null, 10, null);
      case DOUBLE:
        return new JdbcType(Types.DOUBLE, name, 15, null, 10, null);
      case DECIMAL:
        DecimalType decimal = (DecimalType) type;
        return new JdbcType(Types.DECIMAL, name, decimal.precision(), decimal.scale(), 10, null);
      case DATE:
        return new JdbcType(Types.DATE, name, 10, null, null, null);
      case TIME:
        return new JdbcType(Types.TIME, name, 15, 6, null, null);
      case TIMESTAMP:
        return ((TimestampType) type).shouldAdjustToUTC()
            ? new JdbcType(Types.TIMESTAMP_WITH_TIMEZONE, name, 32, 6, null, null)
            : new JdbcType(Types.TIMESTAMP, name, 26, 6, null, null);
      case TIMESTAMP_NANO:
        return new JdbcType(Types.TIMESTAMP, name, 29, 9, null, null);
      case STRING:
        return new JdbcType(Types.VARCHAR, name, null, null, null, null);
      case UUID:
        return new JdbcType(Types.OTHER, name, 36, null, null, null);
      case FIXED:
        int length = ((FixedType) type).length();
        return new JdbcType(Types.BINARY, name, length, null, null, length);
      case BINARY:
        return new JdbcType(Types.VARBINARY, name, null, null, null, null);
      case STRUCT:
        return new JdbcType(Types.STRUCT, name, null, null, null, null);
      case LIST:
        return new JdbcType(Types.ARRAY, name, null, null, null, null);
      default:
        return new JdbcType(Types.OTHER, name, null, null, null, null);
    }
  }

  /**
   * One type of {@code DatabaseMetaData.getTypeInfo}.
   *
   * @param name the DuckDB type name, as {@code CREATE TABLE} takes it
   * @param sqlType the {@link Types} code
   * @param precision the most digits or characters
   * @param quoted whether literals are quoted
   * @param createParams what the name takes in parentheses, or null
   * @param caseSensitive whether comparisons are case sensitive
   * @param numeric whether it is a number
   * @param maxScale the largest scale
   */
  record Info(
      String name,
      int sqlType,
      Integer precision,
      boolean quoted,
      String createParams,
      boolean caseSensitive,
      boolean numeric,
      int maxScale) {}

  /** The column types {@code CREATE TABLE} takes, as Iceberg stores them. */
  static List<Info> all() {
    return List.of(
        new Info("BOOLEAN", Types.BOOLEAN, 1, false, null, false, false, 0),
        new Info("INTEGER", Types.INTEGER, 10, false, null, false, true, 0),
        new Info("BIGINT", Types.BIGINT, 19, false, null, false, true, 0),
        new Info("FLOAT", Types.REAL, 7, false, null, false, true, 0),
        new Info("DOUBLE", Types.DOUBLE, 15, false, null, false, true, 0),
        new Info("DECIMAL", Types.DECIMAL, 38, false, "precision,scale", false, true, 38),
        new Info("DATE", Types.DATE, 10, true, null, false, false, 0),
        new Info("TIME", Types.TIME, 15, true, null, false, false, 6),
        new Info("TIMESTAMP", Types.TIMESTAMP, 26, true, null, false, false, 6),
        new Info(
            "TIMESTAMP WITH TIME ZONE",
            Types.TIMESTAMP_WITH_TIMEZONE,
            32,
            true,
            null,
            false,
            false,
            6),
        new Info("VARCHAR", Types.VARCHAR, null, true, null, true, false, 0),
        new Info("BLOB", Types.VARBINARY, null, true, null, false, false, 0),
        new Info("UUID", Types.OTHER, 36, true, null, false, false, 0));
  }
}
