package io.icecap.cli;

import static java.util.Objects.requireNonNull;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapException;
import io.icecap.client.IcecapSession;
import io.icecap.txn.CommitToken;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The quickstart, through the SDK on the embedded defaults: an embedded Redis and a local
 * warehouse, a partitioned table created, written, updated and deleted through the transaction log,
 * queried, time-travelled, and read back by a plain Parquet reader.
 */
final class Demo {
  private final PrintStream out;
  private final boolean keep;

  Demo(PrintStream out, boolean keep) {
    this.out = requireNonNull(out, "out is null");
    this.keep = keep;
  }

  void run() throws IOException, SQLException {
    Path home = Files.createTempDirectory("icecap-demo-");
    IcecapConfig config = IcecapConfig.local(home);
    out.printf("Embedded Redis (append-only, fsync always) and warehouse in %s%n%n", home);
    try (IcecapSession session = Icecap.connect(config)) {
      tour(session);
    } finally {
      if (keep) {
        out.printf(
            "%nKept %s; explore it with: ./icecap sql --url=jdbc:icecap:local:%s%n", home, home);
      } else {
        deleteTree(home);
      }
    }
  }

  private void tour(IcecapSession session) throws SQLException {
    session.execute("CREATE SCHEMA shop");
    session.execute(
        "CREATE TABLE shop.orders (order_id BIGINT NOT NULL, ordered_at TIMESTAMP NOT NULL,"
            + " customer VARCHAR NOT NULL, amount DECIMAL(10, 2)) PARTITIONED BY (day(ordered_at))");
    out.println("Created table shop.orders, partitioned by day(ordered_at)");

    long inserted =
        session.execute(
            "INSERT INTO shop.orders VALUES"
                + " (1, TIMESTAMP '2026-11-18 09:00', 'ada', 12.50),"
                + " (2, TIMESTAMP '2026-11-18 10:30', 'bob', 30.00),"
                + " (3, TIMESTAMP '2026-11-19 11:15', 'cy', 7.25)");
    out.printf("INSERT: %s, applied and in a snapshot%n", rows(inserted));
    long first = session.table("shop.orders").currentSnapshot().snapshotId();

    int writes = 200;
    List<CommitToken> tokens = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      tokens.add(
          session.executeAsync(
              "INSERT INTO shop.orders VALUES (?, ?, ?, ?)",
              100L + i,
              LocalDateTime.of(2026, 11, 18 + i % 3, 12, 0).plusMinutes(i),
              "customer-" + i % 7,
              new BigDecimal(i % 50).add(new BigDecimal("0.99"))));
    }
    double ackMillis = (System.nanoTime() - started) / 1e6;
    tokens.forEach(session::await);
    out.printf(
        "%d single-row INSERTs acknowledged in %.0f ms (%.2f ms each), then applied together%n",
        writes, ackMillis, ackMillis / writes);

    out.printf(
        "UPDATE: %s%n",
        rows(
            session.execute(
                "UPDATE shop.orders SET amount = amount * 2 WHERE customer = ?", "ada")));
    out.printf(
        "DELETE: %s%n",
        rows(session.execute("DELETE FROM shop.orders WHERE customer = 'customer-3'")));
    try {
      session.execute("UPDATE shop.orders SET amount = random()");
    } catch (IcecapException e) {
      out.printf("Refused at submit, nothing appended: %s%n", e.getMessage());
    }

    out.println();
    out.println("Orders per day:");
    print(
        session.query(
            "SELECT CAST(ordered_at AS DATE) AS day, count(*) AS orders, sum(amount) AS amount"
                + " FROM shop.orders GROUP BY day ORDER BY day"));
    out.println(
        "Time travel to the first snapshot (FROM shop.orders AT (VERSION => " + first + ")):");
    print(
        session.query(
            "SELECT order_id, customer, amount FROM shop.orders AT (VERSION => "
                + first
                + ")"
                + " ORDER BY order_id"));

    Table table = session.table("shop.orders");
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String icecap;
    try (ResultSet rows = session.query("SELECT count(*), sum(amount) FROM shop.orders")) {
      rows.next();
      icecap = rows.getLong(1) + " rows, amount " + rows.getBigDecimal(2);
    }
    String parquet;
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*), sum(amount) FROM read_parquet(["
                    + files.stream()
                        .map(f -> "'" + f.replace("'", "''") + "'")
                        .collect(Collectors.joining(", "))
                    + "])")) {
      rows.next();
      parquet = rows.getLong(1) + " rows, amount " + rows.getBigDecimal(2);
    }
    out.printf("Icecap query: %s%n", icecap);
    out.printf(
        "Plain DuckDB read_parquet over the table's %d Parquet files: %s -> %s%n",
        files.size(), parquet, parquet.equals(icecap) ? "the same" : "DIFFERENT");
    if (!parquet.equals(icecap)) {
      throw new IllegalStateException("The Parquet files disagree with the query: " + parquet);
    }

    out.println();
    out.println("Snapshots (one per checkpoint, not one per write):");
    new Inspect(session, out).snapshots("shop.orders");
    Snapshot current = table.currentSnapshot();
    out.printf(
        "%s acknowledged transactions became %d snapshots%n",
        current.summary().get("icecap.sequence"), count(table.snapshots()));
  }

  private void print(ResultSet rows) throws SQLException {
    try (rows) {
      TextTable.of(rows, 20).print(out);
    }
    out.println();
  }

  private static String rows(long count) {
    return count + (count == 1 ? " row" : " rows");
  }

  private static long count(Iterable<?> items) {
    long count = 0;
    for (Object ignored : items) {
      count++;
    }
    return count;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
