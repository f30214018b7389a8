package io.icecap.worker;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.QueueInvoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
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
 * its transaction log, and an orchestrator whose jobs run on an in-process worker, go to the queue
 * worker processes take from, or go nowhere when the test runs its workers itself.
 */
final class TestingWritePath implements AutoCloseable {
  /** The catalog's name. */
  static final String CATALOG = "test";

  final Map<String, String> properties;
  final RedisCatalog catalog;
  final TransactionLog logs;
  final Invoker invoker;
  final Dispatcher dispatcher;
  final Orchestrator orchestrator;

  private TestingWritePath(
      Map<String, String> properties,
      RedisCatalog catalog,
      TransactionLog logs,
      Invoker invoker,
      Dispatcher dispatcher,
      Orchestrator orchestrator) {
    this.properties = properties;
    this.catalog = catalog;
    this.logs = logs;
    this.invoker = invoker;
    this.dispatcher = dispatcher;
    this.orchestrator = orchestrator;
  }

  /** Where the orchestrator's apply requests go. */
  enum Jobs {
    /** To a worker on a thread of the test's process. */
    IN_PROCESS,
    /** Nowhere: the test runs its workers itself. */
    NOWHERE,
    /** To the catalog's queue in Redis, for worker processes ({@link WorkerFleet}). */
    QUEUE
  }

  /** Takes requests and runs nothing: the test runs its workers itself. */
  static final Invoker NO_INVOKER =
      new Invoker() {
        @Override
        public void invoke(ApplyRequest request) {}

        @Override
        public void close() {}
      };

  /**
   * Starts the write path on an emptied Redis, with a warehouse on the local file system.
   *
   * @param workers whether an in-process worker applies what is submitted
   */
  static TestingWritePath start(
      RedisServerExtension redis,
      Path warehouse,
      Path work,
      boolean workers,
      ValidationLimits limits) {
    return start(
        redis,
        warehouse.toString(),
        Map.of(),
        work,
        workers ? Jobs.IN_PROCESS : Jobs.NOWHERE,
        limits);
  }

  /**
   * Starts the write path on an emptied Redis.
   *
   * @param warehouse the warehouse location, a directory or an {@code s3://} URI
   * @param catalogProperties further catalog properties (the S3 endpoint and credentials)
   * @param jobs where apply requests go
   */
  static TestingWritePath start(
      RedisServerExtension redis,
      String warehouse,
      Map<String, String> catalogProperties,
      Path work,
      Jobs jobs,
      ValidationLimits limits) {
    return start(
        redis,
        warehouse,
        catalogProperties,
        work,
        limits,
        (catalog, logs) ->
            switch (jobs) {
              case IN_PROCESS ->
                  new LocalInvoker(
                      new Worker(
                          catalog,
                          logs,
                          WorkerSettings.defaults("w1", work.resolve("w")),
                          JobHooks.NONE),
                      1);
              case NOWHERE -> NO_INVOKER;
              case QUEUE -> new QueueInvoker(logs);
            });
  }

  /**
   * Starts the write path on an emptied Redis, its apply requests going to the invoker {@code
   * invokers} makes from the catalog and its log.
   */
  static TestingWritePath start(
      RedisServerExtension redis,
      String warehouse,
      Map<String, String> catalogProperties,
      Path work,
      ValidationLimits limits,
      BiFunction<RedisCatalog, TransactionLog, Invoker> invokers) {
    redis.flushAll();
    Map<String, String> properties = new LinkedHashMap<>(catalogProperties);
    properties.put(RedisCatalogProperties.URI, redis.server().uri());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(CATALOG, properties);
    catalog.createNamespace(Namespace.of("db"));
    TransactionLog logs = TransactionLog.open(CATALOG, properties, "test");
    Invoker invoker = invokers.apply(catalog, logs);
    Dispatcher dispatcher =
        new Dispatcher(invoker, Duration.ofMillis(invoker == NO_INVOKER ? 0 : 2));
    Orchestrator orchestrator =
        new Orchestrator(
            catalog, logs, new TransactionValidator(work.resolve("staging"), limits), dispatcher);
    return new TestingWritePath(
        Map.copyOf(properties), catalog, logs, invoker, dispatcher, orchestrator);
  }

  /**
   * The options of {@code icecap worker} processes ({@link WorkerProcess}) that work on this
   * catalog: its name, Redis, warehouse and its other properties.
   */
  Map<String, String> workerOptions() {
    return workerOptions(properties);
  }

  /**
   * The options of {@code icecap worker} processes that work on the catalog {@value #CATALOG} with
   * these properties.
   */
  static Map<String, String> workerOptions(Map<String, String> properties) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("catalog", CATALOG);
    options.put("uri", properties.get(RedisCatalogProperties.URI));
    options.put("warehouse", properties.get(CatalogProperties.WAREHOUSE_LOCATION));
    StringBuilder others = new StringBuilder();
    new TreeMap<>(properties)
        .forEach(
            (key, value) -> {
              if (!key.equals(RedisCatalogProperties.URI)
                  && !key.equals(CatalogProperties.WAREHOUSE_LOCATION)) {
                others.append(key).append('=').append(value).append('\n');
              }
            });
    if (others.length() > 0) {
      options.put("property", others.toString());
    }
    return options;
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
    invoker.close();
    logs.close();
    catalog.close();
  }
}
