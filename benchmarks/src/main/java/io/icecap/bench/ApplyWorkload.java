package io.icecap.bench;

import io.icecap.txn.SqlStatement;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The apply benchmark's table and updates: {@link SyntheticPartition}'s columns and a {@code qty}
 * column, partitioned by ranges of ids ({@code truncate(width, id)}), and keyed single-row updates
 * of random ids in two templates that take turns in blocks:
 *
 * <ul>
 *   <li>increments: {@code UPDATE t SET qty = qty + ? WHERE id = ?};
 *   <li>new values: {@code UPDATE t SET amount = ?, updated_at = ? WHERE id = ?}.
 * </ul>
 */
final class ApplyWorkload {
  static final Schema SCHEMA = schema();

  /** The {@code qty} of a generated row: 0–999 from the id and the seed. */
  private static final String QTY = "(hash(id, %d, 9) %% 1000)::INTEGER";

  private static final LocalDateTime START = LocalDateTime.of(2026, 1, 1, 0, 0);
  private static final long YEAR_MICROS = 365L * 86_400_000_000L;

  /**
   * One single-row update of the row {@code id}: an increment of {@code qty} by {@code delta} when
   * {@code amount} is null, else new values of {@code amount} and {@code updatedAt}.
   */
  record Update(long id, int delta, BigDecimal amount, LocalDateTime updatedAt) {
    boolean increment() {
      return amount == null;
    }

    /** The statement that makes this update on {@code table}. */
    SqlStatement statement(String table) {
      return increment()
          ? SqlStatement.of("UPDATE " + table + " SET qty = qty + ? WHERE id = ?", delta, id)
          : SqlStatement.of(
              "UPDATE " + table + " SET amount = ?, updated_at = ? WHERE id = ?",
              amount,
              updatedAt,
              id);
    }
  }

  private ApplyWorkload() {}

  private static Schema schema() {
    List<Types.NestedField> columns = new ArrayList<>(SyntheticPartition.SCHEMA.columns());
    int next = SyntheticPartition.SCHEMA.highestFieldId() + 1;
    columns.add(Types.NestedField.optional(next, "qty", Types.IntegerType.get()));
    return new Schema(columns);
  }

  /** Ranges of {@code width} ids, one partition each. */
  static PartitionSpec spec(long width) {
    return PartitionSpec.builderFor(SCHEMA).truncate("id", Math.toIntExact(width)).build();
  }

  /** A {@code SELECT} of the table's columns from a DuckDB table of {@link SyntheticPartition}. */
  static String select(String source, long seed) {
    return "SELECT *, " + String.format(QTY, seed) + " AS qty FROM " + source;
  }

  /**
   * {@code count} updates of random ids below {@code rows}, drawn with replacement: {@code block}
   * increments, then {@code block} new values, and so on. Increments add 1–9; new amounts are
   * 0–99,999.99, new times any microsecond of 2026.
   */
  static List<Update> updates(int count, long rows, int block, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + 17);
    List<Update> updates = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = random.nextLong(rows);
      if ((i / block) % 2 == 0) {
        updates.add(new Update(id, 1 + random.nextInt(9), null, null));
      } else {
        updates.add(
            new Update(
                id,
                0,
                BigDecimal.valueOf(random.nextLong(10_000_000), 2),
                START.plusNanos(random.nextLong(YEAR_MICROS) * 1000)));
      }
    }
    return updates;
  }

  /** One update per partition of ids {@code [0, rows)} that changes nothing: an increment by 0. */
  static List<Update> touchEveryPartition(long rows, long width) {
    List<Update> updates = new ArrayList<>();
    for (long low = 0; low < rows; low += width) {
      updates.add(new Update(low, 0, null, null));
    }
    return updates;
  }

  /** The partition (its lowest id) of a row. */
  static long partitionOf(long id, long width) {
    return Math.floorDiv(id, width) * width;
  }

  /** The sum of the increments. */
  static long added(List<Update> updates) {
    return updates.stream().filter(Update::increment).mapToLong(Update::delta).sum();
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
