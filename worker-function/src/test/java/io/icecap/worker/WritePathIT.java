package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.replica.DuckDbReplica;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.ValidationLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole write path against real Redis and DuckDB: statements submitted to the orchestrator,
 * applied by in-process workers, read back with Iceberg's own reader and from each partition's
 * DuckDB replica; and every kind of bad statement refused at submit with nothing appended.
 */
class WritePathIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier ORDERS = TableIdentifier.of("db", "orders");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private RedisCatalog catalog;
  private TransactionLog logs;
  private Dispatcher dispatcher;
  private Orchestrator orchestrator;
  private Table table;

  @BeforeEach
  void setUp() {
    path =
        TestingWritePath.start(
            REDIS, warehouse, work, true, new ValidationLimits(16384, 512, 1000));
    catalog = path.catalog;
    logs = path.logs;
    dispatcher = path.dispatcher;
    orchestrator = path.orchestrator;
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "shipped", Types.TimestampType.withZone()));
    table =
        path.create(
            ORDERS, schema, PartitionSpec.builderFor(schema).day("day").bucket("id", 4).build());
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void insertUpdateDeleteEndUpInIcebergAndInEveryReplica() throws Exception {
    TransactionResult inserted =
        execute(
            SqlStatement.of(
                "INSERT INTO orders (id, name, qty, day) VALUES (?, ?, ?, ?), (2, 'b', 20, DATE"
                    + " '2026-11-21'), (3, 'c', 30, DATE '2026-11-21')",
                1L,
                "a",
                10,
                LocalDate.of(2026, 11, 20)));
    assertThat(inserted.committed()).isTrue();
    assertThat(inserted.rowCounts()).containsExactly(3L);

    TransactionResult updated =
        execute(
            SqlStatement.of(
                "UPDATE db.orders SET qty = qty + ?, shipped = now() WHERE id >= 2", 1));
    assertThat(updated.rowCounts()).containsExactly(2L);
    TransactionResult deleted =
        execute(SqlStatement.of("DELETE FROM orders WHERE day = ? AND id = 2", "2026-11-21"));
    assertThat(deleted.rowCounts()).containsExactly(1L);

    table.refresh();
    assertThat(icebergRows()).containsExactly("1,a,10,2026-11-20,false", "3,c,31,2026-11-21,true");
    assertThat(replicaRows()).containsExactlyElementsOf(icebergRows());
    assertThat(table.snapshots()).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void aMultiStatementTransactionAppliesInOrder() throws Exception {
    TransactionResult result =
        orchestrator.execute(
            ORDERS,
            List.of(
                SqlStatement.of(
                    "INSERT INTO orders SELECT i, 'n' || i, i, DATE '2026-11-01' + (i % 3)::INT,"
                        + " NULL FROM range(1, 21) r(i)"),
                SqlStatement.of("DELETE FROM orders WHERE id % 2 = 0"),
                SqlStatement.of("UPDATE orders SET name = upper(name) WHERE id IN (1, 3)")),
            WAIT);
    assertThat(result.rowCounts()).containsExactly(20L, 10L, 2L);
    table.refresh();
    List<String> rows = icebergRows();
    assertThat(rows).hasSize(10).contains("1,N1,1,2026-11-02,false", "5,n5,5,2026-11-03,false");
    assertThat(replicaRows()).containsExactlyElementsOf(rows);
  }

  @Test
  void aLargeInsertIsStagedAndApplied() throws Exception {
    StringBuilder sql = new StringBuilder("INSERT INTO orders (id, name, qty, day) VALUES ");
    for (int i = 0; i < 200; i++) {
      sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'x', 1, DATE '2026-11-05')");
    }
    CommitToken token = orchestrator.submit(ORDERS, List.of(SqlStatement.of(sql.toString())));
    String record = logs.table(ORDERS).read(token.sequence(), token.sequence(), 1).get(0).record();
    assertThat(record).contains("icecap/staged/").doesNotContain("'x'");
    java.util.regex.Matcher file =
        java.util.regex.Pattern.compile("[^\"]*/icecap/staged/[^\"]*\\.parquet").matcher(record);
    assertThat(file.find()).isTrue();
    String staged = file.group();
    assertThat(table.io().newInputFile(staged).exists()).isTrue();
    assertThat(orchestrator.await(token, WAIT).rowCounts()).containsExactly(200L);
    table.refresh();
    assertThat(icebergRows()).hasSize(200);
    // applied and published: the job that applied it deletes the staged file after its commit
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (table.io().newInputFile(staged).exists() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(table.io().newInputFile(staged).exists()).isFalse();
  }

  @Test
  void aTransactionThatFailsAtApplyIsAbortedEverywhereAndReported() throws Exception {
    execute(
        SqlStatement.of(
            "INSERT INTO orders (id, name, day) VALUES (1, '7', DATE '2026-11-20'),"
                + " (2, 'seven', DATE '2026-11-21')"));
    TransactionResult failed = execute(SqlStatement.of("UPDATE orders SET qty = name::INTEGER"));
    assertThat(failed.committed()).isFalse();
    assertThat(failed.error()).contains("Conversion Error").contains("seven");
    table.refresh();
    assertThat(icebergRows())
        .containsExactly("1,7,null,2026-11-20,false", "2,seven,null,2026-11-21,false");
  }

  @Test
  void badStatementsAreRefusedAtSubmitWithNothingAppended() {
    assertRefused("UPDATE orders SET qty = random() * 10", "random() returns a new value");
    assertRefused(
        "INSERT INTO orders (id, day) VALUES (uuid()::VARCHAR::BIGINT, DATE '2026-1-1')", "uuid()");
    assertRefused(
        "UPDATE orders SET qty = (SELECT max(qty) FROM orders)", "subqueries are not supported");
    assertRefused("INSERT INTO orders SELECT * FROM other", "other");
    assertRefused("INSERT INTO orders SELECT * FROM read_csv('/etc/passwd')", "cannot read files");
    assertRefused("UPDATE orders SET day = DATE '2026-01-01'", "partitions the table");
    assertRefused("UPDATE orders SET id = id + 1", "partitions the table");
    assertRefused("UPDAT orders SET qty = 1", "Only INSERT, UPDATE and DELETE");
    assertRefused("UPDATE orders SET qty = 'abc'", "Could not convert string 'abc'");
    assertRefused("UPDATE orders SET nope = 1", "nope");
    assertRefused("DELETE FROM orders WHERE day = 'not a day'", "not a day");
    assertRefused("UPDATE customers SET qty = 1", "a transaction writes one table");
    assertRefused("INSERT INTO orders (id, day) VALUES (NULL, DATE '2026-11-01')", "NOT NULL");
    assertRefused("UPDATE orders SET qty = 1 WHERE id = ?", "1 parameter but 0 values were bound");
    assertRefused(
        "UPDATE orders SET qty = 1 WHERE name = 'x" + "y".repeat(17000) + "'", "over the limit");
    assertRefused(
        "INSERT INTO orders (id, day) SELECT i, DATE '2026-11-01' FROM range(5000) r(i)",
        "over the limit of 1000");
    assertThat(logs.table(ORDERS).state().head()).as("nothing was appended").isZero();

    assertThatThrownBy(
            () ->
                orchestrator.submit(
                    TableIdentifier.of("db", "missing"),
                    List.of(SqlStatement.of("DELETE FROM missing"))))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessageContaining("db.missing");
  }

  @Test
  void aRepeatedStatementIsCheckedForItsValuesAgain() throws Exception {
    String insert = "INSERT INTO orders (id, name, qty, day) VALUES (?, ?, ?, ?)";
    LocalDate day = LocalDate.of(2026, 11, 20);
    orchestrator.submit(ORDERS, List.of(SqlStatement.of(insert, 1L, "a", 1, day)));
    CommitToken second =
        orchestrator.submit(
            ORDERS, List.of(SqlStatement.of(insert, 2L, "b", 2, LocalDate.of(2026, 11, 22))));
    assertThatThrownBy(
            () -> orchestrator.submit(ORDERS, List.of(SqlStatement.of(insert, null, "c", 3, day))))
        .isInstanceOf(TransactionRejectedException.class)
        .hasMessageContaining("NOT NULL");
    String update = "UPDATE orders SET qty = ? WHERE id = ?";
    orchestrator.submit(ORDERS, List.of(SqlStatement.of(update, "7", 1L)));
    assertThatThrownBy(
            () -> orchestrator.submit(ORDERS, List.of(SqlStatement.of(update, "seven", 1L))))
        .isInstanceOf(TransactionRejectedException.class)
        .hasMessageContaining("seven");
    String keyed = "UPDATE orders SET qty = qty + ? WHERE id = ? AND day = ?";
    orchestrator.submit(ORDERS, List.of(SqlStatement.of(keyed, 10, 1L, day)));
    CommitToken last =
        orchestrator.submit(
            ORDERS, List.of(SqlStatement.of(keyed, 100, 2L, LocalDate.of(2026, 11, 22))));
    assertThat(orchestrator.await(last, WAIT).rowCounts()).containsExactly(1L);
    assertThat(orchestrator.await(second, WAIT).committed()).isTrue();
    table.refresh();
    assertThat(icebergRows())
        .containsExactly("1,a,17,2026-11-20,false", "2,b,102,2026-11-22,false");
    assertThat(replicaRows()).containsExactlyElementsOf(icebergRows());
  }

  private void assertRefused(String sql, String message) {
    assertThatThrownBy(() -> orchestrator.submit(ORDERS, List.of(SqlStatement.of(sql))))
        .as(sql)
        .isInstanceOf(TransactionRejectedException.class)
        .hasMessageContaining("Cannot write to test.db.orders")
        .hasMessageContaining(message);
  }

  private TransactionResult execute(SqlStatement statement) throws Exception {
    return orchestrator.execute(ORDERS, List.of(statement), WAIT);
  }

  private List<String> icebergRows() throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows.add(
            record.getField("id")
                + ","
                + record.getField("name")
                + ","
                + record.getField("qty")
                + ","
                + record.getField("day")
                + ","
                + (record.getField("shipped") != null));
      }
    }
    rows.sort(null);
    return rows;
  }

  /** The rows of every partition's DuckDB replica, as the replica map names them. */
  private List<String> replicaRows() throws Exception {
    List<String> rows = new ArrayList<>();
    for (String value : logs.table(ORDERS).state().replicas().values()) {
      ReplicaEntry entry = RecordCodec.decode(value, ReplicaEntry.class, "entry");
      Path copy = Files.createTempFile(work, "replica", ".duckdb");
      Files.delete(copy);
      try (InputStream in = table.io().newInputFile(entry.duckdb()).newStream()) {
        Files.copy(in, copy);
      }
      try (DuckDbReplica replica = DuckDbReplica.open(copy);
          Statement statement = replica.connection().createStatement();
          ResultSet result =
              statement.executeQuery("SELECT id, name, qty, day, shipped IS NOT NULL FROM rows")) {
        while (result.next()) {
          rows.add(
              result.getLong(1)
                  + ","
                  + result.getString(2)
                  + ","
                  + result.getObject(3)
                  + ","
                  + result.getObject(4)
                  + ","
                  + result.getBoolean(5));
        }
      }
    }
    rows.sort(null);
    return rows;
  }
}
