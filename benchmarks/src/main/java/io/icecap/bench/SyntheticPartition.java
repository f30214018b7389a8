package io.icecap.bench;

import io.icecap.replica.DuckDbTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The benchmarks' partition: an Iceberg schema with the column kinds of a typical fact table, and
 * its rows generated inside DuckDB from a seed, so every run with the same seed (and DuckDB
 * version, whose {@code hash} it uses) holds the same data.
 */
final class SyntheticPartition {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "customer_id", Types.IntegerType.get()),
          Types.NestedField.optional(3, "score", Types.DoubleType.get()),
          Types.NestedField.optional(4, "amount", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(5, "customer_name", Types.StringType.get()),
          Types.NestedField.optional(6, "order_date", Types.DateType.get()),
          Types.NestedField.optional(7, "updated_at", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(8, "active", Types.BooleanType.get()));

  /** One million customers; their names are 20 characters, such as {@code c-0123456-1a2b3c4d5e}. */
  private static final String CUSTOMER = "(hash(range, %1$d, 1) %% 1000000)";

  /** Six years of dates and of microseconds, from 2020-01-01. */
  private static final long DAYS = 2192;

  private static final long MICROS = DAYS * 86_400_000_000L;

  private SyntheticPartition() {}

  /** {@code CREATE TABLE} of a DuckDB table for the schema's rows. */
  static String createTable(String name) {
    return "CREATE TABLE "
        + DuckDbTypes.quote(name)
        + " ("
        + DuckDbTypes.columnDefinitions(SCHEMA)
        + ")";
  }

  /**
   * {@code INSERT} of {@code rows} rows into the table: ids 0 to rows - 1 in order, every other
   * column a function of the id and the seed; 5% of scores are null.
   */
  static String insert(String name, long rows, long seed) {
    String customer = String.format(CUSTOMER, seed);
    List<String> values = new ArrayList<>();
    values.add("range");
    values.add(customer + "::INTEGER");
    values.add(
        String.format(
            "CASE WHEN hash(range, %1$d, 2) %% 20 = 0 THEN NULL"
                + " ELSE (hash(range, %1$d, 3) %% 100000000)::DOUBLE / 1000 END",
            seed));
    values.add(String.format("((hash(range, %d, 4) %% 10000000)::BIGINT * 0.01)", seed));
    values.add(
        String.format(
            "'c-' || lpad(%1$s::VARCHAR, 7, '0') || '-' || substr(md5(%1$s::VARCHAR), 1, 10)",
            customer));
    values.add(
        String.format("DATE '2020-01-01' + (hash(range, %d, 5) %% %d)::INTEGER", seed, DAYS));
    values.add(
        String.format(
            "TIMESTAMP '2020-01-01' + to_microseconds((hash(range, %d, 6) %% %d)::BIGINT)",
            seed, MICROS));
    values.add(String.format("hash(range, %d, 7) %% 10 < 7", seed));
    return "INSERT INTO "
        + DuckDbTypes.quote(name)
        + " SELECT "
        + String.join(", ", values)
        + " FROM range("
        + rows
        + ")";
  }

  /** The schema's columns, quoted and comma-separated, for a {@code SELECT}. */
  static String columnList() {
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : SCHEMA.columns()) {
      columns.add(DuckDbTypes.quote(field.name()));
    }
    return String.join(", ", columns);
  }

  /** The schema's columns and Iceberg types, for the report. */
  static String describe() {
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : SCHEMA.columns()) {
      columns.add(field.name() + " " + field.type());
    }
    return String.join(", ", columns);
  }
}
