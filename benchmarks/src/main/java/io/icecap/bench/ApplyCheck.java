package io.icecap.bench;

import io.icecap.bench.ApplyWorkload.Update;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Checks an apply with Iceberg's own reader: the table's rows, the sum of {@code qty}, and the
 * columns the updates change in every updated row, before and after.
 */
final class ApplyCheck {
  /** The columns of a row that the updates change. */
  record Row(Integer qty, BigDecimal amount, LocalDateTime updatedAt) {}

  /**
   * A table's current snapshot, read with {@link IcebergGenerics}.
   *
   * @param count its rows
   * @param qtySum the sum of {@code qty}
   * @param rows the rows of the keys asked for, by id
   */
  record State(long count, long qtySum, Map<Long, Row> rows) {}

  /**
   * The outcome of a check.
   *
   * @param rowsBefore the table's rows before the updates
   * @param rowsAfter its rows after them
   * @param qtyAdded the sum of the updates' increments
   * @param qtyObserved how much {@code sum(qty)} changed
   * @param keys the distinct ids updated
   * @param wrongKeys updated rows whose columns differ from what the updates give, or that are
   *     missing
   * @param firstWrong the first such row, described, else null
   */
  record Verification(
      long rowsBefore,
      long rowsAfter,
      long qtyAdded,
      long qtyObserved,
      int keys,
      int wrongKeys,
      String firstWrong) {
    /** Whether the table holds exactly what the updates give. */
    boolean ok() {
      return rowsBefore == rowsAfter && qtyAdded == qtyObserved && wrongKeys == 0;
    }

    /** A short account for the report. */
    String describe() {
      String text =
          String.format(
              "sum(qty) %+,d for %+,d added; %,d updated rows, %,d wrong; %,d rows before and"
                  + " after",
              qtyObserved, qtyAdded, keys, wrongKeys, rowsAfter);
      return ok()
          ? text
          : text + " (FAILED; rows before " + rowsBefore + ", first: " + firstWrong + ")";
    }
  }

  private ApplyCheck() {}

  /** The ids the updates change. */
  static Set<Long> keys(List<Update> updates) {
    Set<Long> keys = new HashSet<>();
    for (Update update : updates) {
      keys.add(update.id());
    }
    return keys;
  }

  /** Reads the table's rows, {@code sum(qty)} and the rows of {@code keys}. */
  static State read(Table table, Set<Long> keys) {
    table.refresh();
    long count = 0;
    long qtySum = 0;
    Map<Long, Row> rows = new HashMap<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).select("id", "qty", "amount", "updated_at").build()) {
      for (Record record : records) {
        count++;
        Integer qty = (Integer) record.getField("qty");
        qtySum += qty == null ? 0 : qty;
        long id = (Long) record.getField("id");
        if (keys.contains(id)) {
          rows.put(
              id,
              new Row(
                  qty,
                  (BigDecimal) record.getField("amount"),
                  (LocalDateTime) record.getField("updated_at")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    return new State(count, qtySum, rows);
  }

  /** The rows of the updated keys once the updates are applied in order to {@code before}. */
  static Map<Long, Row> expected(State before, List<Update> updates) {
    Map<Long, Row> rows = new HashMap<>(before.rows());
    for (Update update : updates) {
      Row row = rows.get(update.id());
      if (row == null) {
        throw new IllegalStateException(
            "Cannot check the updates: row " + update.id() + " is not in the table");
      }
      rows.put(
          update.id(),
          update.increment()
              ? new Row(row.qty() + update.delta(), row.amount(), row.updatedAt())
              : new Row(row.qty(), update.amount(), update.updatedAt()));
    }
    return rows;
  }

  /** Compares the table as it is now with {@code before} and what the updates should give. */
  static Verification verify(
      Table table, State before, Map<Long, Row> expected, List<Update> updates) {
    State after = read(table, expected.keySet());
    int wrong = 0;
    String first = null;
    for (Map.Entry<Long, Row> entry : expected.entrySet()) {
      Row actual = after.rows().get(entry.getKey());
      if (!Objects.equals(actual, entry.getValue())) {
        wrong++;
        if (first == null) {
          first =
              String.format("id %d is %s, expected %s", entry.getKey(), actual, entry.getValue());
        }
      }
    }
    return new Verification(
        before.count(),
        after.count(),
        ApplyWorkload.added(updates),
        after.qtySum() - before.qtySum(),
        expected.size(),
        wrong,
        first);
  }
}
