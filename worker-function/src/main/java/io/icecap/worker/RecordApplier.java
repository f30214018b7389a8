package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.validate.DuckDbMessages;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Applies records in sequence order to the working replicas of their partitions, in place.
 *
 * <p>Each replica runs one open DuckDB transaction over many records. A record that fails in any
 * partition is aborted everywhere: every replica rolls back to its last commit, the records applied
 * since then run again (they are deterministic, so they give the same result), and the failed
 * record is skipped. Failures are rare, so the common path pays one commit per replica.
 *
 * <p>Records go in units: runs of plain inserts and keyed updates that are applied together, with a
 * few set-based statements per partition (see {@link UpdateBatch}), and single records. A unit that
 * fails is split in two halves, each applied the same way, down to the one record that fails.
 */
final class RecordApplier {
  private final TableIdentifier table;
  private final Map<String, WorkingReplica> replicas;
  private final Map<String, Path> stagedFiles;
  private final PartitionTasks tasks;
  private final Set<String> integerColumns;

  /** The most records one unit applies. */
  private static final int MAX_RUN = 100_000;

  /**
   * Records applied together.
   *
   * @param records the records, in log order
   * @param integerKeys whether every update of the unit is keyed by integers on integer columns
   *     (its updates may then be of several templates with the same key columns)
   */
  private record Unit(List<JobPlan.Pending> records, boolean integerKeys) {
    int size() {
      return records.size();
    }

    Unit part(int from, int to) {
      return new Unit(records.subList(from, to), integerKeys);
    }
  }

  /** The run kind of plain inserts (update runs are keyed by their template). */
  private static final String INSERT_RUN = "\0insert";

  RecordApplier(
      TableIdentifier table,
      Map<String, WorkingReplica> replicas,
      Map<String, Path> stagedFiles,
      PartitionTasks tasks,
      Schema schema) {
    this.table = requireNonNull(table, "table is null");
    this.integerColumns = integerColumns(schema);
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.replicas = requireNonNull(replicas, "replicas is null");
    this.stagedFiles = requireNonNull(stagedFiles, "stagedFiles is null");
  }

  /**
   * Applies the records and returns each one's result, by sequence number. Each replica's
   * transaction is left open: the checkpoint commits it together with the replica's new state.
   */
  Map<Long, TransactionResult> apply(List<JobPlan.Pending> records) throws SQLException {
    Map<Long, TransactionResult> results = new LinkedHashMap<>();
    List<Unit> sinceCommit = new ArrayList<>();
    for (Unit unit : units(records)) {
      apply(unit, results, sinceCommit);
    }
    return results;
  }

  private void apply(Unit unit, Map<Long, TransactionResult> results, List<Unit> sinceCommit)
      throws SQLException {
    if (unit.size() == 1) {
      applyOne(unit.records().get(0), results, sinceCommit);
      return;
    }
    long[] counts;
    try {
      counts = runBatch(unit);
    } catch (SQLException | RuntimeException | UpdateBatch.DuplicateKeys e) {
      if (ApplyFailures.environment(e)) {
        throw environment(e);
      }
      // some record of the unit fails, or two share a key: its halves find out which
      recover(sinceCommit);
      int half = unit.size() / 2;
      apply(unit.part(0, half), results, sinceCommit);
      apply(unit.part(half, unit.size()), results, sinceCommit);
      return;
    }
    for (int i = 0; i < unit.size(); i++) {
      results.put(
          unit.records().get(i).sequence(), TransactionResult.committed(List.of(counts[i])));
    }
    sinceCommit.add(unit);
  }

  private void applyOne(
      JobPlan.Pending record, Map<Long, TransactionResult> results, List<Unit> sinceCommit)
      throws SQLException {
    if (record.abort() != null) {
      results.put(record.sequence(), TransactionResult.aborted(record.abort()));
      return;
    }
    try {
      results.put(record.sequence(), TransactionResult.committed(run(record)));
      sinceCommit.add(new Unit(List.of(record), false));
    } catch (SQLException | RuntimeException e) {
      if (ApplyFailures.environment(e)) {
        throw environment(e);
      }
      recover(sinceCommit);
      results.put(record.sequence(), TransactionResult.aborted(message(e)));
    }
  }

  /** A failure of the environment, to fail the job with: it is not the records' fault. */
  private SQLException environment(Exception e) {
    return e instanceof SQLException sql
        ? sql
        : new SQLException("Cannot apply records of " + table + ": " + message(e), e);
  }

