package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.ValidationLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random workload from four concurrent clients, applied by Icecap's workers, gives the
 * same table as replaying the same statements in sequence order into one plain DuckDB database.
 */
class DifferentialIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  private static final int CLIENTS = 4;
  private static final int STATEMENTS_PER_CLIENT = 1250;
  private static final int PARTITIONS = 10;
  private static final long SEED = Long.getLong("icecap.differential.seed", 20261121L);

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private RedisCatalog catalog;
  private TransactionLog logs;
  private Dispatcher dispatcher;
  private Orchestrator orchestrator;
  private Table table;

  /** One submitted statement, to replay in the plain database. */
  private record Submitted(long sequence, SqlStatement statement) {}

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, true, ValidationLimits.defaults());
    catalog = path.catalog;
    logs = path.logs;
    dispatcher = path.dispatcher;
    orchestrator = path.orchestrator;
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "part", Types.IntegerType.get()),
            Types.NestedField.optional(3, "v", Types.LongType.get()),
            Types.NestedField.optional(4, "s", Types.StringType.get()));
    table = path.create(ITEMS, schema, PartitionSpec.builderFor(schema).identity("part").build());
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void icecapMatchesAPlainDuckDbReplayOfTheLog() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<List<Submitted>>> futures = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      int id = client;
      futures.add(clients.submit(() -> runClient(id)));
    }
    List<Submitted> all = new ArrayList<>();
    for (Future<List<Submitted>> future : futures) {
      all.addAll(future.get());
    }
    clients.shutdown();
    all.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    assertThat(all).hasSize(CLIENTS * STATEMENTS_PER_CLIENT);

    Submitted last = all.get(all.size() - 1);
    TransactionResult lastResult =
        orchestrator.await(
            new CommitToken(ITEMS, last.sequence(), "unknown"), Duration.ofMinutes(5));
    assertThat(lastResult).isNotNull();
    assertThat(logs.table(ITEMS).state().hasPending()).isFalse();

    List<String> expected = replay(all);
    table.refresh();
    List<String> actual = icebergRows();
    assertThat(actual).hasSameSizeAs(expected);
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(aborted).as("the workload holds transactions that fail at apply").isPositive();
    assertThat(partitionsOf(actual)).as("the workload spans every partition").hasSize(PARTITIONS);
    // one snapshot per checkpoint, far fewer than one per write
    assertThat(table.snapshots()).hasSizeLessThan(all.size() / 5);
  }

  private List<Submitted> runClient(int client) {
    Random random = new Random(SEED + client);
    List<Submitted> submitted = new ArrayList<>();
    long nextId = client * 1_000_000L;
    for (int i = 0; i < STATEMENTS_PER_CLIENT; i++) {
      SqlStatement statement;
      int kind = random.nextInt(10);
      if (kind < 5 || i < 20) {
        StringBuilder sql = new StringBuilder("INSERT INTO items VALUES ");
        List<Object> values = new ArrayList<>();
        int rows = 1 + random.nextInt(3);
        for (int r = 0; r < rows; r++) {
          sql.append(r == 0 ? "" : ", ").append("(?, ?, ?, ?)");
          values.add(nextId++);
          values.add(random.nextInt(PARTITIONS));
          values.add((long) random.nextInt(1000));
          values.add("s" + random.nextInt(50));
        }
        statement = new SqlStatement(sql.toString(), values);
      } else if (kind < 6) {
        // the shape workers apply as one set-based statement per run
        statement =
            SqlStatement.of(
                "UPDATE items SET v = v + ?, s = ? WHERE id = ? AND part = ?",
                (long) random.nextInt(10),
                "u" + random.nextInt(50),
                client * 1_000_000L + random.nextInt((int) (nextId - client * 1_000_000L)),
                random.nextInt(PARTITIONS));
      } else if (kind < 7) {
        statement =
            SqlStatement.of(
                "UPDATE items SET v = v + ? WHERE part = ? AND id % 5 = ?",
                (long) random.nextInt(10), random.nextInt(PARTITIONS), (long) random.nextInt(5));
      } else if (kind < 8) {
        statement =
            SqlStatement.of(
                "UPDATE items SET s = s || ? WHERE v > ?", "x", (long) (900 + random.nextInt(100)));
      } else if (kind < 9) {
        statement =
            SqlStatement.of(
                "DELETE FROM items WHERE part IN (?, ?) AND v < ?",
                random.nextInt(PARTITIONS),
                random.nextInt(PARTITIONS),
                (long) random.nextInt(40));
      } else {
        // fails at apply wherever a matching row's s is not numeric: aborted as a whole
        statement =
            SqlStatement.of(
                "UPDATE items SET v = CAST(s AS BIGINT) WHERE id % 97 = ?",
                (long) random.nextInt(97));
      }
      CommitToken token = orchestrator.submit(ITEMS, List.of(statement));
      submitted.add(new Submitted(token.sequence(), statement));
    }
    return submitted;
  }

  private int aborted;

  private List<String> replay(List<Submitted> log) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement statement = duckdb.createStatement()) {
        statement.execute(
            "CREATE TABLE items (id BIGINT NOT NULL, part INTEGER NOT NULL, v BIGINT, s VARCHAR)");
      }
      for (Submitted submitted : log) {
        try (PreparedStatement statement = duckdb.prepareStatement(submitted.statement().sql())) {
          List<Object> parameters = submitted.statement().parameters();
          for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
          }
          statement.execute();
        } catch (SQLException e) {
          // aborted in the plain database too: autocommit rolled the statement back
          aborted++;
        }
      }
      List<String> rows = new ArrayList<>();
      try (Statement statement = duckdb.createStatement();
          ResultSet result = statement.executeQuery("SELECT id, part, v, s FROM items")) {
        while (result.next()) {
          rows.add(
              result.getLong(1)
                  + ","
                  + result.getInt(2)
                  + ","
                  + result.getObject(3)
                  + ","
                  + result.getString(4));
        }
      }
      Collections.sort(rows);
      return rows;
    }
  }

  private List<String> icebergRows() throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows.add(
            record.getField("id")
                + ","
                + record.getField("part")
                + ","
                + record.getField("v")
                + ","
                + record.getField("s"));
      }
    }
    Collections.sort(rows);
    return rows;
  }

  private static Map<String, Integer> partitionsOf(List<String> rows) {
    Map<String, Integer> partitions = new TreeMap<>();
    for (String row : rows) {
      partitions.merge(row.split(",")[1], 1, Integer::sum);
    }
    return partitions;
  }
}
