package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Concurrent;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.bench.WriteResult.Single;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Icecap's write path against committing each write to Iceberg directly, in one run on one Redis
 * catalog (with durable acknowledgements: AOF, {@code appendfsync always}) and one local warehouse:
 *
 * <ul>
 *   <li>acknowledgement latency of single-row INSERTs and UPDATEs from one client, and the
 *       acknowledged writes per second of concurrent clients;
 *   <li>freshness: acknowledgement to visibility in a snapshot, at each of a list of fixed offered
 *       rates ({@link FreshnessScenario});
 *   <li>the Iceberg Java API baseline: one commit per single-row write ({@link IcebergBaseline}).
 * </ul>
 *
 * <p>One in-process worker applies the writes table while its clients write, as in production.
 */
final class WriteBenchmark {
  static final TableIdentifier WRITES = TableIdentifier.of("bench", "writes");
  static final TableIdentifier BASELINE = TableIdentifier.of("bench", "baseline");
  static final Duration DEBOUNCE = Duration.ofMillis(1);
  private static final Duration APPLY_WAIT = Duration.ofMinutes(5);
  private static final String CATALOG = "bench";

  private final WriteOptions options;
  private final PrintStream progress;

  WriteBenchmark(WriteOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Runs every scenario in a fresh directory under the work directory, then removes it. */
  WriteResult run() throws Exception {
    Files.createDirectories(options.work());
    Path dir = Files.createTempDirectory(options.work(), "icecap-bench-");
    try {
      return run(dir);
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private WriteResult run(Path dir) throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")), true)) {
      Map<String, String> settings = redis.durableSettings();
      Map<String, String> properties =
          Map.of(
              RedisCatalogProperties.URI,
              redis.uri(),
              CatalogProperties.WAREHOUSE_LOCATION,
              WorkFiles.create(dir.resolve("warehouse")).toString());
      try (RedisCatalog catalog = catalog(properties);
          TransactionLog logs = TransactionLog.open(CATALOG, properties, "bench");
          Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
        Machine machine = Machine.describe(duckdb);
        catalog.createNamespace(Namespace.of(WRITES.namespace().levels()));
        for (TableIdentifier identifier : List.of(WRITES, BASELINE)) {
          catalog
              .buildTable(identifier, WriteWorkload.SCHEMA)
              .withPartitionSpec(WriteWorkload.SPEC)
              .withProperty(TableProperties.FORMAT_VERSION, "2")
              .create();
        }
        Worker worker =
            new Worker(
                catalog,
                logs,
                WorkerSettings.defaults("bench-worker", dir.resolve("worker")),
                JobHooks.NONE);
        Single single;
        Concurrent concurrent;
        List<Freshness> freshness = new ArrayList<>();
        try (LocalInvoker invoker = new LocalInvoker(worker, 1);
            Dispatcher dispatcher = new Dispatcher(invoker, DEBOUNCE);
            Orchestrator orchestrator =
                new Orchestrator(
                    catalog,
                    logs,
                    new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults()),
                    dispatcher)) {
          WriteWorkload workload = new WriteWorkload(WRITES.name(), options.tableRows());
          seed(orchestrator, workload);
          long[] singleSequences = new long[2 * options.writes()];
          Latencies[] acks = singleClient(orchestrator, workload, singleSequences);
          long[] concurrentSequences = new long[2 * options.writes()];
          ClientRun run = concurrentClients(orchestrator, workload, concurrentSequences);
          awaitApplied(orchestrator, concurrentSequences);
          single =
              new Single(acks[0], acks[1], ResultTally.of(logs.table(WRITES), singleSequences, 1));
          concurrent =
              new Concurrent(
                  options.clients(),
                  concurrentSequences.length,
                  run.nanos(),
                  run.latencies(),
                  ResultTally.of(logs.table(WRITES), concurrentSequences, 1));

          FreshnessScenario scenario =
              new FreshnessScenario(
                  orchestrator,
                  List.of(
                      new FreshnessScenario.Target(
                          WRITES,
                          catalog.loadTable(WRITES),
                          logs.table(WRITES),
                          workload,
                          statement -> {})),
                  progress);
          for (int rate : options.rates()) {
            progress.printf(
                "Freshness: %,d writes/s for %d s from %d sender%s...%n",
                rate, options.seconds(), options.clients(), options.clients() == 1 ? "" : "s");
            freshness.add(scenario.run(rate, options.seconds(), options.clients(), options.seed()));
          }
        }

        progress.printf(
            "Baseline: %,d + %,d warm-up Iceberg commits of each kind...%n",
            options.baselineCommits(), options.baselineWarmups());
        Baseline baseline =
            new IcebergBaseline(catalog.loadTable(BASELINE), progress)
                .run(options.baselineWarmups(), options.baselineCommits(), options.seed());
        return new WriteResult(
            options,
            machine,
            settings,
            DEBOUNCE.toMillis(),
            single,
            concurrent,
            freshness,
            baseline);
      }
    }
  }

