package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisOutage;
import io.icecap.catalog.RedisSession;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.maintenance.MaintenanceLoop;
import io.icecap.worker.maintenance.MaintenanceScheduler;
import io.icecap.worker.maintenance.TableMaintenance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: takes apply requests from the catalog's queue in Redis, runs them on a pool of
 * threads, and sweeps the active tables for work nobody asked for (a crashed worker's, once its
 * leases expire). Any number of worker processes on any machines may share one Redis and one
 * warehouse.
 *
 * <p>It outlives Redis: when Redis is stopped, restarted, loading its data set or unreachable (and
 * when it is so at start), the process keeps retrying, with pauses doubling from 100 ms to 5 s,
 * logs one line when the outage starts and one when Redis answers again, and goes on. SIGTERM (or
 * SIGINT) stops it: it takes no more requests, lets the jobs under way end their round
 * (interrupting those still running after {@code stop-grace-ms}), releases the partition leases its
 * jobs hold, and exits with status 0.
 *
 * <p>Options, as {@code --name=value}: {@code uri} (Redis, required), {@code warehouse} (required),
 * {@code catalog} (default {@code icecap}), {@code work-dir}, {@code id}, {@code threads} (2:
 * tables applied at once), {@code partition-threads} (the processors: partitions of a job applied
 * at once), {@code open-replicas} (16), {@code lease-ms} (30000), {@code checkpoint-records}
 * (10000), {@code checkpoint-delay-ms} (0), {@code stale-ms} (2000: how old a pending record gets
 * before a sweep dispatches it), {@code sweep-ms} (1000), {@code stop-grace-ms} (10000: how long
 * jobs may take to end on SIGTERM), {@code maintenance-ms} (10000: the pause between checks for due
 * table maintenance, which the process runs on a thread of its own; 0 runs none), {@code
 * property=key=value} (any other catalog property), and for fault-injection tests {@code
 * pause-at=STEP}: the process prints {@code paused at STEP} and stops there, to be killed.
 */
public final class WorkerProcess {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

  /** Pauses between attempts to reach Redis while it is out. */
  static final Backoff RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  /** How long the queue is watched per request for it. */
  private static final Duration TAKE_WAIT = Duration.ofSeconds(1);

  /** How long a stop may take beyond the grace of the jobs before the process gives up on it. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

  private final WorkerOptions options;
  private final RedisOutage outage;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile int exitStatus = 1;

  private WorkerProcess(WorkerOptions options) {
    this.options = requireNonNull(options, "options is null");
    this.outage = new RedisOutage(RedisSession.server(options.properties()));
  }

  /** The line a worker process prints once it takes requests. */
  public static String readyLine(String id) {
    return "icecap worker " + id + " ready";
  }

  /** The line a worker process prints when it has stopped on request, just before it exits. */
  public static String stoppedLine(String id) {
    return "icecap worker " + id + " stopped";
  }

  /**
   * The arguments that start a worker process with this id and work directory and the other
   * options: what {@link #main} reads back.
   *
   * @param options {@code name -> value} for {@code --name=value}; an option {@code property} holds
   *     catalog properties as {@code key=value} lines
   * @throws IllegalArgumentException when the options hold {@code id} or {@code work-dir}, which
   *     are given apart
   */
  public static List<String> arguments(String id, Path workDir, Map<String, String> options) {
    for (String own : List.of("id", "work-dir")) {
      if (options.containsKey(own)) {
        throw new IllegalArgumentException(
            "Option --" + own + " is each worker's own: it is given apart; leave it out");
      }
    }
    List<String> arguments = new ArrayList<>();
    arguments.add("--id=" + id);
    arguments.add("--work-dir=" + workDir);
    options.forEach(
        (name, value) -> {
          if (name.equals("property")) {
            value.lines().forEach(property -> arguments.add("--property=" + property));
          } else {
            arguments.add("--" + name + "=" + value);
          }
        });
    return List.copyOf(arguments);
  }

  /**
   * Runs a worker process until it is stopped (SIGTERM, SIGINT: exit status 0) or killed. It exits
   * with status 1 when its options are malformed or Redis refuses it (credentials, permissions,
   * cluster mode), never because Redis is out.
   */
  public static void main(String[] args) {
    WorkerProcess process = new WorkerProcess(WorkerOptions.parse(args));
    Runtime.getRuntime().addShutdownHook(new Thread(process::stopOnSignal, "icecap-worker-stop"));
    try {
      process.run();
      process.exitStatus = 0;
    } finally {
      process.ended.countDown();
    }
  }

