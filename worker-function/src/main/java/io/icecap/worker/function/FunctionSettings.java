package io.icecap.worker.function;

import static java.util.Objects.requireNonNull;

import io.icecap.worker.WorkerSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The worker function's configuration, read from its environment variables:
 *
 * <ul>
 *   <li>{@code ICECAP_REDIS_URI} (required): the catalog's Redis, {@code redis://} or {@code
 *       rediss://};
 *   <li>{@code ICECAP_REDIS_SECRET_ARN}: a Secrets Manager secret holding the Redis credentials, as
 *       {@code {"username": "...", "password": "..."}} or a bare password;
 *   <li>{@code ICECAP_WAREHOUSE} (required): the warehouse location, such as {@code
 *       s3://bucket/warehouse};
 *   <li>{@code ICECAP_CATALOG}: the catalog's name (default {@code icecap});
 *   <li>{@code ICECAP_CATALOG_PROPERTIES}: more catalog properties, {@code key=value} pairs
 *       separated by commas or new lines (for example {@code s3.endpoint=...});
 *   <li>{@code ICECAP_WORK_DIR}: the partition cache and working files (default {@code
 *       /tmp/icecap});
 *   <li>{@code ICECAP_CACHE_BYTES}: the most bytes the partition cache keeps (default 8 GiB);
 *   <li>{@code ICECAP_LEASE_MS} (30000), {@code ICECAP_CHECKPOINT_RECORDS} (10000), {@code
 *       ICECAP_CHECKPOINT_DELAY_MS} (0), {@code ICECAP_OPEN_REPLICAS} (16), {@code
 *       ICECAP_PARTITION_THREADS} (the processors): as for {@code icecap worker};
 *   <li>{@code ICECAP_TIME_MARGIN_MS}: how long before the invocation's deadline a job stops
 *       starting checkpoints (default 20000, and never more than half the time left);
 *   <li>{@code ICECAP_SWEEP_STALE_MS}: how old a pending record gets before a sweep applies it
 *       (default 2000).
 * </ul>
 *
 * @param catalogName the catalog's name
 * @param catalogProperties the catalog's properties, Redis URI and warehouse included
 * @param redisSecretArn the secret with the Redis credentials, or null
 * @param worker how the function's worker runs
 * @param timeMargin how long before the deadline a job stops starting checkpoints
 * @param sweepStaleAfter how old a pending record gets before a sweep applies it
 */
public record FunctionSettings(
    String catalogName,
    Map<String, String> catalogProperties,
    String redisSecretArn,
    WorkerSettings worker,
    Duration timeMargin,
    Duration sweepStaleAfter) {

  /** The environment variable naming the catalog's Redis. */
  public static final String REDIS_URI = "ICECAP_REDIS_URI";

  /** The environment variable naming the secret with the Redis credentials. */
  public static final String REDIS_SECRET_ARN = "ICECAP_REDIS_SECRET_ARN";

  /** The environment variable naming the warehouse. */
  public static final String WAREHOUSE = "ICECAP_WAREHOUSE";

  /** The environment variable naming the catalog. */
  public static final String CATALOG = "ICECAP_CATALOG";

  /** The environment variable with more catalog properties. */
  public static final String CATALOG_PROPERTIES = "ICECAP_CATALOG_PROPERTIES";

  /** The environment variable naming the working directory. */
  public static final String WORK_DIR = "ICECAP_WORK_DIR";

  /** The environment variable bounding the partition cache. */
  public static final String CACHE_BYTES = "ICECAP_CACHE_BYTES";

  private static final long DEFAULT_CACHE_BYTES = 8L * 1024 * 1024 * 1024;

  /** Checks the values. */
  public FunctionSettings {
    requireNonNull(catalogName, "catalogName is null");
    catalogProperties = Map.copyOf(catalogProperties);
    requireNonNull(worker, "worker is null");
    requireNonNull(timeMargin, "timeMargin is null");
    requireNonNull(sweepStaleAfter, "sweepStaleAfter is null");
  }

  /**
   * Reads the settings from environment variables.
   *
   * @param env the variables, such as {@link System#getenv()}
   * @throws IllegalArgumentException naming the variable when one is missing or malformed
   */
  public static FunctionSettings fromEnvironment(Map<String, String> env) {
    requireNonNull(env, "env is null");
    Map<String, String> properties = new LinkedHashMap<>(catalogProperties(env));
    properties.put("uri", required(env, REDIS_URI));
    properties.put("warehouse", required(env, WAREHOUSE));
    String uri = properties.get("uri");
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          REDIS_URI + " must start with redis:// or rediss://, got '" + uri + "'");
    }
    String catalog = env.getOrDefault(CATALOG, "icecap").trim();
    if (catalog.isEmpty()) {
      throw new IllegalArgumentException(CATALOG + " is empty: unset it or name the catalog");
    }
    Path workDir;
    try {
      workDir = Path.of(env.getOrDefault(WORK_DIR, "/tmp/icecap"));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(WORK_DIR + " is not a path: " + e.getMessage(), e);
    }
    String function = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "function");
    String owner =
        ("lambda-" + function + "-" + UUID.randomUUID().toString().substring(0, 8))
            .replace('|', '-');
    WorkerSettings worker =
        WorkerSettings.defaults(owner, workDir)
            .withLeaseTime(Duration.ofMillis(number(env, "ICECAP_LEASE_MS", 30_000, 1_000)))
            .withCheckpointPolicy(
                (int) number(env, "ICECAP_CHECKPOINT_RECORDS", 10_000, 1),
                Duration.ofMillis(number(env, "ICECAP_CHECKPOINT_DELAY_MS", 0, 0)))
            .withOpenReplicas((int) number(env, "ICECAP_OPEN_REPLICAS", 16, 0))
            .withPartitionThreads(
                (int)
                    number(
                        env,
                        "ICECAP_PARTITION_THREADS",
                        Runtime.getRuntime().availableProcessors(),
                        1))
            .withCacheBytes(number(env, CACHE_BYTES, DEFAULT_CACHE_BYTES, 0));
    return new FunctionSettings(
        catalog,
        properties,
        blankToNull(env.get(REDIS_SECRET_ARN)),
        worker,
        Duration.ofMillis(number(env, "ICECAP_TIME_MARGIN_MS", 20_000, 0)),
        Duration.ofMillis(number(env, "ICECAP_SWEEP_STALE_MS", 2_000, 0)));
  }

  /**
   * The environment variables of a function on a catalog: {@code uri} and {@code warehouse} of the
   * properties as {@value #REDIS_URI} and {@value #WAREHOUSE}, the other properties in {@value
   * #CATALOG_PROPERTIES}.
   */
  public static Map<String, String> environment(
      String catalogName, Map<String, String> properties, Path workDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(REDIS_URI, properties.get("uri"));
    env.put(WAREHOUSE, properties.get("warehouse"));
    env.put(CATALOG, catalogName);
    StringBuilder more = new StringBuilder();
    properties.forEach(
        (key, value) -> {
          if (!key.equals("uri") && !key.equals("warehouse")) {
            more.append(more.length() == 0 ? "" : "\n").append(key).append('=').append(value);
          }
        });
    env.put(CATALOG_PROPERTIES, more.toString());
    env.put(WORK_DIR, workDir.toString());
    return env;
  }

  private static Map<String, String> catalogProperties(Map<String, String> env) {
    Map<String, String> properties = new LinkedHashMap<>();
    String value = env.get(CATALOG_PROPERTIES);
    if (value == null || value.isBlank()) {
      return properties;
    }
    for (String pair : value.split("[,\\n]")) {
      String trimmed = pair.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException(
            CATALOG_PROPERTIES
                + " has a malformed entry '"
                + trimmed
                + "': write key=value pairs separated by commas or new lines");
      }
      String key = trimmed.substring(0, equals).trim();
      if (key.equals("uri") || key.equals("warehouse")) {
        throw new IllegalArgumentException(
            CATALOG_PROPERTIES
                + " sets '"
                + key
                + "': set it with "
                + (key.equals("uri") ? REDIS_URI : WAREHOUSE)
                + " instead");
      }
      properties.put(key, trimmed.substring(equals + 1).trim());
    }
    return properties;
  }

  private static String required(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      throw new IllegalArgumentException(
          "The environment variable " + name + " is not set: the worker function needs it");
    }
    return value.trim();
  }

  private static long number(Map<String, String> env, String name, long fallback, long minimum) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    long number;
    try {
      number = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "The environment variable " + name + " must be a whole number, got '" + value + "'", e);
    }
    if (number < minimum) {
      throw new IllegalArgumentException(
          "The environment variable " + name + " must be at least " + minimum + ", got " + number);
    }
    return number;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
