package io.icecap.worker.function;

import static java.util.Objects.requireNonNull;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.JobHooks;
import io.icecap.worker.Worker;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceScheduler;
import io.icecap.worker.maintenance.TableMaintenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Icecap's worker as an AWS Lambda function. It takes two kinds of events:
 *
 * <ul>
 *   <li>{@code {"table": "db.items", "upToSequence": 42}}: apply the table's log, as {@link
 *       io.icecap.txn.dispatch.LambdaInvoker} asks;
 *   <li>{@code {"sweep": true}}: apply every table whose oldest pending record is older than {@code
 *       ICECAP_SWEEP_STALE_MS} and that no live lease covers (a scheduled rule sends it, so work a
 *       crashed invocation left is taken over), then, when that work is done and at least {@link
 *       #MAINTENANCE_ROOM} of the invocation is left, run the table maintenance that is due ({@link
 *       MaintenanceScheduler}; the answer's {@code maintained} lists the tables).
 * </ul>
 *
 * <p>It answers {@code {"end": "DONE" | "BUSY" | "OUT_OF_TIME", "checkpoints": n, "pending": bool,
 * ...}}. A job stops starting checkpoints {@code ICECAP_TIME_MARGIN_MS} before the invocation's
 * deadline; what it did not apply stays in the log, and {@code OUT_OF_TIME} tells the invoker to
 * invoke again. The catalog, the Redis connections, the worker's DuckDB replicas and its partition
 * cache are opened by the first invocation and kept for the next ones in the same execution
 * environment. The configuration comes from environment variables ({@link FunctionSettings}).
 */