  /**
   * Runs in the JVM's shutdown: asks the process to stop, waits until it has, and ends the JVM with
   * the process's status. The JVM would otherwise exit with 128 + the signal's number; a stop on
   * request that went well is a normal end. A process that ended on its own (a failure) keeps its
   * status.
   */
  private void stopOnSignal() {
    if (ended.getCount() == 0) {
      return;
    }
    stopRequested.countDown();
    boolean done = false;
    try {
      done = ended.await(options.stopGrace().plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? exitStatus : 1);
  }

  private void run() {
    Running running = connect();
    if (running == null) {
      LOG.info("Worker {} stopped before Redis at {} answered", options.id(), outage.server());
      return;
    }
    System.out.println(readyLine(options.id()));
    System.out.flush();
    try {
      takeRequests(running);
    } finally {
      LOG.info(
          "Worker {} stopping: it takes no more requests, and its jobs get {} ms to end",
          options.id(),
          options.stopGrace().toMillis());
      running.close(options.stopGrace());
    }
    System.out.println(stoppedLine(options.id()));
    System.out.flush();
  }

  /**
   * Opens the catalog, the logs and the queue, retrying while Redis is out. The attempts go through
   * one session that lives until the others are open: a client made and shut down per attempt would
   * leave Lettuce's connection timers to fire on its closed event loop.
   *
   * @return what runs, or null when the process was asked to stop first
   */
  private Running connect() {
    try (RedisSession probe =
        RedisSession.create(
            options.catalogName(), options.properties(), "icecap-worker-probe", List.of())) {
      for (int failures = 1; ; failures++) {
        try {
          probe.check();
          Running running = Running.open(options, outage);
          outage.answered();
          return running;
        } catch (RuntimeException e) {
          if (!outage.failed(e)) {
            throw e;
          }
        }
        if (pause(RECONNECT.pause(failures))) {
          return null;
        }
      }
    }
  }

  private void takeRequests(Running running) {
    int failures = 0;
    while (stopRequested.getCount() > 0) {
      Map.Entry<TableIdentifier, Long> request;
      try {
        request = running.queue().takeQueued(TAKE_WAIT);
      } catch (RuntimeException e) {
        if (stopRequested.getCount() == 0) {
          return;
        }
        if (!outage.failed(e)) {
          LOG.warn("Cannot take an apply request from the queue: {}", JobFailures.describe(e));
        }
        pause(RECONNECT.pause(++failures));
        continue;
      }
      failures = 0;
      outage.answered();
      if (request != null) {
        running.invoker().invoke(new ApplyRequest(request.getKey(), request.getValue()));
      }
    }
  }

  /**
   * Waits, unless the process is asked to stop first.
   *
   * @return whether the process is asked to stop
   */
  private boolean pause(Duration pause) {
    try {
      return stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** What a connected worker process runs. */
  private record Running(
      RedisCatalog catalog,
      TransactionLog logs,
      TransactionLog queue,
      LocalInvoker invoker,
      Sweeper sweeper,
      MaintenanceLoop maintenance) {

    static Running open(WorkerOptions options, RedisOutage outage) {
      List<AutoCloseable> opened = new ArrayList<>();
      try {
        RedisCatalog catalog = new RedisCatalog();
        catalog.initialize(options.catalogName(), options.properties());
        opened.add(catalog);
        TransactionLog logs =
            TransactionLog.open(options.catalogName(), options.properties(), "worker");
        opened.add(logs);
        TransactionLog queue =
            TransactionLog.open(options.catalogName(), options.properties(), "worker-queue");
        opened.add(queue);
        Worker worker = new Worker(catalog, logs, options.settings(), options.hooks());
        LocalInvoker invoker = new LocalInvoker(worker, options.threads());
        opened.add(invoker);
        Sweeper sweeper =
            new Sweeper(logs, invoker, options.staleAfter(), options.sweepEvery(), outage);
        opened.add(sweeper);
        MaintenanceLoop maintenance = null;
        if (!options.maintainEvery().isZero()) {
          maintenance =
              new MaintenanceLoop(
                  new MaintenanceScheduler(
                      catalog, logs, new TableMaintenance(catalog, logs, worker, options.id())),
                  options.maintainEvery(),
                  options.maintainEvery(),
                  outage);
        }
        return new Running(catalog, logs, queue, invoker, sweeper, maintenance);
      } catch (RuntimeException e) {
        for (int i = opened.size() - 1; i >= 0; i--) {
          try {
            opened.get(i).close();
          } catch (Exception closing) {
            e.addSuppressed(closing);
          }
        }
        throw e;
      }
    }

    /** Stops sweeping, stops the jobs within {@code grace} (see {@link LocalInvoker#close}). */
    void close(Duration grace) {
      sweeper.close();
      if (maintenance != null) {
        maintenance.close();
      }
      try {
        invoker.close(grace);
      } finally {
        queue.close();
        logs.close();
        catalog.close();
      }
    }
  }
}
