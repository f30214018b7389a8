package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.validate.ValidationLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply job against real Redis and DuckDB, fed with log records written by hand: inserts,
 * updates and deletes land in one snapshot per round, with the replica map and results published by
 * the same commit, and a failing transaction is aborted in every partition.
 */
class ApplyJobIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier ORDERS = TableIdentifier.of("db", "orders");

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private RedisCatalog catalog;
  private TransactionLog logs;
  private Table table;
  private Worker worker;

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults());
    catalog = path.catalog;
    logs = path.logs;
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()));
    table = path.create(ORDERS, schema, PartitionSpec.builderFor(schema).identity("day").build());
    worker = path.worker("w1", work, JobHooks.NONE);
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void insertsUpdatesAndDeletesLandInOneSnapshotPerRound() {
    TableLog log = logs.table(ORDERS);
    long first =
        log.append(
            "t1",
            insert(
                "INSERT INTO icecap_insert VALUES (1, 'a', 5, DATE '2026-11-20'),"
                    + " (2, 'b', 6, DATE '2026-11-21'), (3, 'c', 7, DATE '2026-11-21')",
                Map.of(day(20), 1L, day(21), 2L)));
    long second =
        log.append("t2", update("UPDATE rows AS orders SET qty = orders.qty * 10 WHERE id >= 2"));
    long third = log.append("t3", delete("DELETE FROM rows WHERE id = 1"));

    assertThat(worker.apply(ORDERS)).isFalse();

    table.refresh();
    assertThat(rows()).containsExactlyInAnyOrder("2,b,60,2026-11-21", "3,c,70,2026-11-21");
    assertThat(table.snapshots()).hasSize(1);
    Map<String, String> summary = table.currentSnapshot().summary();
    assertThat(summary).containsEntry(Checkpoint.SUMMARY_SEQUENCE, Long.toString(third));
    assertThat(summary).containsEntry(Checkpoint.SUMMARY_WORKER, "w1");
    assertThat(summary).doesNotContainKey("icecap.partitions"); // the replica map is in Redis
    assertThat(log.state().replicas()).containsOnlyKeys(day(20), day(21));

    Map<Long, String> results = log.results(List.of(first, second, third));
    assertThat(decode(results.get(first)).rowCounts()).containsExactly(3L);
    assertThat(decode(results.get(second)).rowCounts()).containsExactly(2L);
    assertThat(decode(results.get(third)).rowCounts()).containsExactly(1L);

    JobState state = log.state();
    assertThat(state.watermark()).isEqualTo(third);
    assertThat(state.hasPending()).isFalse();
    assertThat(state.leases()).isEmpty();
    assertThat(log.read(1, third, 10)).as("the log is trimmed below the watermark").isEmpty();
    ReplicaEntry entry =
        RecordCodec.decode(state.replicas().get(day(21)), ReplicaEntry.class, "entry");
    assertThat(entry.rows()).isEqualTo(2);
    assertThat(entry.sequence()).isEqualTo(third);
    assertThat(worker.cache().stats().entries()).isEqualTo(2);
  }

  @Test
  void theNextRoundReusesTheCachedReplica() {
    TableLog log = logs.table(ORDERS);
    log.append(
        "t1",
        insert(
            "INSERT INTO icecap_insert VALUES (1, 'a', 5, DATE '2026-11-20')",
            Map.of(day(20), 1L)));
    worker.apply(ORDERS);
    assertThat(worker.cache().stats().open()).as("kept open for the next round").isEqualTo(1);
    log.append("t2", update("UPDATE rows SET qty = 6"));
    worker.apply(ORDERS);

    table.refresh();
    assertThat(rows()).containsExactly("1,a,6,2026-11-20");
    assertThat(table.snapshots()).hasSize(2);
    assertThat(worker.cache().stats().hits()).isEqualTo(1);
  }

  @Test
  void aWorkerKeepingNoReplicaOpenReusesTheClosedCopy() {
    Worker closing =
        new Worker(
            catalog,
            logs,
            WorkerSettings.defaults("w2", work.resolve("closing")).withOpenReplicas(0),
            JobHooks.NONE);
    TableLog log = logs.table(ORDERS);
    log.append(
        "t1",
        insert(
            "INSERT INTO icecap_insert VALUES (1, 'a', 5, DATE '2026-11-20')",
            Map.of(day(20), 1L)));
    closing.apply(ORDERS);
    assertThat(closing.cache().stats().open()).isZero();
    assertThat(closing.cache().stats().entries()).isEqualTo(1);
    log.append("t2", update("UPDATE rows SET qty = qty + 1"));
    closing.apply(ORDERS);

    table.refresh();
    assertThat(rows()).containsExactly("1,a,6,2026-11-20");
    assertThat(closing.cache().stats().hits()).isEqualTo(1);
    closing.close();
  }

  @Test
  void aCheckpointAppliesAtMostTheConfiguredNumberOfRecords() {
    Worker small =
        new Worker(
            catalog,
            logs,
            WorkerSettings.defaults("w2", work.resolve("small"))
                .withCheckpointPolicy(2, Duration.ZERO),
            JobHooks.NONE);
    TableLog log = logs.table(ORDERS);
    for (int i = 1; i <= 5; i++) {
      log.append(
          "t" + i,
          insert(
              "INSERT INTO icecap_insert VALUES (" + i + ", 'a', 1, DATE '2026-11-20')",
              Map.of(day(20), 1L)));
    }
    small.apply(ORDERS);
    table.refresh();
    assertThat(table.snapshots()).hasSize(3);
    assertThat(rows()).hasSize(5);
  }

  @Test
  void aCheckpointWaitsTheConfiguredDelayAfterTheLastOne() throws Exception {
    Worker patient =
        new Worker(
            catalog,
            logs,
            WorkerSettings.defaults("w3", work.resolve("patient"))
                .withCheckpointPolicy(10_000, Duration.ofSeconds(3)),
            JobHooks.NONE);
    TableLog log = logs.table(ORDERS);
    log.append(
        "a",
        insert(
            "INSERT INTO icecap_insert VALUES (1, 'a', 1, DATE '2026-11-20')",
            Map.of(day(20), 1L)));
    Thread job = new Thread(() -> patient.apply(ORDERS));
    job.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (log.state().watermark() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    log.append(
        "b",
        insert(
            "INSERT INTO icecap_insert VALUES (2, 'b', 1, DATE '2026-11-20')",
            Map.of(day(20), 1L)));
    Thread.sleep(1000);
    table.refresh();
    assertThat(table.snapshots()).as("the second checkpoint waits three seconds").hasSize(1);
    job.join(30_000);
    table.refresh();
    assertThat(table.snapshots()).hasSize(2);
    assertThat(rows()).hasSize(2);
  }

  @Test
  void aFailingTransactionIsAbortedInEveryPartition() {
    TableLog log = logs.table(ORDERS);
    log.append(
        "t1",
        insert(
            "INSERT INTO icecap_insert VALUES (1, '10', 5, DATE '2026-11-20'),"
                + " (2, 'x', 6, DATE '2026-11-21')",
            Map.of(day(20), 1L, day(21), 1L)));
    // partition 20 can cast its name, partition 21 cannot: neither may change
    long failing = log.append("t2", update("UPDATE rows SET qty = CAST(name AS INTEGER)"));
    long after = log.append("t3", update("UPDATE rows SET qty = qty + 1"));

    worker.apply(ORDERS);

    table.refresh();
    assertThat(rows()).containsExactlyInAnyOrder("1,10,6,2026-11-20", "2,x,7,2026-11-21");
    TransactionResult aborted = decode(log.results(List.of(failing)).get(failing));
    assertThat(aborted.committed()).isFalse();
    assertThat(aborted.error())
        .contains("Cannot apply UPDATE 1 of transaction " + failing)
        .contains("day=2026-11-21")
        .contains("'x'");
    assertThat(decode(log.results(List.of(after)).get(after)).rowCounts()).containsExactly(2L);
  }

  @Test
  void aRecordForAReplacedTableIsAborted() {
    TableLog log = logs.table(ORDERS);
    long seq =
        log.append(
            "t1",
            RecordCodec.encode(
                new TransactionRecord(
                    "t1",
                    UUID.randomUUID().toString(),
                    table.spec().specId(),
                    table.schema().schemaId(),
                    0,
                    List.of(statement(DmlKind.DELETE, "DELETE FROM rows")),
                    Map.of())));
    worker.apply(ORDERS);
    TransactionResult result = decode(log.results(List.of(seq)).get(seq));
    assertThat(result.committed()).isFalse();
    assertThat(result.error()).contains("dropped and created again");
    assertThat(log.state().watermark()).isEqualTo(seq);
  }

  @Test
  void runsOfKeyedUpdatesApplyAsOneStatementWithSequentialResults() {
    TableLog log = logs.table(ORDERS);
    log.append(
        "t0",
        insert(
            "INSERT INTO icecap_insert VALUES (1, 'a', 0, DATE '2026-11-20'),"
                + " (2, 'b', 0, DATE '2026-11-20'), (3, 'c', 0, DATE '2026-11-21')",
            Map.of(day(20), 2L, day(21), 1L)));
    String template = "UPDATE rows AS \"orders\" SET qty = qty + ?, name = ? WHERE id = ?";
    List<Long> sequences = new ArrayList<>();
    // one run: ids 1, 2, 3, then id 1 again (a second generation), a record that fails (the
    // run is then applied one record at a time), and id 9, which matches nothing
    Object[][] runs = {
      {"CAST(1 AS INTEGER)", "'x'", "CAST(1 AS BIGINT)"},
      {"CAST(10 AS INTEGER)", "'y'", "CAST(2 AS BIGINT)"},
      {"CAST(100 AS INTEGER)", "'z'", "CAST(3 AS BIGINT)"},
      {"CAST(1000 AS INTEGER)", "'w'", "CAST(1 AS BIGINT)"},
      {"CAST('boom' AS INTEGER)", "'v'", "CAST(2 AS BIGINT)"},
      {"CAST(5 AS INTEGER)", "'u'", "CAST(9 AS BIGINT)"}
    };
    for (Object[] parameters : runs) {
      List<String> literals =
          List.of((String) parameters[0], (String) parameters[1], (String) parameters[2]);
      String sql = template;
      for (String literal : literals) {
        sql = sql.replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(literal));
      }
      sequences.add(
          log.append(
              UUID.randomUUID().toString(),
              record(
                  new RecordStatement(DmlKind.UPDATE, sql, null, null, null, template, literals))));
    }
    worker.apply(ORDERS);

    table.refresh();
    assertThat(rows())
        .containsExactly("1,w,1001,2026-11-20", "2,y,10,2026-11-20", "3,z,100,2026-11-21");
    Map<Long, String> results = log.results(sequences);
    List<Long> counts = new ArrayList<>();
    for (long sequence : sequences) {
      TransactionResult result = decode(results.get(sequence));
      counts.add(result.committed() ? result.totalRows() : -1);
    }
    assertThat(counts).containsExactly(1L, 1L, 1L, 1L, -1L, 0L);
  }

  @Test
  void runsMixingInsertsAndKeyedUpdatesApplyInLogOrder() throws Exception {
    String update = "UPDATE orders SET qty = qty + ?, name = ? WHERE id = ?";
    String insert = "INSERT INTO orders VALUES (?, ?, ?, ?)";
    LocalDate d20 = LocalDate.of(2026, 11, 20);
    LocalDate d21 = LocalDate.of(2026, 11, 21);
    List<SqlStatement> statements =
        List.of(
            // before its row is inserted: matches nothing
            SqlStatement.of(update, 1, "early", 5L),
            SqlStatement.of(insert, 5L, "e", 1, d20),
            SqlStatement.of(update, 10, "second", 5L),
            new SqlStatement(
                "INSERT INTO orders VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
                List.of(6L, "f", 2, d20, 7L, "g", 3, d21)),
            SqlStatement.of(update, 100, "seven", 7L),
            SqlStatement.of(update, 1000, "third", 5L),
            // no parameters: added to the run by running its SQL
            SqlStatement.of("INSERT INTO orders SELECT 8, 'h', 4, DATE '2026-11-21'"),
            SqlStatement.of(update, 1, "eight", 8L),
            SqlStatement.of(insert, 9L, "i", 9, d21));
    List<CommitToken> tokens = new ArrayList<>();
    for (SqlStatement statement : statements) {
      tokens.add(path.orchestrator.submit(ORDERS, List.of(statement)));
    }

    assertThat(worker.apply(ORDERS)).isFalse();

    table.refresh();
    assertThat(rows())
        .containsExactly(
            "5,third,1011,2026-11-20",
            "6,f,2,2026-11-20",
            "7,seven,103,2026-11-21",
            "8,eight,5,2026-11-21",
            "9,i,9,2026-11-21");
    assertThat(table.snapshots()).hasSize(1);
    List<Long> counts = new ArrayList<>();
    for (CommitToken token : tokens) {
      counts.add(path.orchestrator.await(token, Duration.ofSeconds(10)).totalRows());
    }
    assertThat(counts).containsExactly(0L, 1L, 1L, 2L, 1L, 1L, 1L, 1L, 1L);
  }

  @Test
  void aRecordOfATableUpgradedToFormatVersion3AfterItsSubmitIsAbortedNotLeftPending() {
    TableLog log = logs.table(ORDERS);
    long sequence =
        log.append(
            "t1",
            insert(
                "INSERT INTO icecap_insert VALUES (1, 'a', 5, DATE '2026-11-20')",
                Map.of(day(20), 1L)));
    table.updateProperties().set(TableProperties.FORMAT_VERSION, "3").commit();

    assertThat(worker.apply(ORDERS)).as("records pending after the job").isFalse();

    TransactionResult result = decode(log.results(List.of(sequence)).get(sequence));
    assertThat(result.committed()).isFalse();
    assertThat(result.error()).contains("format version 3", "row lineage");
    table.refresh();
    assertThat(table.currentSnapshot()).as("nothing written to the v3 table").isNull();
    assertThat(log.state().hasPending()).isFalse();
  }

  private String insert(String sql, Map<String, Long> inserts) {
    Map<String, List<String>> partitions = new java.util.HashMap<>();
    for (String key : inserts.keySet()) {
      PartitionData partition = new PartitionData(table.spec().partitionType());
      partition.set(0, (int) LocalDate.parse(key.substring(4)).toEpochDay());
      partitions.put(key, PartitionValues.toJson(table.spec(), partition));
    }
    return RecordCodec.encode(
        new TransactionRecord(
            UUID.randomUUID().toString(),
            table.uuid().toString(),
            table.spec().specId(),
            table.schema().schemaId(),
            System.currentTimeMillis(),
            List.of(new RecordStatement(DmlKind.INSERT, sql, null, inserts, null)),
            partitions));
  }

  private String update(String sql) {
    return record(statement(DmlKind.UPDATE, sql));
  }

  private String delete(String sql) {
    return record(statement(DmlKind.DELETE, sql));
  }

  private static RecordStatement statement(DmlKind kind, String sql) {
    return new RecordStatement(kind, sql, null, null, null);
  }

  private String record(RecordStatement statement) {
    return RecordCodec.encode(
        new TransactionRecord(
            UUID.randomUUID().toString(),
            table.uuid().toString(),
            table.spec().specId(),
            table.schema().schemaId(),
            System.currentTimeMillis(),
            List.of(statement),
            Map.of()));
  }

  private static String day(int day) {
    return "day=2026-11-" + day;
  }

  private static TransactionResult decode(String result) {
    return RecordCodec.decode(result, TransactionResult.class, "result");
  }

  private List<String> rows() {
    return TestingWritePath.rows(table, "id", "name", "qty", "day");
  }
}
