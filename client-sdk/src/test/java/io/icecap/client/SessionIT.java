package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.record.TransactionResult;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The SDK through its public API, against a real Redis, DuckDB and a local warehouse. */
class SessionIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA shop");
    session.execute(
        "CREATE TABLE shop.orders (id BIGINT NOT NULL, customer VARCHAR, qty INTEGER,"
            + " day DATE NOT NULL) PARTITIONED BY (day(day), bucket(4, id))");
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void writesReturnTheirRowCountsAndQueriesSeeThem() throws Exception {
    assertThat(
            session.execute(
                "INSERT INTO shop.orders VALUES (?, ?, ?, ?)",
                1L,
                "ada",
                5,
                LocalDate.of(2026, 11, 20)))
        .isEqualTo(1);
    assertThat(
            session.execute(
                "INSERT INTO shop.orders VALUES (2, 'bob', 6, DATE '2026-11-21'),"
                    + " (3, 'cy', 7, DATE '2026-11-21')"))
        .isEqualTo(2);
    assertThat(session.execute("UPDATE shop.orders SET qty = qty * 10 WHERE id >= ?", 2L))
        .isEqualTo(2);
    assertThat(session.execute("DELETE FROM shop.orders WHERE customer = 'ada'")).isEqualTo(1);

    assertThat(rows("SELECT id, customer, qty, day FROM shop.orders ORDER BY id"))
        .containsExactly("2|bob|60|2026-11-21", "3|cy|70|2026-11-21");
    assertThat(rows("SELECT sum(qty) FROM shop.orders WHERE day = ?", LocalDate.of(2026, 11, 21)))
        .containsExactly("130");
  }

  @Test
  void aTransactionIsOneRecordWithOneCountPerStatement() throws Exception {
    session.begin();
    assertThat(session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')"))
        .isEqualTo(IcecapSession.PENDING);
    session.execute("UPDATE shop.orders SET qty = 2 WHERE id = 1");
    assertThat(session.inTransaction()).isTrue();
    TransactionResult result = session.commit();
    assertThat(result.rowCounts()).containsExactly(1L, 1L);
    assertThat(rows("SELECT qty FROM shop.orders")).containsExactly("2");

    session.execute("BEGIN");
    session.execute("DELETE FROM shop.orders");
    session.execute("ROLLBACK");
    assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly("1");

    session.execute("CREATE TABLE shop.other (id BIGINT)");
    session.begin();
    session.execute("DELETE FROM shop.orders");
    assertThatThrownBy(() -> session.execute("DELETE FROM shop.other"))
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining("A transaction writes one table")
        .extracting(e -> ((IcecapException) e).code())
        .isEqualTo(ErrorCode.TRANSACTION_STATE);
    assertThatThrownBy(() -> session.execute("DROP TABLE shop.other"))
        .hasMessageContaining("DDL cannot run inside a transaction");
    session.rollback();
    assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly("1");
  }

  @Test
  void anAsyncWriteIsAcknowledgedThenAwaited() throws Exception {
    CommitToken token =
        session.executeAsync("INSERT INTO shop.orders VALUES (9, 'z', 1, DATE '2026-11-20')");
    assertThat(token.table()).isEqualTo(TableIdentifier.of("shop", "orders"));
    TransactionResult result = session.await(token);
    assertThat(result.committed()).isTrue();
    assertThat(result.totalRows()).isEqualTo(1);
    assertThat(rows("SELECT customer FROM shop.orders")).containsExactly("z");
  }

  @Test
  void aWriteThatFailsWhenAppliedIsReportedAndHasNoEffect() throws Exception {
    session.execute("INSERT INTO shop.orders VALUES (1, 'x1', 1, DATE '2026-11-20')");
    session.execute("INSERT INTO shop.orders VALUES (2, 'nope', 1, DATE '2026-11-21')");
    assertThatThrownBy(() -> session.execute("UPDATE shop.orders SET qty = CAST(customer AS INT)"))
        .isInstanceOf(IcecapException.class)
        .extracting(e -> ((IcecapException) e).code())
        .isEqualTo(ErrorCode.WRITE_ABORTED);
    assertThat(rows("SELECT qty FROM shop.orders ORDER BY id")).containsExactly("1", "1");
  }

  @Test
  void queriesTravelInTimeBySnapshotAndByTimestamp() throws Exception {
    session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')");
    Table table = session.catalog().loadTable(TableIdentifier.of("shop", "orders"));
    Snapshot first = table.currentSnapshot();
    Instant between = Instant.ofEpochMilli(first.timestampMillis() + 1);
    Thread.sleep(5);
    session.execute("UPDATE shop.orders SET qty = 2");

    assertThat(rows("SELECT qty FROM shop.orders")).containsExactly("2");
    assertThat(rows("SELECT qty FROM shop.orders AT (VERSION => " + first.snapshotId() + ")"))
        .containsExactly("1");
    assertThat(
            rows(
                "SELECT o.qty AS old, n.qty AS new FROM shop.orders AS o AT (VERSION => "
                    + first.snapshotId()
                    + ") JOIN shop.orders AS n ON o.id = n.id"))
        .containsExactly("1|2");
    try (ResultSet rows = session.queryAsOf(between, "SELECT qty FROM shop.orders")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
    assertThatThrownBy(() -> session.query("SELECT * FROM shop.orders AT (VERSION => 42)"))
        .hasMessageContaining("has no snapshot 42");
  }

  @Test
  void timeTravelToAnExpiredSnapshotSaysItIsExpired() throws Exception {
    session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')");
    Table table = session.catalog().loadTable(TableIdentifier.of("shop", "orders"));
    Snapshot first = table.currentSnapshot();
    Instant then = Instant.ofEpochMilli(first.timestampMillis() + 1);
    Thread.sleep(5);
    session.execute("UPDATE shop.orders SET qty = 2");
    table.refresh();
    table.updateProperties().set("history.expire.max-snapshot-age-ms", "3600000").commit();
    table.expireSnapshots().expireSnapshotId(first.snapshotId()).commit();
    table.refresh();
    Snapshot kept = table.currentSnapshot();

    assertThatThrownBy(
            () ->
                session.query(
                    "SELECT * FROM shop.orders AT (VERSION => " + first.snapshotId() + ")"))
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining("has no snapshot " + first.snapshotId())
        .hasMessageContaining("not in the table's history")
        .hasMessageContaining("keeps snapshots for 1 hour")
        .hasMessageContaining("the oldest available is snapshot " + kept.snapshotId());
    assertThatThrownBy(() -> session.queryAsOf(then, "SELECT qty FROM shop.orders"))
        .hasMessageContaining("has no snapshot as of " + then)
        .hasMessageContaining("expired")
        .hasMessageContaining("the oldest available is snapshot " + kept.snapshotId());
    assertThatThrownBy(
            () ->
                session.query("SELECT * FROM shop.orders AT (TIMESTAMP => '2020-01-01 00:00:00')"))
        .hasMessageContaining("has no snapshot as of 2020-01-01T00:00:00Z")
        .hasMessageContaining("keeps snapshots for 1 hour");
    assertThat(rows("SELECT qty FROM shop.orders")).containsExactly("2");
  }

  @Test
  void schemaEvolutionThroughAlterTable() throws Exception {
    session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')");
    long before =
        session
            .catalog()
            .loadTable(TableIdentifier.of("shop", "orders"))
            .currentSnapshot()
            .snapshotId();
    session.execute("ALTER TABLE shop.orders ADD COLUMN note VARCHAR");
    session.execute("ALTER TABLE shop.orders RENAME COLUMN customer TO buyer");
    session.execute("ALTER TABLE shop.orders DROP COLUMN qty");
    session.execute(
        "INSERT INTO shop.orders (id, buyer, day, note) VALUES (2, 'b', DATE '2026-11-21', 'n')");

    assertThat(columns("SELECT * FROM shop.orders")).containsExactly("id", "buyer", "day", "note");
    assertThat(rows("SELECT id, buyer, note FROM shop.orders ORDER BY id"))
        .containsExactly("1|a|null", "2|b|n");
    assertThat(columns("SELECT * FROM shop.orders AT (VERSION => " + before + ")"))
        .containsExactly("id", "customer", "qty", "day");
  }

  @Test
  void joinsAcrossTablesAndUnqualifiedNamesWithADefaultNamespace() throws Exception {
    session.execute("CREATE TABLE shop.customers (name VARCHAR NOT NULL, city VARCHAR)");
    session.execute("INSERT INTO shop.customers VALUES ('ada', 'Oslo'), ('bob', 'Rome')");
    session.execute(
        "INSERT INTO shop.orders VALUES (1, 'ada', 3, DATE '2026-11-20'),"
            + " (2, 'bob', 4, DATE '2026-11-21'), (3, 'ada', 5, DATE '2026-11-21')");
    assertThat(
            rows(
                "SELECT c.city, sum(o.qty) FROM shop.orders o JOIN shop.customers c"
                    + " ON o.customer = c.name GROUP BY c.city ORDER BY c.city"))
        .containsExactly("Oslo|8", "Rome|4");

    try (IcecapSession shop =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home)
                .withWorkers(1)
                .withDefaultNamespace("shop"))) {
      try (ResultSet rows = shop.query("SELECT count(*) FROM orders WHERE customer = 'ada'")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(2);
      }
      assertThat(shop.execute("UPDATE orders SET qty = 0 WHERE customer = 'bob'")).isEqualTo(1);
    }
  }

  @Test
  void badInputGetsCodedErrorsAndTheSessionStaysUsable() throws Exception {
    assertCode(() -> session.query("SELEC 1"), ErrorCode.SYNTAX_ERROR, "Syntax error");
    assertCode(
        () -> session.query("SELECT * FROM shop.missing"),
        ErrorCode.UNKNOWN_TABLE,
        "shop.missing does not exist");
    assertCode(
        () -> session.query("SELECT nothing FROM shop.orders"),
        ErrorCode.UNKNOWN_COLUMN,
        "nothing");
    assertCode(
        () ->
            session.execute("INSERT INTO shop.orders VALUES (1, 'a', 'seven', DATE '2026-11-20')"),
        ErrorCode.WRITE_REFUSED,
        "seven");
    assertCode(
        () -> session.execute("INSERT INTO shop.missing VALUES (1)"),
        ErrorCode.UNKNOWN_TABLE,
        "missing");
    assertCode(
        () -> session.execute("INSERT INTO orders VALUES (1)"),
        ErrorCode.UNKNOWN_TABLE,
        "has no namespace");
    assertCode(
        () -> session.execute("CREATE TABLE shop.t (id INT) PARTITIONED BY (nope)"),
        ErrorCode.UNKNOWN_COLUMN,
        "no such column");
    assertCode(
        () -> session.execute("CREATE TABLE shop.t (id INT DEFAULT 3)"),
        ErrorCode.UNSUPPORTED,
        "DEFAULT is not supported");
    assertCode(
        () -> session.execute("CREATE TABLE shop.t (id NOTATYPE)"),
        ErrorCode.SYNTAX_ERROR,
        "column list does not parse");
    assertCode(
        () -> session.execute("CREATE TABLE shop.orders (id INT)"),
        ErrorCode.ALREADY_EXISTS,
        "exists already");
    assertCode(
        () -> session.execute("CREATE TABLE nowhere.t (id INT)"),
        ErrorCode.UNKNOWN_SCHEMA,
        "CREATE SCHEMA nowhere");
    assertCode(
        () -> session.execute("DROP TABLE shop.missing"), ErrorCode.UNKNOWN_TABLE, "not exist");
    assertCode(
        () -> session.execute("ALTER TABLE shop.orders DROP COLUMN nope"),
        ErrorCode.UNKNOWN_COLUMN,
        "nope");
    assertCode(() -> session.execute("GRANT ALL"), ErrorCode.UNSUPPORTED, "query");
    assertCode(() -> session.execute("SELECT 1"), ErrorCode.UNSUPPORTED, "run SELECT with query");
    assertCode(() -> session.commit(), ErrorCode.TRANSACTION_STATE, "No transaction is open");

    session.execute("DROP TABLE IF EXISTS shop.missing");
    session.execute("CREATE TABLE IF NOT EXISTS shop.orders (id INT)");
    assertThat(session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')"))
        .isEqualTo(1);
    assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly("1");

    session.close();
    assertCode(() -> session.query("SELECT 1"), ErrorCode.SESSION_CLOSED, "closed");
  }

  @Test
  void anUnreachableRedisIsAConnectionError() {
    IcecapConfig config =
        IcecapConfig.redis("redis://127.0.0.1:1", warehouse.toString(), home.resolve("other"));
    assertThatThrownBy(() -> Icecap.connect(config))
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining("127.0.0.1:1")
        .extracting(e -> ((IcecapException) e).code())
        .isEqualTo(ErrorCode.CONNECTION_FAILED);
  }

  @Test
  void latestQueriesSeeEveryAcknowledgedWrite() throws Exception {
    session.setConsistency(Consistency.LATEST);
    int iterations = Integer.getInteger("icecap.readYourWrites.iterations", 1_000);
    for (int i = 0; i < iterations; i++) {
      session.executeAsync(
          "INSERT INTO shop.orders VALUES (?, 'w', 1, ?)", (long) i, LocalDate.of(2026, 11, 20));
      try (ResultSet rows = session.query("SELECT count(*) FROM shop.orders")) {
        rows.next();
        assertThat(rows.getLong(1)).as("iteration %d", i).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void aQueryPastItsTimeoutOrCancelledEndsAndTheSessionGoesOn() throws Exception {
    session.execute("INSERT INTO shop.orders VALUES (1, 'a', 1, DATE '2026-11-20')");
    String endless = "SELECT sum(hash(r.i * o.id)) FROM shop.orders o, range(100000000000) r(i)";

    session.setQueryTimeout(Duration.ofMillis(300));
    long started = System.nanoTime();
    assertCode(() -> session.query(endless), ErrorCode.QUERY_TIMEOUT, "query timeout of PT0.3S");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly("1");

    session.setQueryTimeout(Duration.ZERO);
    ExecutorService canceller = Executors.newSingleThreadExecutor();
    try {
      Future<?> cancelling =
          canceller.submit(
              () -> {
                // cancel once the query runs: the cancel before it would be forgotten
                while (!Thread.currentThread().isInterrupted()) {
                  session.cancel();
                  LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
              });
      try {
        assertCode(() -> session.query(endless), ErrorCode.QUERY_CANCELLED, "was cancelled");
      } finally {
        cancelling.cancel(true);
      }
    } finally {
      canceller.shutdownNow();
    }
    assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly("1");
    assertCode(
        () -> session.setQueryTimeout(Duration.ofSeconds(-1)),
        ErrorCode.INVALID_PARAMETER,
        "cannot be negative");
  }

  private static void assertCode(Runnable action, ErrorCode code, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((IcecapException) e).code())
        .isEqualTo(code);
  }

  @Test
  void snapshotQueriesAlwaysSeeSomeCommittedSnapshot() throws Exception {
    session.execute("CREATE TABLE shop.counter (id BIGINT NOT NULL)");
    int writes = 60;
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try (IcecapSession other = Icecap.connect(session.config())) {
                for (long id = 1; id <= writes; id++) {
                  other.executeAsync("INSERT INTO shop.counter VALUES (?)", id);
                  if (id % 5 == 0) {
                    other.execute("INSERT INTO shop.counter VALUES (?)", -id);
                    other.execute("DELETE FROM shop.counter WHERE id = ?", -id);
                  }
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    writer.start();
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    int queries = 0;
    while (writer.isAlive() || queries == 0) {
      try (ResultSet result =
          session.query(
              "SELECT count(*), coalesce(sum(id), 0), coalesce(max(id), 0),"
                  + " count(*) FILTER (WHERE id < 0) FROM shop.counter")) {
        result.next();
        long count = result.getLong(1);
        long sum = result.getLong(2);
        long max = result.getLong(3);
        long negatives = result.getLong(4);
        // the table holds the positive ids 1..k, and maybe one negative row not yet deleted
        long positives = count - negatives;
        assertThat(positives).as("rows 1..max, none missing").isEqualTo(max);
        if (negatives == 0) {
          assertThat(sum).as("ids 1..%d", max).isEqualTo(max * (max + 1) / 2);
          seen.add(count);
        }
      }
      queries++;
    }
    writer.join();
    assertThat(failure.get()).isNull();
    Table table = session.catalog().loadTable(TableIdentifier.of("shop", "counter"));
    java.util.Set<Long> committed = new java.util.TreeSet<>();
    committed.add(0L);
    for (Snapshot snapshot : table.snapshots()) {
      committed.add(Long.parseLong(snapshot.summary().get("total-records")));
    }
    assertThat(committed).as("every result was a committed snapshot's").containsAll(seen);
    assertThat(rows("SELECT count(*) FROM shop.counter")).containsExactly(String.valueOf(writes));
  }

  private List<String> rows(String sql, Object... parameters) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = session.query(sql, parameters)) {
      int width = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int c = 1; c <= width; c++) {
          values.add(String.valueOf(result.getObject(c)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  private List<String> columns(String sql) throws SQLException {
    try (ResultSet result = session.query(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      List<String> names = new ArrayList<>();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        names.add(meta.getColumnName(c));
      }
      return names;
    }
  }
}
