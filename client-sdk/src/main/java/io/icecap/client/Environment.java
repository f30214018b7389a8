package io.icecap.client;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogException;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.catalog.RedisPermissionException;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.InvokerProvider;
import io.icecap.txn.dispatch.LambdaInvoker;
import io.icecap.txn.dispatch.QueueInvoker;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.EmbeddedWorker;
import io.icecap.worker.JobHooks;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import io.icecap.worker.maintenance.TableMaintenance;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import redis.embedded.RedisServer;

/**
 * What the sessions of one configuration share in a process: the catalog, the log, the
 * orchestrator, the apply workers, the read cache and, when embedded, the Redis server. Counted by
 * reference; the last session to close closes it.
 */
final class Environment {
  private static final Map<IcecapConfig, Environment> OPEN = new HashMap<>();

  /** Table files fetched at once for a query. */
  private static final int FETCH_THREADS = 4;

  final IcecapConfig config;
  final RedisCatalog catalog;
  final TransactionLog logs;
  final Dispatcher dispatcher;
  final Orchestrator orchestrator;
  final ReadCache cache;
  final ExecutorService fetchers;

  /** The tables' metadata and planned files, for queries. */
  final TableCache tables;

  /** Cancels queries that run past their session's query timeout. */
  final ScheduledExecutorService timers;

  private final Invoker invoker;
  private final Sweeper sweeper;
  private final String owner;
  private final AtomicInteger maintenanceRuns = new AtomicInteger();
  private Worker maintenanceWorker;
  private Worker compactingWorker;
  private final RedisServer redis;
  private final FileChannel lock;
  private int references;

