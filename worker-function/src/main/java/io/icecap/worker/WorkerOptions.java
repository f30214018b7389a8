package io.icecap.worker;

import io.icecap.catalog.RedisCatalogProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;

/**
 * The options of a worker process ({@link WorkerProcess}), read from its {@code --name=value}
 * arguments. A missing or malformed option is refused with its name.
 *
 * @param catalogName the catalog's name
 * @param id the worker's id
 * @param properties the catalog's properties: {@code uri}, {@code warehouse} and every {@code
 *     --property=key=value}
 * @param settings how the worker runs its jobs
 * @param threads how many tables are applied at once
 * @param staleAfter how old a pending record gets before a sweep dispatches it
 * @param sweepEvery how often the sweeper looks
 * @param stopGrace how long jobs under way may take to end when the process is asked to stop
 * @param maintainEvery the pause between two checks for due table maintenance, or zero for none
 * @param pauseAt the step at which jobs stop for good, for fault-injection tests, or null
 */
record WorkerOptions(
    String catalogName,
    String id,
    Map<String, String> properties,
    WorkerSettings settings,
    int threads,
    Duration staleAfter,
    Duration sweepEvery,
    Duration stopGrace,
    Duration maintainEvery,
    JobStep pauseAt) {
  WorkerOptions {
    properties = Map.copyOf(properties);
  }

  /**
   * Reads the options.
   *
   * @throws IllegalArgumentException naming the option that is missing or malformed
   */
  static WorkerOptions parse(String[] args) {
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
    return new WorkerOptions(
        options.getOrDefault("catalog", "icecap"),
        id,
        properties,
        settings,
        (int) number(options, "threads", 2),
        Duration.ofMillis(number(options, "stale-ms", 2_000)),
        Duration.ofMillis(number(options, "sweep-ms", 1_000)),
        Duration.ofMillis(number(options, "stop-grace-ms", 10_000, 0)),
        Duration.ofMillis(number(options, "maintenance-ms", 10_000, 0)),
        options.containsKey("pause-at") ? step(options.get("pause-at")) : null);
  }

  /**
   * Hooks that stop every job at {@link #pauseAt} for good: the process prints {@code paused at
   * STEP} and waits there until it is killed or its thread interrupted.
   */
  JobHooks hooks() {
    if (pauseAt == null) {
      return JobHooks.NONE;
    }
    return step -> {
      if (step == pauseAt) {
        System.out.println("paused at " + step);
        System.out.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while paused at " + step, e);
        }
      }
    };
  }

  private static JobStep step(String name) {
    try {
      return JobStep.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Option --pause-at must be one of "
              + Arrays.toString(JobStep.values())
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
