package io.icecap.worker;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.TransactionLog;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A worker process: takes apply requests from the catalog's queue in Redis, runs them on a pool of
 * threads, and sweeps the active tables for work nobody asked for (a crashed worker's, once its
 * leases expire). Any number of worker processes on any machines may share one Redis and one
 * warehouse.
 *
 * <p>Options, as {@code --name=value}: {@code uri} (Redis, required), {@code warehouse} (required),
 * {@code catalog} (default {@code icecap}), {@code work-dir}, {@code id}, {@code threads} (2:
 * tables applied at once), {@code partition-threads} (the processors: partitions of a job applied
 * at once), {@code open-replicas} (16), {@code lease-ms} (30000), {@code checkpoint-records}
 * (10000), {@code checkpoint-delay-ms} (0), {@code stale-ms} (2000: how old a pending record gets
 * before a sweep dispatches it), {@code sweep-ms} (1000), {@code property=key=value} (any other
 * catalog property), and for fault-injection tests {@code pause-at=STEP}: the process prints {@code
 * paused at STEP} and stops there, to be killed.
 */
public final class WorkerProcess {
  private WorkerProcess() {}

  /** The line a worker process prints once it takes requests. */
  public static String readyLine(String id) {
    return "icecap worker " + id + " ready";
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

  /** Runs a worker process until it is killed. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, String> properties = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException(
            "Malformed option '" + arg + "': write options as --name=value");
      }
      String name = arg.substring(2, arg.indexOf('='));
      String value = arg.substring(arg.indexOf('=') + 1);
      if (name.equals("property")) {
        int equals = value.indexOf('=');
        if (equals < 1) {
          throw new IllegalArgumentException(
              "Malformed option '" + arg + "': write --property=key=value");
        }
        properties.put(value.substring(0, equals), value.substring(equals + 1));
      } else {
        options.put(name, value);
      }
    }
    properties.put(RedisCatalogProperties.URI, required(options, "uri"));
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, required(options, "warehouse"));
    String catalogName = options.getOrDefault("catalog", "icecap");
    String id =
        options.getOrDefault("id", "worker-" + ManagementFactory.getRuntimeMXBean().getName());
    Path workDir =
        Path.of(
            options.getOrDefault(
                "work-dir", System.getProperty("java.io.tmpdir") + "/icecap-" + id));
    WorkerSettings settings =
        WorkerSettings.defaults(id.replace('|', '-'), workDir)
            .withLeaseTime(Duration.ofMillis(number(options, "lease-ms", 30_000)))
            .withCheckpointPolicy(
                (int) number(options, "checkpoint-records", 10_000),
                Duration.ofMillis(
                    options.containsKey("checkpoint-delay-ms")
                        ? number(options, "checkpoint-delay-ms", 1)
                        : 0))
            .withOpenReplicas((int) number(options, "open-replicas", 16, 0))
            .withPartitionThreads(
                (int)
                    number(
                        options, "partition-threads", Runtime.getRuntime().availableProcessors()));
    int threads = (int) number(options, "threads", 2);
    Duration staleAfter = Duration.ofMillis(number(options, "stale-ms", 2_000));
    Duration sweepEvery = Duration.ofMillis(number(options, "sweep-ms", 1_000));
    JobHooks hooks = JobHooks.NONE;
    if (options.containsKey("pause-at")) {
      JobStep pauseAt = step(options.get("pause-at"));
      hooks =
          step -> {
            if (step == pauseAt) {
              System.out.println("paused at " + step);
              System.out.flush();
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          };
    }
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(catalogName, properties);
    TransactionLog logs = TransactionLog.open(catalogName, properties, "worker");
    TransactionLog queue = TransactionLog.open(catalogName, properties, "worker-queue");
    Worker worker = new Worker(catalog, logs, settings, hooks);
    LocalInvoker invoker = new LocalInvoker(worker, threads);
    Sweeper sweeper = new Sweeper(logs, invoker, staleAfter, sweepEvery);
    System.out.println(readyLine(id));
    System.out.flush();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Map.Entry<TableIdentifier, Long> request = queue.takeQueued(Duration.ofSeconds(1));
        if (request != null) {
          invoker.invoke(new ApplyRequest(request.getKey(), request.getValue()));
        }
      }
    } finally {
      sweeper.close();
      invoker.close();
      queue.close();
      logs.close();
      catalog.close();
    }
  }

  private static JobStep step(String name) {
    try {
      return JobStep.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Option --pause-at must be one of "
              + java.util.Arrays.toString(JobStep.values())
              + ", got '"
              + name
              + "'");
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing option --" + name + "=...");
    }
    return value;
  }

  private static long number(Map<String, String> options, String name, long fallback) {
    return number(options, name, fallback, 1);
  }

  private static long number(
      Map<String, String> options, String name, long fallback, long minimum) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long number = Long.parseLong(value);
      if (number < minimum) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option --"
              + name
              + " must be a whole number of at least "
              + minimum
              + ", got '"
              + value
              + "'");
    }
  }
}