  private static String message(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** Rolls every replica back and applies again what was applied since the last commit. */
  private void recover(List<Unit> sinceCommit) throws SQLException {
    rollbackAll();
    for (Unit unit : sinceCommit) {
      try {
        if (unit.size() == 1) {
          run(unit.records().get(0));
        } else {
          runBatch(unit);
        }
      } catch (SQLException | RuntimeException | UpdateBatch.DuplicateKeys replay) {
        throw new IllegalStateException(
            String.format(
                "Records from %d of %s gave another result when applied again: %s",
                unit.records().get(0).sequence(), table, replay.getMessage()),
            replay);
      }
    }
    commitAll();
    sinceCommit.clear();
  }

  /**
   * Splits the records into units: runs of plain inserts mixed with updates of one batchable
   * template (or, when every update is keyed by integers, of templates with the same integer key
   * columns), and single records.
   */
  private List<Unit> units(List<JobPlan.Pending> records) {
    List<Unit> units = new ArrayList<>();
    List<JobPlan.Pending> run = new ArrayList<>();
    Set<String> templates = new HashSet<>();
    List<String> keyColumns = null;
    boolean integerKeys = true;
    for (JobPlan.Pending record : records) {
      String kind = runKind(record);
      UpdateBatch.Shape shape =
          kind == null || kind.equals(INSERT_RUN) ? null : UpdateBatch.shapeOf(kind);
      boolean integer = shape != null && integerKeyed(shape, record);
      // several templates share a unit only while every update in it is keyed by integers
      boolean joins =
          kind != null
              && run.size() < MAX_RUN
              && (shape == null
                  || templates.isEmpty()
                  || (integerKeys && integer && shape.keyColumns().equals(keyColumns))
                  || (templates.size() == 1 && templates.contains(kind)));
      if (!joins) {
        flush(run, integerKeys, units);
        run = new ArrayList<>();
        templates = new HashSet<>();
        keyColumns = null;
        integerKeys = true;
      }
      if (kind == null) {
        units.add(new Unit(List.of(record), false));
        continue;
      }
      run.add(record);
      if (shape != null) {
        templates.add(kind);
        keyColumns = shape.keyColumns();
        integerKeys &= integer;
      }
    }
    flush(run, integerKeys, units);
    return units;
  }

  /** Whether an update's key columns are integer columns and its key values integer literals. */
  private boolean integerKeyed(UpdateBatch.Shape shape, JobPlan.Pending record) {
    return integerColumns.containsAll(shape.keyColumns())
        && UpdateBatch.integerKey(shape, record.record().statements().get(0).parameters()) != null;
  }

  /** The top-level columns of an integer type, lower case. */
  private static Set<String> integerColumns(Schema schema) {
    Set<String> columns = new HashSet<>();
    for (Types.NestedField field : schema.columns()) {
      if (field.type().typeId() == Type.TypeID.INTEGER
          || field.type().typeId() == Type.TypeID.LONG) {
        columns.add(field.name().toLowerCase(Locale.ROOT));
      }
    }
    return columns;
  }

  /**
   * What run a record can join: "insert" for a plain insert, the template for a batchable update,
   * null when it is applied on its own.
   */
  private static String runKind(JobPlan.Pending record) {
    if (record.abort() != null || record.record().statements().size() != 1) {
      return null;
    }
    RecordStatement statement = record.record().statements().get(0);
    if (statement.kind() == DmlKind.INSERT) {
      return statement.staged() == null ? INSERT_RUN : null;
    }
    return statement.template() != null && UpdateBatch.shapeOf(statement.template()) != null
        ? statement.template()
        : null;
  }

  private static void flush(List<JobPlan.Pending> run, boolean integerKeys, List<Unit> units) {
    if (!run.isEmpty()) {
      units.add(new Unit(List.copyOf(run), integerKeys));
    }
  }

  /** Runs a unit's records in each partition they touch; returns each record's row count. */
  private long[] runBatch(Unit unit) throws SQLException, UpdateBatch.DuplicateKeys {
    List<JobPlan.Pending> records = unit.records();
    Map<String, List<JobPlan.Pending>> byPartition = new LinkedHashMap<>();
    Map<String, List<Integer>> positions = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      for (String key : records.get(i).touched().get(0)) {
        byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(records.get(i));
        positions.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    List<Callable<long[]>> work = new ArrayList<>();
    for (Map.Entry<String, List<JobPlan.Pending>> partition : byPartition.entrySet()) {
      WorkingReplica replica = replicas.get(partition.getKey());
      work.add(
          () -> {
            try (Statement sql = replica.connection().createStatement()) {
              long[] partitionCounts =
                  runInPartition(sql, replica, partition.getValue(), unit.integerKeys());
              replica.markChanged();
              return partitionCounts;
            }
          });
    }
    List<long[]> partitionCounts = tasks.runAll(work);
    long[] counts = new long[records.size()];
    int p = 0;
    for (String key : byPartition.keySet()) {
      List<Integer> at = positions.get(key);
      long[] partitionCount = partitionCounts.get(p++);
      for (int j = 0; j < partitionCount.length; j++) {
        counts[at.get(j)] += partitionCount[j];
      }
    }
    return counts;
  }

  /**
   * Runs a run's records that touch one partition: the inserts into the pending rows, then the
   * updates, then the pending rows into the partition. An insert's row count is the one the
   * orchestrator found at submit; a partition that receives another count fails the run, which is
   * then applied one record at a time.
   */
  private long[] runInPartition(
      Statement sql, WorkingReplica replica, List<JobPlan.Pending> records, boolean integerKeys)
      throws SQLException, UpdateBatch.DuplicateKeys {
    long[] counts = new long[records.size()];
    Map<InsertBatch.Shape, List<Integer>> batched = new LinkedHashMap<>();
    List<Integer> updates = new ArrayList<>();
    long expected = 0;
    boolean inserts = false;
    for (int j = 0; j < records.size(); j++) {
      RecordStatement statement = records.get(j).record().statements().get(0);
      if (statement.kind() != DmlKind.INSERT) {
        updates.add(j);
        continue;
      }
      inserts = true;
      counts[j] = statement.inserts().getOrDefault(replica.key(), 0L);
      expected += counts[j];
      InsertBatch.Shape insert =
          statement.template() == null ? null : InsertBatch.shapeOf(statement.template());
      if (insert == null) {
        PendingRows.addStatement(sql, statement, records.get(j).sequence());
      } else {
        batched.computeIfAbsent(insert, s -> new ArrayList<>()).add(j);
      }
    }
    for (Map.Entry<InsertBatch.Shape, List<Integer>> batch : batched.entrySet()) {
      InsertBatch.add(
          sql,
          batch.getKey(),
          batch.getValue().stream()
              .map(j -> records.get(j).record().statements().get(0).parameters())
              .toList(),
          batch.getValue().stream().map(j -> records.get(j).sequence()).toList());
    }
    if (inserts) {
      PendingRows.keepPartition(sql, replica.predicate());
    }
    if (!updates.isEmpty()) {
      List<UpdateBatch.Shape> shapes =
          updates.stream()
              .map(j -> UpdateBatch.shapeOf(records.get(j).record().statements().get(0).template()))
              .toList();
      List<List<String>> parameters =
          updates.stream()
              .map(j -> records.get(j).record().statements().get(0).parameters())
              .toList();
      List<Long> sequences = updates.stream().map(j -> records.get(j).sequence()).toList();
      long[] updated =
          integerKeys
              ? UpdateBatch.runKeyed(sql, shapes, parameters, sequences, inserts)
              : UpdateBatch.run(sql, shapes.get(0), parameters, sequences, inserts);
      for (int u = 0; u < updates.size(); u++) {
        counts[updates.get(u)] = updated[u];
      }
    }
    if (inserts) {
      long moved = PendingRows.move(sql);
      if (moved != expected) {
        throw new SQLException(
            String.format(
                "A run of inserts wrote %d rows to partition %s of %s where %d were expected",
                moved, replica.key(), table, expected));
      }
    }
    return counts;
  }

  private List<Long> run(JobPlan.Pending record) throws SQLException {
    List<Long> counts = new ArrayList<>();
    List<RecordStatement> statements = record.record().statements();
    for (int i = 0; i < statements.size(); i++) {
      RecordStatement statement = statements.get(i);
      Set<String> keys = record.touched().get(i);
      long count = 0;
      for (String key : keys) {
        WorkingReplica replica = replicas.get(key);
        try {
          count += run(statement, replica);
        } catch (SQLException e) {
          throw new SQLException(
              String.format(
                  "Cannot apply %s %d of transaction %d to %s partition %s: %s",
                  statement.kind(),
                  i + 1,
                  record.sequence(),
                  table,
                  key.isEmpty() ? "(unpartitioned)" : key,
                  DuckDbMessages.clean(e.getMessage(), table.toString())),
              e);
        }
      }
      counts.add(count);
    }
    for (String key : record.partitions()) {
      replicas.get(key).markChanged();
    }
    return counts;
  }

  private long run(RecordStatement statement, WorkingReplica replica) throws SQLException {
    try (Statement sql = replica.connection().createStatement()) {
      if (statement.kind() != DmlKind.INSERT) {
        return sql.executeLargeUpdate(statement.sql());
      }
      sql.execute("DELETE FROM " + RecordStatement.INSERT_STAGING);
      if (statement.staged() != null) {
        Path file = stagedFiles.get(statement.staged());
        if (file == null) {
          throw new IllegalStateException(
              "the staged insert file " + statement.staged() + " is missing from storage");
        }
        sql.execute(
            "INSERT INTO "
                + RecordStatement.INSERT_STAGING
                + " SELECT * FROM read_parquet('"
                + file.toString().replace("'", "''")
                + "')");
      } else {
        sql.execute(statement.sql());
      }
      return sql.executeLargeUpdate(
          "INSERT INTO "
              + DuckDbReplica.ROWS
              + " SELECT * FROM "
              + RecordStatement.INSERT_STAGING
              + " WHERE "
              + replica.predicate());
    }
  }

  private void rollbackAll() throws SQLException {
    for (WorkingReplica replica : replicas.values()) {
      replica.connection().rollback();
    }
  }

  private void commitAll() throws SQLException {
    for (WorkingReplica replica : replicas.values()) {
      replica.connection().commit();
    }
  }
}