  private static RedisCatalog catalog(Map<String, String> properties) {
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(CATALOG, properties);
    return catalog;
  }

  private void seed(Orchestrator orchestrator, WriteWorkload workload) throws TimeoutException {
    progress.printf("Seeding %s with %,d rows...%n", WRITES, options.tableRows());
    long start = System.nanoTime();
    TransactionResult result = orchestrator.execute(WRITES, List.of(workload.seed()), APPLY_WAIT);
    if (!result.committed() || result.totalRows() != options.tableRows()) {
      throw new IllegalStateException("Cannot seed " + WRITES + ": " + result);
    }
    progress.printf("  seeded in %.2f s%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Warm-up writes, then {@code writes} inserts and as many updates, alternating, from this thread.
   *
   * @param sequences receives the measured writes' sequence numbers
   * @return the inserts' and the updates' acknowledgement latencies
   */
  private Latencies[] singleClient(
      Orchestrator orchestrator, WriteWorkload workload, long[] sequences) {
    int writes = options.writes();
    progress.printf(
        "Single client: %,d + %,d warm-up single-row writes of each kind...%n",
        writes, options.warmups());
    SplittableRandom random = new SplittableRandom(options.seed());
    long[] inserts = new long[writes];
    long[] updates = new long[writes];
    for (int i = -options.warmups(); i < writes; i++) {
      SqlStatement insert = workload.insert(random);
      long start = System.nanoTime();
      CommitToken inserted = orchestrator.submit(WRITES, List.of(insert));
      long middle = System.nanoTime();
      SqlStatement update = workload.update(random, 1 + random.nextInt(9));
      long updateStart = System.nanoTime();
      CommitToken updated = orchestrator.submit(WRITES, List.of(update));
      long end = System.nanoTime();
      if (i >= 0) {
        inserts[i] = middle - start;
        updates[i] = end - updateStart;
        sequences[2 * i] = inserted.sequence();
        sequences[2 * i + 1] = updated.sequence();
      }
    }
    Latencies insertLatencies = Latencies.of(inserts);
    Latencies updateLatencies = Latencies.of(updates);
    progress.printf(
        "  ack p50 %.3f ms (INSERT), %.3f ms (UPDATE)%n",
        insertLatencies.p50Millis(), updateLatencies.p50Millis());
    return new Latencies[] {insertLatencies, updateLatencies};
  }

  /** The wall time of the concurrent clients and each write's acknowledgement latency. */
  private record ClientRun(long nanos, Latencies latencies) {}

  /** {@code 2 × writes} writes, inserts and updates alternating, shared by the clients. */
  private ClientRun concurrentClients(
      Orchestrator orchestrator, WriteWorkload workload, long[] sequences)
      throws InterruptedException, ExecutionException {
    int clients = options.clients();
    int total = sequences.length;
    progress.printf("Concurrent clients: %,d writes from %d clients...%n", total, clients);
    long[] latencies = new long[total];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        SplittableRandom random = new SplittableRandom(options.seed() * 31 + 100 + client);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = client; i < total; i += clients) {
                    SqlStatement statement = workload.mixed(i, random);
                    long begin = System.nanoTime();
                    sequences[i] = orchestrator.submit(WRITES, List.of(statement)).sequence();
                    latencies[i] = System.nanoTime() - begin;
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long nanos = System.nanoTime() - start;
    progress.printf("  %,.0f acknowledged writes/s%n", total / (nanos / 1e9));
    return new ClientRun(nanos, Latencies.of(latencies));
  }

  /** Waits until the worker has applied every write up to the highest of {@code sequences}. */
  private void awaitApplied(Orchestrator orchestrator, long[] sequences) throws TimeoutException {
    long highest = 0;
    for (long sequence : sequences) {
      highest = Math.max(highest, sequence);
    }
    progress.printf("  waiting for the worker to apply up to sequence %d...%n", highest);
    orchestrator.await(new CommitToken(WRITES, highest, "benchmark"), APPLY_WAIT);
  }

  /** How many snapshots the table's metadata lists. */
  static int snapshotCount(Table table) {
    int count = 0;
    for (Snapshot ignored : table.snapshots()) {
      count++;
    }
    return count;
  }
}
