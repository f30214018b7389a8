package io.icecap.cli;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalog;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.JobHooks;
import io.icecap.worker.LocalInvoker;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The demo's write path: transactions submitted to the orchestrator, acknowledged once they are in
 * the Redis log, applied by an in-process worker and published as few Iceberg snapshots.
 */
final class WritePathTour {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final PrintStream out;
  private final RedisCatalog catalog;
  private final Map<String, String> properties;
  private final Path work;

  WritePathTour(PrintStream out, RedisCatalog catalog, Map<String, String> properties, Path work) {
    this.out = requireNonNull(out, "out is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.properties = requireNonNull(properties, "properties is null");
    this.work = requireNonNull(work, "work is null");
  }

  void run(TableIdentifier orders) throws TimeoutException {
    Table table = catalog.loadTable(orders);
    int snapshotsBefore = count(table.snapshots());
    try (TransactionLog logs = TransactionLog.open(catalog.name(), properties, "demo");
        LocalInvoker invoker =
            new LocalInvoker(
                new Worker(
                    catalog,
                    logs,
                    WorkerSettings.defaults("demo-worker", work.resolve("worker")),
                    JobHooks.NONE),
                1);
        Dispatcher dispatcher = new Dispatcher(invoker, Duration.ofMillis(5));
        Orchestrator orchestrator =
            new Orchestrator(
                catalog,
                logs,
                new TransactionValidator(work.resolve("staging"), ValidationLimits.defaults()),
                dispatcher)) {
      out.printf("%nWrites through the transaction log (acknowledged once in Redis):%n");
      List<CommitToken> tokens = new ArrayList<>();
      long[] nanos = new long[200];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        tokens.add(
            orchestrator.submit(
                orders,
                List.of(
                    SqlStatement.of(
                        "INSERT INTO orders VALUES (?, ?, ?, ?)",
                        1000L + i,
                        LocalDateTime.of(2026, 11, 20, 8, 0).plusMinutes(i),
                        "c" + (i % 3),
                        new BigDecimal("5.00")))));
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      out.printf(
          "  200 single-row INSERTs acknowledged: p50 %.2f ms, p99 %.2f ms (this machine, one"
              + " client)%n",
          nanos[100] / 1e6, nanos[197] / 1e6);
      for (CommitToken token : tokens) {
        orchestrator.await(token, WAIT);
      }
      show(
          orchestrator,
          orders,
          "UPDATE orders SET amount = amount * 2 WHERE customer = ? AND order_id >= ?",
          "c1",
          1000L);
      show(orchestrator, orders, "DELETE FROM orders WHERE order_id BETWEEN 1000 AND 1009");
      show(
          orchestrator,
          orders,
          "UPDATE orders SET amount = CAST(customer AS DECIMAL(10, 2)) WHERE order_id >= 1000");
      try {
        orchestrator.submit(
            orders, List.of(SqlStatement.of("UPDATE orders SET amount = random() * 100")));
      } catch (TransactionRejectedException e) {
        out.printf("  refused at submit: %s%n", e.getMessage());
      }
      table.refresh();
      out.printf(
          "  %d writes became %d new snapshots; the latest applied the log up to sequence %s%n",
          tokens.size() + 3,
          count(table.snapshots()) - snapshotsBefore,
          table.currentSnapshot().summary().get("icecap.sequence"));
    }
  }

  private void show(Orchestrator orchestrator, TableIdentifier orders, String sql, Object... args)
      throws TimeoutException {
    TransactionResult result =
        orchestrator.execute(orders, List.of(SqlStatement.of(sql, args)), WAIT);
    out.printf(
        "  %s%n    -> %s%n",
        sql,
        result.committed()
            ? result.totalRows() + " rows"
            : "aborted in every partition: " + result.error());
  }

  private static int count(Iterable<?> items) {
    int count = 0;
    for (Object item : items) {
      count++;
    }
    return count;
  }
}
