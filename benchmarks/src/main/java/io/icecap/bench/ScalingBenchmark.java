package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.FreshnessScenario.Target;
import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.Share;
import io.icecap.bench.ScalingResult.WorkerCount;
import io.icecap.bench.WriteLedger.Verification;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.QueueInvoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.WorkerProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The write workload of the {@code write} benchmark (single-row inserts and updates from concurrent
 * clients) spread over several partitioned tables, applied by 1, 2, 4, ... {@code icecap worker}
 * processes that take their requests from the catalog's queue in Redis. Each worker count gets a
 * fresh Redis (append-only, {@code appendfsync always}), warehouse and fleet, and the same phases:
 *
 * <ol>
 *   <li>the tables seeded, through the fleet;
 *   <li>a warm-up at the offered rate, unmeasured;
 *   <li>freshness: the offered rate for a while, each write's time from acknowledgement to
 *       visibility ({@link FreshnessScenario});
 *   <li>backlog: writes buffered, then applied by the fleet together: the throughput the workers
 *       sustain ({@link BacklogScenario});
 *   <li>every table read back with Iceberg's reader and compared with every acknowledged write.
 * </ol>
 *
 * <p>Each worker count is run {@code --repeat} times, each time all of the above with the same
 * seeded writes; its figures are the medians.
 */
final class ScalingBenchmark {
  static final String NAMESPACE = "bench";
  static final Duration DEBOUNCE = WriteBenchmark.DEBOUNCE;

  /**
   * How old a pending record gets before a worker's sweeper asks for it: longer than any phase, so
   * that the sweepers never start on the backlog before it is complete; every write of the other
   * phases is dispatched.
   */
  static final Duration SWEEP_STALE = Duration.ofMinutes(10);

  /** How long a worker process may take to exit after SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /** How many of its last lines of output the report shows of a worker process that exited. */
  private static final int EXITED_LINES = 50;

  private static final Duration SEED_WAIT = Duration.ofMinutes(5);
  private static final String CATALOG = "bench";

  private final ScalingOptions options;
  private final PrintStream progress;

