package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.TransactionResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * A seeded random workload for differential tests: each client submits its own statements to the
 * table {@code db.items}, partitioned by {@code part}, and the table Icecap's workers produce must
 * equal replaying the acknowledged statements in sequence order into one plain DuckDB database,
 * each transaction with the same outcome and row count.
 *
 * <p>The statements mix multi-row inserts, keyed updates (which workers apply as set-based runs),
 * updates and deletes over partitions or the whole table, and updates that fail at apply time for
 * some data (aborted as a whole). A client's statements depend only on the seed and the client's
 * number, never on timing.
 */
final class DifferentialWorkload {
  /** The table the workload writes. */
  static final TableIdentifier TABLE = TableIdentifier.of("db", "items");

  /** The table's schema. */
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "part", Types.IntegerType.get()),
          Types.NestedField.optional(3, "v", Types.LongType.get()),
          Types.NestedField.optional(4, "s", Types.StringType.get()));

  private static final String[] COLUMNS = {"id", "part", "v", "s"};
  private static final long IDS_PER_CLIENT = 1_000_000L;

  /** One acknowledged transaction, to replay in the plain database. */
  record Submitted(long sequence, SqlStatement statement) {}

  /**
   * What replaying the log into plain DuckDB gives.
   *
   * @param rows the table's rows, as {@link TestingWritePath#rows} formats them, sorted
   * @param rowCounts each committed transaction's affected rows, by sequence number
   * @param aborted the sequence numbers of the transactions that failed
   */
  record Reference(List<String> rows, Map<Long, Long> rowCounts, Set<Long> aborted) {}

  private final long seed;
  private final int clients;
  private final int statementsPerClient;
  private final int partitions;
  private final AtomicInteger acknowledged = new AtomicInteger();

  /**
   * Describes a workload.
   *
   * @param seed the seed of every client's statements (client {@code c} uses {@code seed + c})
   * @param clients how many clients submit at once
   * @param statementsPerClient how many transactions each client submits
   * @param partitions how many values of {@code part} the rows spread over
   */
  DifferentialWorkload(long seed, int clients, int statementsPerClient, int partitions) {
    if (clients < 1 || statementsPerClient < 20 || partitions < 2) {
      throw new IllegalArgumentException(
          String.format(
              "A workload needs at least 1 client, 20 statements each and 2 partitions, got %d,"
                  + " %d and %d",
              clients, statementsPerClient, partitions));
    }
    this.seed = seed;
    this.clients = clients;
    this.statementsPerClient = statementsPerClient;
    this.partitions = partitions;
  }

  /** How many transactions the workload submits in all. */
  int size() {
    return clients * statementsPerClient;
  }

  /** How many transactions have been acknowledged so far, while {@link #run} runs. */
  int acknowledged() {
    return acknowledged.get();
  }

  /** Creates the workload's table, partitioned by {@code part}. */
  Table createTable(Catalog catalog) {
    return catalog
        .buildTable(TABLE, SCHEMA)
        .withPartitionSpec(PartitionSpec.builderFor(SCHEMA).identity("part").build())
        .create();
  }

  /**
   * Submits every client's statements, the clients on threads of their own, each waiting for the
   * acknowledgement of one transaction before it submits the next.
   *
   * @return the acknowledged transactions in sequence order
   */
  List<Submitted> run(Orchestrator orchestrator) throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<Submitted>>> futures = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        List<SqlStatement> statements = statements(client);
        futures.add(pool.submit(() -> submitAll(orchestrator, statements)));
      }
      List<Submitted> all = new ArrayList<>();
      for (Future<List<Submitted>> future : futures) {
        all.addAll(future.get());
      }
      all.sort(Comparator.comparingLong(Submitted::sequence));
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Submitted> submitAll(Orchestrator orchestrator, List<SqlStatement> statements) {
    List<Submitted> submitted = new ArrayList<>(statements.size());
    for (SqlStatement statement : statements) {
      CommitToken token = orchestrator.submit(TABLE, List.of(statement));
      submitted.add(new Submitted(token.sequence(), statement));
      acknowledged.incrementAndGet();
    }
    return submitted;
  }

  /** The statements of one client, the same for the same seed. */
  List<SqlStatement> statements(int client) {
    Random random = new Random(seed + client);
    List<SqlStatement> statements = new ArrayList<>(statementsPerClient);
    long firstId = client * IDS_PER_CLIENT;
    long nextId = firstId;
    for (int i = 0; i < statementsPerClient; i++) {
      int kind = random.nextInt(10);
      if (kind < 5 || i < 20) {
        StringBuilder sql = new StringBuilder("INSERT INTO items VALUES ");
        List<Object> values = new ArrayList<>();
        int rows = 1 + random.nextInt(3);
        for (int r = 0; r < rows; r++) {
          sql.append(r == 0 ? "" : ", ").append("(?, ?, ?, ?)");
          values.add(nextId++);
          values.add(random.nextInt(partitions));
          values.add((long) random.nextInt(1000));
          values.add("s" + random.nextInt(50));
        }
        statements.add(new SqlStatement(sql.toString(), values));
      } else if (kind < 6 && random.nextBoolean()) {
        // the shapes workers apply as set-based statements: keyed by integers, on the same key
        // columns, so that runs of both share their statements
        statements.add(
            SqlStatement.of(
                "UPDATE items SET v = v + ?, s = ? WHERE id = ? AND part = ?",
                (long) random.nextInt(10),
                "u" + random.nextInt(50),
                firstId + random.nextInt((int) (nextId - firstId)),
                random.nextInt(partitions)));
      } else if (kind < 6) {
        statements.add(
            SqlStatement.of(
                "UPDATE items SET s = s || ?, v = v * 2 WHERE part = ? AND id = ?",
                "k",
                random.nextInt(partitions),
                firstId + random.nextInt((int) (nextId - firstId))));
      } else if (kind < 7) {
        statements.add(
            SqlStatement.of(
                "UPDATE items SET v = v + ? WHERE part = ? AND id % 5 = ?",
                (long) random.nextInt(10), random.nextInt(partitions), (long) random.nextInt(5)));
      } else if (kind < 8) {
        statements.add(
            SqlStatement.of(
                "UPDATE items SET s = s || ? WHERE v > ?",
                "x",
                (long) (900 + random.nextInt(100))));
      } else if (kind < 9) {
        statements.add(
            SqlStatement.of(
                "DELETE FROM items WHERE part IN (?, ?) AND v < ?",
                random.nextInt(partitions),
                random.nextInt(partitions),
                (long) random.nextInt(40)));
      } else {
        // fails at apply wherever a matching row's s is not numeric: aborted as a whole
        statements.add(
            SqlStatement.of(
                "UPDATE items SET v = CAST(s AS BIGINT) WHERE id % 97 = ?",
                (long) random.nextInt(97)));
      }
    }
    return statements;
  }

  /**
   * Waits until the last transaction has its result and every record of the log is applied.
   *
   * @throws TimeoutException when that takes longer than {@code timeout}
   */
  void awaitApplied(Orchestrator orchestrator, List<Submitted> log, Duration timeout)
      throws TimeoutException {
    Submitted last = log.get(log.size() - 1);
    assertThat(orchestrator.await(new CommitToken(TABLE, last.sequence(), "unknown"), timeout))
        .isNotNull();
    orchestrator.awaitApplied(TABLE, timeout);
  }

  /** Replays the transactions in sequence order into one plain in-memory DuckDB database. */
  Reference replay(List<Submitted> log) throws SQLException {
    Map<Long, Long> rowCounts = new TreeMap<>();
    Set<Long> aborted = new TreeSet<>();
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
          rowCounts.put(submitted.sequence(), (long) statement.executeUpdate());
        } catch (SQLException e) {
          // aborted in the plain database too: autocommit rolled the statement back
          aborted.add(submitted.sequence());
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
      return new Reference(rows, rowCounts, aborted);
    }
  }

  /**
   * Checks that every transaction of {@code log} was applied exactly once: nothing is pending, the
   * table read through Iceberg equals the plain replay, and every transaction's published result
   * (committed with its row count, or aborted) equals the replay's.
   *
   * @return the replay, for further checks
   */
  Reference verify(Table table, TransactionLog logs, List<Submitted> log) throws SQLException {
    assertThat(log).as("acknowledged transactions").hasSize(size());
    JobState state = logs.table(TABLE).state();
    assertThat(state.hasPending()).as("records left unapplied").isFalse();
    assertThat(state.watermark()).as("watermark").isEqualTo(state.head());

    Reference reference = replay(log);
    table.refresh();
    List<String> actual = TestingWritePath.rows(table, COLUMNS);
    assertThat(actual).hasSameSizeAs(reference.rows());
    assertThat(actual).containsExactlyElementsOf(reference.rows());

    List<Long> sequences = log.stream().map(Submitted::sequence).toList();
    Map<Long, String> published = logs.table(TABLE).results(sequences);
    List<String> wrong = new ArrayList<>();
    for (long sequence : sequences) {
      String value = published.get(sequence);
      if (value == null) {
        wrong.add(sequence + ": no result");
        continue;
      }
      TransactionResult result =
          RecordCodec.decode(value, TransactionResult.class, "result " + sequence);
      boolean abortedThere = reference.aborted().contains(sequence);
      if (result.committed() == abortedThere) {
        wrong.add(
            sequence
                + (abortedThere
                    ? ": committed, the replay aborted it"
                    : ": aborted, the replay committed it: " + result.error()));
      } else if (!abortedThere
          && !result.rowCounts().equals(List.of(reference.rowCounts().get(sequence)))) {
        wrong.add(
            sequence
                + ": rows "
                + result.rowCounts()
                + ", the replay "
                + reference.rowCounts().get(sequence));
      }
    }
    assertThat(wrong).as("transactions whose result differs from the replay's").isEmpty();
    assertThat(reference.aborted())
        .as("the workload holds transactions that fail at apply")
        .isNotEmpty();
    assertThat(partitionsOf(actual)).as("the workload spans every partition").hasSize(partitions);
    return reference;
  }

  private static Map<String, Integer> partitionsOf(List<String> rows) {
    Map<String, Integer> found = new TreeMap<>();
    for (String row : rows) {
      found.merge(row.split(",")[1], 1, Integer::sum);
    }
    return found;
  }
}
