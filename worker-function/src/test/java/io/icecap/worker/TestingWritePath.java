package io.icecap.worker;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The write path for tests: a catalog {@code test} with a namespace {@code db} on a fresh Redis,
 * its transaction log, and an orchestrator whose jobs run on an in-process worker, or nowhere when
 * the test runs its workers itself.
 */
final class TestingWritePath implements AutoCloseable {
  final Map<String, String> properties;
  final RedisCatalog catalog;
  final TransactionLog logs;
  final LocalInvoker invoker;
  final Dispatcher dispatcher;
  final Orchestrator orchestrator;

  private TestingWritePath(
      Map<String, String> properties,
      RedisCatalog catalog,
      TransactionLog logs,
      LocalInvoker invoker,
      Dispatcher dispatcher,
      Orchestrator orchestrator) {
    this.properties = properties;
    this.catalog = catalog;
    this.logs = logs;
    this.invoker = invoker;
    this.dispatcher = dispatcher;
    this.orchestrator = orchestrator;
  }

  /** Takes requests and runs nothing: the test runs its workers itself. */
  private static final class NoInvoker implements Invoker {
    @Override
    public void invoke(ApplyRequest request) {}

    @Override
    public void close() {}
  }

  /**
   * Starts the write path on an emptied Redis.
   *
   * @param workers whether an in-process worker applies what is submitted
   */
  static TestingWritePath start(
      RedisServerExtension redis,
      Path warehouse,
      Path work,
      boolean workers,
      ValidationLimits limits) {
    redis.flushAll();
    Map<String, String> properties =
        Map.of(
            RedisCatalogProperties.URI,
            redis.server().uri(),
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString());
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize("test", properties);
    catalog.createNamespace(Namespace.of("db"));
    TransactionLog logs = TransactionLog.open("test", properties, "test");
    LocalInvoker invoker =
        workers
            ? new LocalInvoker(
                new Worker(
                    catalog, logs, WorkerSettings.defaults("w1", work.resolve("w")), JobHooks.NONE),
                1)
            : null;
    Dispatcher dispatcher =
        new Dispatcher(workers ? invoker : new NoInvoker(), Duration.ofMillis(workers ? 2 : 0));
    Orchestrator orchestrator =
        new Orchestrator(
            catalog, logs, new TransactionValidator(work.resolve("staging"), limits), dispatcher);
    return new TestingWritePath(properties, catalog, logs, invoker, dispatcher, orchestrator);
  }

  /** Creates a table partitioned by {@code spec}. */
  Table create(TableIdentifier table, Schema schema, PartitionSpec spec) {
    return catalog.buildTable(table, schema).withPartitionSpec(spec).create();
  }

  /** A worker of its own, with its own directory under {@code work}. */
  Worker worker(String id, Path work, JobHooks hooks) {
    return new Worker(catalog, logs, WorkerSettings.defaults(id, work.resolve(id)), hooks);
  }

  /**
   * The table's rows as Iceberg's own reader returns them, each as its columns' values joined by
   * commas, sorted.
   */
  static List<String> rows(Table table, String... columns) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        StringBuilder row = new StringBuilder();
        for (String column : columns) {
          row.append(row.length() == 0 ? "" : ",").append(record.getField(column));
        }
        rows.add(row.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }

  @Override
  public void close() {
    orchestrator.close();
    dispatcher.close();
    if (invoker != null) {
      invoker.close();
    }
    logs.close();
    catalog.close();
  }
}