public final class ApplyFunction
    implements RequestHandler<Map<String, Object>, Map<String, Object>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyFunction.class);
  private static final Set<String> APPLY_KEYS = Set.of("table", "upToSequence");

  private final FunctionSettings settings;
  private final Function<String, RedisCredentials> secrets;
  private final JobHooks hooks;
  private Opened opened;

  /** What the first invocation opens and later ones reuse. */
  private record Opened(
      RedisCatalog catalog, TransactionLog logs, Worker worker, MaintenanceScheduler maintenance) {}

  /**
   * How much of a sweep's time must be left for it to start due table maintenance after applying: a
   * maintenance run is not cut at the deadline, so it must have room to end.
   */
  static final Duration MAINTENANCE_ROOM = Duration.ofSeconds(60);

  /** Redis credentials from a secret. */
  record RedisCredentials(String username, String password) {}

  /** The function as Lambda creates it: configured from the process's environment variables. */
  public ApplyFunction() {
    this(System.getenv());
  }

  /**
   * A function configured from the given environment variables.
   *
   * @throws IllegalArgumentException naming the variable when one is missing or malformed
   */
  public ApplyFunction(Map<String, String> env) {
    this(FunctionSettings.fromEnvironment(env), RedisSecret::read, JobHooks.NONE);
  }

  /**
   * A function with the given settings.
   *
   * @param secrets reads the Redis credentials from a secret's ARN
   * @param hooks called at each step of a job (tests stop functions there)
   */
  ApplyFunction(
      FunctionSettings settings, Function<String, RedisCredentials> secrets, JobHooks hooks) {
    this.settings = requireNonNull(settings, "settings is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    requireNonNull(context, "context is null");
    long started = System.nanoTime();
    long remainingMillis = Math.max(0, context.getRemainingTimeInMillis());
    long margin = Math.min(settings.timeMargin().toMillis(), remainingMillis / 2);
    long deadline = started + (remainingMillis - margin) * 1_000_000L;
    Map<String, Object> answer;
    if (event != null && Boolean.TRUE.equals(event.get("sweep")) && event.size() == 1) {
      answer = oneLine(() -> sweep(deadline));
    } else {
      ApplyRequest request = parse(event);
      answer = oneLine(() -> apply(request, deadline));
    }
    answer.put("elapsedMs", (System.nanoTime() - started) / 1_000_000);
    return answer;
  }

  private Map<String, Object> apply(ApplyRequest request, long deadline) {
    Worker.Report report = opened().worker().applyUntil(request.table(), deadline);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("table", request.table().toString());
    answer.put("end", report.end().name());
    answer.put("checkpoints", report.checkpoints());
    answer.put("pending", report.pending());
    LOG.info("Apply job of {} ended {}", request.table(), answer);
    return answer;
  }

  private Map<String, Object> sweep(long deadline) {
    Opened state = opened();
    List<ApplyRequest> due = Sweeper.due(state.logs(), settings.sweepStaleAfter());
    List<String> tables = new ArrayList<>();
    Worker.End end = Worker.End.DONE;
    int checkpoints = 0;
    for (ApplyRequest request : due) {
      if (System.nanoTime() - deadline >= 0) {
        end = Worker.End.OUT_OF_TIME;
        break;
      }
      tables.add(request.table().toString());
      Worker.Report report = state.worker().applyUntil(request.table(), deadline);
      checkpoints += report.checkpoints();
      if (report.end().compareTo(end) > 0) {
        end = report.end();
      }
    }
    List<String> maintained = new ArrayList<>();
    if (end == Worker.End.DONE) {
      for (MaintenanceReport report :
          state.maintenance().runDue(deadline - MAINTENANCE_ROOM.toNanos())) {
        maintained.add(report.table().toString());
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("sweep", true);
    answer.put("tables", tables);
    answer.put("end", end.name());
    answer.put("checkpoints", checkpoints);
    answer.put("pending", end != Worker.End.DONE);
    answer.put("maintained", maintained);
    LOG.info("Sweep ended {}", answer);
    return answer;
  }

  /**
   * Runs a job whose failure the runtime reports as a function error: one line of message, which a
   * multi-line one (Iceberg's {@code CommitStateUnknownException} adds a paragraph) or none would
   * not be. Such a failure becomes an {@link IllegalStateException} with its first line, and keeps
   * the original as its cause.
   */
  static <T> T oneLine(Supplier<T> job) {
    try {
      return job.get();
    } catch (RuntimeException e) {
      String message = e.getMessage();
      if (message != null && !message.isBlank() && message.indexOf('\n') < 0) {
        throw e;
      }
      String line =
          message == null || message.isBlank()
              ? e.getClass().getName()
              : message.substring(0, message.indexOf('\n')).strip();
      LOG.warn("Apply job failed: {}", message == null ? e.getClass().getName() : message);
      throw new IllegalStateException(line, e);
    }
  }

  /** Reads an apply event; malformed ones are refused with what to send instead. */
  static ApplyRequest parse(Map<String, Object> event) {
    String expected =
        "send {\"table\": \"namespace.table\", \"upToSequence\": 42} or {\"sweep\": true}";
    if (event == null || event.isEmpty()) {
      throw new IllegalArgumentException("The event is empty: " + expected);
    }
    for (String key : event.keySet()) {
      if (!APPLY_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "The event has an unknown field '" + key + "': " + expected);
      }
    }
    Object table = event.get("table");
    if (!(table instanceof String) || ((String) table).isBlank()) {
      throw new IllegalArgumentException(
          "The event's 'table' must be a table name such as \"db.items\", got "
              + describe(table)
              + ": "
              + expected);
    }
    TableIdentifier identifier;
    try {
      identifier = TableIdentifier.parse(((String) table).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "The event's 'table' is not a table name: '" + table + "': " + expected, e);
    }
    if (!identifier.hasNamespace() || identifier.name().isEmpty()) {
      throw new IllegalArgumentException(
          "The event's 'table' must name the namespace too, as \"db.items\", got '" + table + "'");
    }
    Object sequence = event.getOrDefault("upToSequence", 0L);
    if (!(sequence instanceof Integer || sequence instanceof Long)
        || ((Number) sequence).longValue() < 0) {
      throw new IllegalArgumentException(
          "The event's 'upToSequence' must be a whole number of at least 0, got "
              + describe(sequence));
    }
    return new ApplyRequest(identifier, ((Number) sequence).longValue());
  }

  private static String describe(Object value) {
    return value == null
        ? "nothing"
        : value instanceof String
            ? "'" + value + "'"
            : value + " (" + value.getClass().getSimpleName() + ")";
  }

  private synchronized Opened opened() {
    if (opened == null) {
      Map<String, String> properties = new LinkedHashMap<>(settings.catalogProperties());
      if (settings.redisSecretArn() != null) {
        RedisCredentials credentials = secrets.apply(settings.redisSecretArn());
        if (credentials.username() != null) {
          properties.put(RedisCatalogProperties.USER, credentials.username());
        }
        properties.put(RedisCatalogProperties.PASSWORD, credentials.password());
      }
      RedisCatalog catalog = new RedisCatalog();
      TransactionLog logs = null;
      try {
        catalog.initialize(settings.catalogName(), properties);
        logs = TransactionLog.open(settings.catalogName(), properties, "lambda");
        Worker worker = new Worker(catalog, logs, settings.worker(), hooks);
        opened =
            new Opened(
                catalog,
                logs,
                worker,
                new MaintenanceScheduler(
                    catalog,
                    logs,
                    new TableMaintenance(catalog, logs, worker, settings.worker().owner())));
        LOG.info(
            "Worker {} opened catalog {} on {}",
            settings.worker().owner(),
            settings.catalogName(),
            properties.get("warehouse"));
      } catch (RuntimeException e) {
        if (logs != null) {
          logs.close();
        }
        catalog.close();
        throw e;
      }
    }
    return opened;
  }

  /** The settings the function runs with. */
  public FunctionSettings settings() {
    return settings;
  }

  /** Closes what invocations opened; a later invocation opens it again. */
  @Override
  public synchronized void close() {
    if (opened != null) {
      opened.worker().close();
      opened.logs().close();
      opened.catalog().close();
      opened = null;
    }
  }
}