  private Environment(IcecapConfig config) {
    this.config = config;
    Path home = createDirectories(config.home());
    RedisServer started = null;
    String uri = config.redisUri();
    this.lock = config.embedded() ? lock(home) : null;
    if (config.embedded()) {
      int port = freePort();
      Path data = createDirectories(home.resolve("redis"));
      try {
        started =
            RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + data)
                .setting("appendonly yes")
                .setting("appendfsync always")
                .setting("save \"\"")
                .build();
        started.start();
      } catch (IOException | RuntimeException e) {
        closeAll(lock);
        throw new IcecapException(
            ErrorCode.CONNECTION_FAILED,
            e,
            "Cannot start the embedded Redis in %s: %s",
            data,
            e.getMessage());
      }
      uri = "redis://127.0.0.1:" + port;
    }
    this.redis = started;
    Map<String, String> properties = new LinkedHashMap<>(config.catalogProperties());
    // manifests are immutable: keep their bytes in memory, so planning reads each once
    properties.putIfAbsent(CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");
    properties.put(RedisCatalogProperties.URI, uri);
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouse());
    RedisCatalog opened = new RedisCatalog();
    TransactionLog openedLogs = null;
    Invoker openedInvoker = null;
    String owner = "client-" + ManagementFactory.getRuntimeMXBean().getName().replace('|', '-');
    this.owner = owner;
    try {
      opened.initialize(config.catalogName(), properties);
      openedLogs = TransactionLog.open(config.catalogName(), properties, "client");
      openedInvoker = lambdaInvoker(config);
      if (openedInvoker == null) {
        openedInvoker =
            config.workers() == 0
                ? new QueueInvoker(openedLogs)
                : InvokerProvider.find()
                    .orElseThrow(
                        () ->
                            new IcecapException(
                                ErrorCode.INVALID_CONFIGURATION,
                                "No in-process worker is on the class path: add"
                                    + " icecap-worker-function, or set workers to 0 and run"
                                    + " icecap worker processes"))
                    .create(
                        opened,
                        openedLogs,
                        owner,
                        createDirectories(home.resolve("worker")),
                        config.workers());
      }
    } catch (RedisPermissionException e) {
      closeAll(openedInvoker, openedLogs, opened, started, lock);
      throw new IcecapException(ErrorCode.PERMISSION_DENIED, e, "%s", e.getMessage());
    } catch (RedisCatalogException e) {
      closeAll(openedInvoker, openedLogs, opened, started, lock);
      throw new IcecapException(ErrorCode.CONNECTION_FAILED, e, "%s", e.getMessage());
    } catch (IllegalArgumentException e) {
      closeAll(openedInvoker, openedLogs, opened, started, lock);
      throw new IcecapException(ErrorCode.INVALID_CONFIGURATION, e, "%s", e.getMessage());
    } catch (RuntimeException e) {
      closeAll(openedInvoker, openedLogs, opened, started, lock);
      throw e;
    }
    this.catalog = opened;
    this.logs = openedLogs;
    this.invoker = openedInvoker;
    this.dispatcher = new Dispatcher(invoker, Duration.ofMillis(2));
    this.sweeper =
        config.workers() == 0 && !(invoker instanceof LambdaInvoker)
            ? null
            : new Sweeper(logs, invoker, Duration.ofSeconds(2), Duration.ofSeconds(1));
    this.orchestrator =
        new Orchestrator(
            catalog,
            logs,
            new TransactionValidator(
                createDirectories(home.resolve("staging")), ValidationLimits.defaults()),
            dispatcher);
    this.cache = new ReadCache(home.resolve("cache"), config.cacheBytes());
    this.tables = new TableCache(catalog);
    AtomicInteger number = new AtomicInteger();
    this.fetchers =
        Executors.newFixedThreadPool(
            FETCH_THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-fetch-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-query-timer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The Lambda invoker the catalog properties ask for, or null. */
  private static Invoker lambdaInvoker(IcecapConfig config) {
    try {
      return LambdaInvoker.fromProperties(config.catalogProperties()).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new IcecapException(ErrorCode.INVALID_CONFIGURATION, e, "%s", e.getMessage());
    }
  }

  /**
   * What runs one maintenance run for a session, under an owner id of its own (two runs of the
   * sessions of this process must not share a table's maintenance lease). Its compaction jobs run
   * on the in-process worker's partition cache when the sessions apply their writes themselves,
   * else on a worker of their own in {@code home/maintenance}, made when first needed.
   */
  synchronized TableMaintenance maintenance() {
    if (compactingWorker == null) {
      if (invoker instanceof EmbeddedWorker embedded) {
        compactingWorker = embedded.worker();
      } else {
        maintenanceWorker =
            new Worker(
                catalog,
                logs,
                WorkerSettings.defaults(
                    owner, createDirectories(config.home().resolve("maintenance"))),
                JobHooks.NONE);
        compactingWorker = maintenanceWorker;
      }
    }
    return new TableMaintenance(
        catalog,
        logs,
        compactingWorker,
        owner + "-maintenance-" + maintenanceRuns.incrementAndGet());
  }

  /** The environment of a configuration, opened by the first session that needs it. */
  static synchronized Environment acquire(IcecapConfig config) {
    IcecapConfig shared = shared(config);
    Environment environment = OPEN.get(shared);
    if (environment == null) {
      environment = new Environment(shared);
      OPEN.put(shared, environment);
    }
    environment.references++;
    return environment;
  }

  /** A configuration without what each session sets for itself. */
  private static IcecapConfig shared(IcecapConfig config) {
    IcecapConfig defaults = IcecapConfig.local(config.home());
    return config
        .withConsistency(defaults.consistency())
        .withDefaultNamespace(null)
        .withWriteTimeout(defaults.writeTimeout())
        .withLocalFileAccess(false);
  }

  /**
   * The directories whose files queries read: the read cache, and a local warehouse, whose files
   * are read in place. A session's DuckDB may reach no other file unless the session allows local
   * file access.
   */
  List<Path> queryDirectories() {
    List<Path> directories = new ArrayList<>();
    directories.add(cache.directory());
    String warehouse = config.warehouse();
    if (!warehouse.contains("://")) {
      directories.add(Path.of(warehouse));
    } else if (warehouse.startsWith("file://")) {
      directories.add(Path.of(java.net.URI.create(warehouse)));
    }
    return directories;
  }

  /** Gives a session's reference back; the last one closes everything. */
  void release() {
    synchronized (Environment.class) {
      if (--references > 0) {
        return;
      }
      OPEN.remove(config);
    }
    fetchers.shutdownNow();
    timers.shutdownNow();
    Worker ownWorker;
    synchronized (this) {
      ownWorker = maintenanceWorker;
    }
    closeAll(sweeper, orchestrator, dispatcher, invoker, ownWorker, logs, catalog, redis, lock);
  }

  /**
   * Locks an embedded home for this process: two Redis servers on one append-only file would
   * corrupt it.
   */
  private static FileChannel lock(Path home) {
    Path file = home.resolve("icecap.lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (OverlappingFileLockException e) {
      // held by this process, under another configuration
    } catch (IOException e) {
      closeAll(channel);
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR, e, "Cannot lock %s: %s", file, e.getMessage());
    }
    closeAll(channel);
    throw new IcecapException(
        ErrorCode.CONNECTION_FAILED,
        "The local warehouse in %s is open in another process or configuration: close that one,"
            + " or connect to its Redis instead of embedding a second one",
        home);
  }

  private static void closeAll(Object... resources) {
    for (Object resource : resources) {
      try {
        if (resource instanceof RedisServer server) {
          server.stop();
        } else if (resource instanceof AutoCloseable closeable) {
          closeable.close();
        }
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot create directory %s: %s; check its permissions and free space",
          dir,
          e.getMessage());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IcecapException(
          ErrorCode.CONNECTION_FAILED, e, "Cannot find a free port for the embedded Redis");
    }
  }
}
