package io.icecap.bench;

import io.icecap.txn.SqlStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.BitSet;
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
 * What a table of {@link WriteWorkload} must hold once its acknowledged writes are applied: the
 * seeded rows with every acknowledged UPDATE's increment, and every acknowledged INSERT's row as it
 * was sent. {@link #verify} reads the table back with Iceberg's generic reader and compares row by
 * row, so a write lost, applied twice or applied wrongly is found.
 */
final class WriteLedger {
  /**
   * A row inserted, as sent.
   *
   * @param part its partition value
   * @param qty its quantity
   * @param note its note
   * @param updatedAt its timestamp
   */
  private record Inserted(int part, int qty, String note, LocalDateTime updatedAt) {}

  /**
   * How a table read back compares with its ledger.
   *
   * @param tables the tables compared
   * @param expectedRows rows the ledgers expect
   * @param rowsRead rows read from the tables' current snapshots
   * @param missing expected rows not found
   * @param duplicates rows found more than once
   * @param wrong rows found with other values than expected
   * @param unexpected rows found that no ledger expects
   * @param firstProblem the first difference found, else null
   */
  record Verification(
      int tables,
      long expectedRows,
      long rowsRead,
      long missing,
      long duplicates,
      long wrong,
      long unexpected,
      String firstProblem) {
    /** Whether every table holds exactly what its ledger expects. */
    boolean ok() {
      return missing == 0 && duplicates == 0 && wrong == 0 && unexpected == 0;
    }

    /** Both verifications as one. */
    Verification plus(Verification other) {
      return new Verification(
          tables + other.tables,
          expectedRows + other.expectedRows,
          rowsRead + other.rowsRead,
          missing + other.missing,
          duplicates + other.duplicates,
          wrong + other.wrong,
          unexpected + other.unexpected,
          firstProblem != null ? firstProblem : other.firstProblem);
    }

    /** A short account for the report, such as {@code 800,000 rows, all as written}. */
    String describe() {
      String text = String.format("%,d of %,d rows read back", rowsRead, expectedRows);
      if (ok()) {
        return text + ", all as written";
      }
      return text
          + String.format(
              ": %,d missing, %,d duplicated, %,d wrong, %,d unexpected; first: %s",
              missing, duplicates, wrong, unexpected, firstProblem);
    }
  }

  private final int seededRows;
  private final long[] increments;
  private final Map<Long, Inserted> inserted = new HashMap<>();

  /**
   * @param seededRows the rows {@link WriteWorkload#seed()} inserted: ids {@code 0 … seededRows-1}
   */
  WriteLedger(int seededRows) {
    this.seededRows = seededRows;
    this.increments = new long[seededRows];
  }

  /**
   * Notes an acknowledged statement of {@link WriteWorkload#insert} or {@link
   * WriteWorkload#update}.
   *
   * @throws IllegalArgumentException for another statement
   */
  synchronized void acknowledged(SqlStatement statement) {
    List<Object> parameters = statement.parameters();
    if (statement.sql().startsWith("INSERT INTO ") && parameters.size() == 5) {
      long id = (Long) parameters.get(0);
      Inserted row =
          new Inserted(
              (Integer) parameters.get(1),
              (Integer) parameters.get(2),
              (String) parameters.get(3),
              (LocalDateTime) parameters.get(4));
      if (inserted.put(id, row) != null || id < seededRows) {
        throw new IllegalStateException("Id " + id + " was inserted twice");
      }
    } else if (statement.sql().startsWith("UPDATE ") && parameters.size() == 3) {
      long id = (Long) parameters.get(1);
      increments[(int) id] += (Integer) parameters.get(0);
    } else {
      throw new IllegalArgumentException("Not a statement of the write workload: " + statement);
    }
  }

  /** Reads the table's current snapshot with Iceberg's generic reader and compares it. */
  synchronized Verification verify(Table table) {
    BitSet seededSeen = new BitSet(seededRows);
    Set<Long> insertedSeen = new HashSet<>();
    long rows = 0;
    long duplicates = 0;
    long wrong = 0;
    long unexpected = 0;
    String first = null;
    table.refresh();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows++;
        long id = (Long) record.getField("id");
        String problem = null;
        if (id >= 0 && id < seededRows) {
          if (seededSeen.get((int) id)) {
            duplicates++;
            problem = "row " + id + " read twice";
          } else {
            seededSeen.set((int) id);
            long qty = id % 100 + increments[(int) id];
            if (!matches(record, WriteWorkload.part(id), qty, "seed-" + id, null)) {
              wrong++;
              problem = String.format("row %d is %s, expected qty %d", id, record, qty);
            }
          }
        } else if (inserted.containsKey(id)) {
          Inserted expected = inserted.get(id);
          if (!insertedSeen.add(id)) {
            duplicates++;
            problem = "row " + id + " read twice";
          } else if (!matches(
              record, expected.part(), expected.qty(), expected.note(), expected.updatedAt())) {
            wrong++;
            problem = String.format("row %d is %s, expected %s", id, record, expected);
          }
        } else {
          unexpected++;
          problem = "row " + id + " was never written: " + record;
        }
        if (first == null && problem != null) {
          first = table.name() + ": " + problem;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    long expected = (long) seededRows + inserted.size();
    long missing = expected - seededSeen.cardinality() - insertedSeen.size();
    if (first == null && missing > 0) {
      first = String.format("%s: %,d rows missing", table.name(), missing);
    }
    return new Verification(1, expected, rows, missing, duplicates, wrong, unexpected, first);
  }

  private static boolean matches(
      Record record, int part, long qty, String note, LocalDateTime updatedAt) {
    Object actualQty = record.getField("qty");
    return Objects.equals(record.getField("part"), part)
        && actualQty != null
        && ((Integer) actualQty).longValue() == qty
        && Objects.equals(record.getField("note"), note)
        && (updatedAt == null || Objects.equals(record.getField("updated_at"), updatedAt));
  }
}