  ScalingBenchmark(ScalingOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Runs every worker count in a fresh directory under the work directory, then removes it. */
  ScalingResult run() throws Exception {
    Files.createDirectories(options.work());
    Path dir = Files.createTempDirectory(options.work(), "icecap-bench-");
    try {
      Machine machine;
      try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
        machine = Machine.describe(duckdb);
      }
      List<WorkerCount> counts = new ArrayList<>();
      Map<String, String> redis = Map.of();
      for (int workers : options.workers()) {
        List<Run> runs = new ArrayList<>();
        for (int repetition = 1; repetition <= options.repeat(); repetition++) {
          Path runDir = WorkFiles.create(dir.resolve("workers-" + workers + "-" + repetition));
          try (EmbeddedRedis server =
              EmbeddedRedis.start(WorkFiles.create(runDir.resolve("redis")), true)) {
            redis = server.durableSettings();
            runs.add(run(workers, repetition, server.uri(), runDir));
          }
          WorkFiles.deleteTree(runDir);
        }
        counts.add(new WorkerCount(workers, runs));
      }
      return new ScalingResult(options, machine, redis, DEBOUNCE.toMillis(), counts);
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private Run run(int workers, int repetition, String redisUri, Path dir) throws Exception {
    progress.printf(
        "%d worker process%s, %d tables%s:%n",
        workers,
        workers == 1 ? "" : "es",
        options.tables(),
        options.repeat() == 1
            ? ""
            : String.format(", repetition %d of %d", repetition, options.repeat()));
    Map<String, String> properties =
        Map.of(
            RedisCatalogProperties.URI,
            redisUri,
            CatalogProperties.WAREHOUSE_LOCATION,
            WorkFiles.create(dir.resolve("warehouse")).toString());
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(CATALOG, properties);
    try (catalog;
        TransactionLog logs = TransactionLog.open(CATALOG, properties, "bench");
        QueueInvoker queue = new QueueInvoker(logs);
        GatedInvoker gate = new GatedInvoker(queue);
        Dispatcher dispatcher = new Dispatcher(gate, DEBOUNCE);
        Orchestrator orchestrator =
            new Orchestrator(
                catalog,
                logs,
                new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults()),
                dispatcher)) {
      catalog.createNamespace(Namespace.of(NAMESPACE));
      List<Target> targets = new ArrayList<>();
      List<WriteLedger> ledgers = new ArrayList<>();
      for (int t = 0; t < options.tables(); t++) {
        TableIdentifier identifier = TableIdentifier.of(NAMESPACE, "t" + t);
        catalog
            .buildTable(identifier, WriteWorkload.SCHEMA)
            .withPartitionSpec(WriteWorkload.SPEC)
            .withProperty(TableProperties.FORMAT_VERSION, "2")
            .create();
        WriteLedger ledger = new WriteLedger(options.tableRows());
        ledgers.add(ledger);
        targets.add(
            new Target(
                identifier,
                catalog.loadTable(identifier),
                logs.table(identifier),
                new WriteWorkload(identifier.name(), options.tableRows()),
                ledger::acknowledged));
      }
      List<Table> watched = targets.stream().map(Target::watched).toList();

      long fleetStart = System.nanoTime();
      try (TestingJvmFleet fleet =
          startWorkers(workers, workerOptions(properties), dir.resolve("workers"))) {
        long fleetStartNanos = System.nanoTime() - fleetStart;
        progress.printf(
            "  %d worker process%s ready in %.1f s%n",
            workers, workers == 1 ? "" : "es", fleetStartNanos / 1e9);
        long seedNanos = seed(orchestrator, targets);

        FreshnessScenario scenario = new FreshnessScenario(orchestrator, targets, progress);
        if (options.warmupSeconds() > 0) {
          progress.printf(
              "  warm-up: %,d writes/s for %d s, unmeasured...%n",
              options.rate(), options.warmupSeconds());
          Freshness warmUp =
              scenario.run(
                  options.rate(), options.warmupSeconds(), options.clients(), options.seed() + 1);
          if (warmUp.visible() < warmUp.writes()) {
            throw new IllegalStateException(
                String.format(
                    "Only %,d of the %,d warm-up writes became visible with %d workers",
                    warmUp.visible(), warmUp.writes(), workers));
          }
        }

        progress.printf(
            "  freshness: %,d writes/s for %d s from %d sender%s over %d tables...%n",
            options.rate(),
            options.seconds(),
            options.clients(),
            options.clients() == 1 ? "" : "s",
            options.tables());
        List<Set<Long>> before = WorkerShares.snapshotIds(watched);
        Freshness freshness =
            scenario.run(options.rate(), options.seconds(), options.clients(), options.seed());
        Map<String, Share> freshnessShares = WorkerShares.since(watched, before);
        if (freshness.freshness() != null) {
          progress.printf(
              "  freshness p50 %.0f p99 %.0f ms; applied %,.0f writes/s%n",
              freshness.freshness().p50Millis(),
              freshness.freshness().p99Millis(),
              freshness.appliedRate());
        }

        progress.printf("  backlog: %,d writes...%n", options.backlog());
        Backlog backlog =
            new BacklogScenario(orchestrator, targets, gate, queue, progress)
                .run(options.backlog(), options.clients(), options.seed() + 2);

        progress.printf("  reading every table back with Iceberg's reader...%n");
        Verification verification = ledgers.get(0).verify(watched.get(0));
        for (int t = 1; t < targets.size(); t++) {
          verification = verification.plus(ledgers.get(t).verify(watched.get(t)));
        }
        progress.printf("  %s%n", verification.describe());
        return new Run(
            workers,
            fleetStartNanos,
            seedNanos,
            freshness,
            freshnessShares,
            backlog,
            verification,
            fleet.exited());
      }
    }
  }

  /**
   * Starts {@code icecap worker} processes ({@link WorkerProcess}) on this benchmark's own class
   * path, ids {@code worker-0}, {@code worker-1}, ..., each with its work directory under {@code
   * workRoot}, and waits until each is ready. Closing the fleet stops them: SIGTERM, then SIGKILL
   * after {@link #STOP_GRACE}.
   */
  private static TestingJvmFleet startWorkers(
      int count, Map<String, String> options, Path workRoot) {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> "worker-" + i).toList();
    return TestingJvmFleet.builder(WorkerProcess.class.getName())
        .classPath(TestingJvmFleet.classPathOf(WorkerProcess.class))
        .readyLine(WorkerProcess::readyLine)
        .stopGrace(STOP_GRACE)
        .keptLines(EXITED_LINES)
        .arguments(id -> WorkerProcess.arguments(id, workRoot.resolve(id), options))
        .start(ids);
  }

  /** The options every worker process gets: the catalog, and one request at a time per thread. */
  private Map<String, String> workerOptions(Map<String, String> properties) {
    Map<String, String> worker = new LinkedHashMap<>();
    worker.put("catalog", CATALOG);
    worker.put("uri", properties.get(RedisCatalogProperties.URI));
    worker.put("warehouse", properties.get(CatalogProperties.WAREHOUSE_LOCATION));
    worker.put("threads", Integer.toString(options.workerThreads()));
    worker.put("stale-ms", Long.toString(SWEEP_STALE.toMillis()));
    return worker;
  }

  /** Seeds every table through the fleet; returns how long it took. */
  private long seed(Orchestrator orchestrator, List<Target> targets) throws TimeoutException {
    progress.printf(
        "  seeding %d tables with %,d rows each...%n", targets.size(), options.tableRows());
    long start = System.nanoTime();
    List<CommitToken> tokens = new ArrayList<>();
    for (Target target : targets) {
      tokens.add(orchestrator.submit(target.identifier(), List.of(target.workload().seed())));
    }
    for (CommitToken token : tokens) {
      TransactionResult result = orchestrator.await(token, SEED_WAIT);
      if (!result.committed() || result.totalRows() != options.tableRows()) {
        throw new IllegalStateException("Cannot seed " + token.table() + ": " + result);
      }
    }
    long nanos = System.nanoTime() - start;
    progress.printf("  seeded in %.2f s%n", nanos / 1e9);
    return nanos;
  }
}
