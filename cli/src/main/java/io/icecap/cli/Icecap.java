package io.icecap.cli;

import io.icecap.client.IcecapSession;
import io.icecap.client.MetricsEndpoint;
import io.icecap.worker.WorkerProcess;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code icecap} command. */
public final class Icecap {
  private static final String USAGE =
      String.join(
          "\n",
          "Usage: icecap <command> [options]",
          "",
          "Commands:",
          "  sql [-e SQL | -f FILE] [--metrics-port=N]",
          "                  run SQL: the statements of -e or of a file (- for standard input),",
          "                  else an interactive shell with history (\\? for its commands);",
          "                  --metrics-port serves Prometheus metrics while it runs",
          "  tables          list the catalog's tables with their current snapshot",
          "  snapshots TABLE list a table's snapshots",
          "  log TABLE [--entries=N]  a table's transaction log: pending entries and their lag",
          "  log TABLE --transaction=ID  whether a write is in the log (by the transaction id an",
          "                  unknown outcome names) and what became of it",
          "  cache           read cache counters and the local files of the home directory",
          "  maintain TABLE [--compact] [--expire] [--orphans] [--dry-run]",
          "                  run table maintenance now: compact small files, expire snapshots",
          "                  past the table's retention, delete orphan files (no task option: all",
          "                  three); --dry-run changes nothing and lists what would be removed",
          "  demo [--keep]   start an embedded Redis and a local warehouse, then create a",
          "                  partitioned table, write, update, delete, query and time-travel it",
          "                  (--keep leaves the warehouse and Redis data on disk)",
          "  worker --uri=redis://... --warehouse=DIR|s3://... [--catalog=NAME] [--threads=N]",
          "                  [--work-dir=DIR] [--lease-ms=MS] [--checkpoint-records=N]",
          "                  [--checkpoint-delay-ms=MS] [--open-replicas=N] [--partition-threads=N]",
          "                  [--stop-grace-ms=MS] [--property=key=value ...]",
          "                  run a worker process: apply the catalog's transaction logs, taking",
          "                  jobs from Redis and sweeping for work a crashed worker left; it",
          "                  waits out Redis outages, and SIGTERM stops it (status 0) once its",
          "                  jobs end (interrupted after --stop-grace-ms) and its leases are free",
          "  help            show this text",
          "",
          "sql, tables, snapshots, log, cache and maintain connect with:",
          "  --url=jdbc:icecap:...     a JDBC URL: jdbc:icecap:local:DIR, or",
          "                            jdbc:icecap:redis://host:port/?warehouse=s3://bucket/path",
          "  --local=DIR               shorthand for --url=jdbc:icecap:local:DIR",
          "  (default: $ICECAP_URL, else jdbc:icecap:local:~/.icecap/local)");

  private static final Map<String, MaintenanceTask> TASK_OPTIONS =
      Map.of(
          "--compact", MaintenanceTask.COMPACT,
          "--expire", MaintenanceTask.EXPIRE,
          "--orphans", MaintenanceTask.ORPHANS);

  private Icecap() {}

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns 0 on success, 1 when it failed, 2 when it was misused. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "demo":
        return demo(rest, out, err);
      case "worker":
        return worker(rest, err);
      case "sql", "tables", "snapshots", "log", "cache", "maintain":
        return client(args[0], rest, out, err);
      default:
        err.printf("icecap: unknown command '%s'%n%s%n", args[0], USAGE);
        return 2;
    }
  }

  private static int demo(String[] options, PrintStream out, PrintStream err) {
    boolean keep = false;
    for (String option : options) {
      if (option.equals("--keep")) {
        keep = true;
      } else {
        err.printf("icecap demo: unknown option '%s'%n%s%n", option, USAGE);
        return 2;
      }
    }
    try {
      new Demo(out, keep).run();
      return 0;
    } catch (Exception e) {
      err.println("icecap demo failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static int worker(String[] options, PrintStream err) {
    try {
      WorkerProcess.main(options);
      return 0;
    } catch (IllegalArgumentException e) {
      err.printf("icecap worker: %s%n%s%n", e.getMessage(), USAGE);
      return 2;
    } catch (Exception e) {
      err.println("icecap worker failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  /** What the client commands were given. */
  private static final class ClientOptions {
    String url;
    String execute;
    String file;
    Integer entries;
    String transaction;
    Integer metricsPort;
    final Set<MaintenanceTask> tasks = EnumSet.noneOf(MaintenanceTask.class);
    boolean dryRun;
    final List<String> arguments = new ArrayList<>();
  }

  private static int client(String command, String[] args, PrintStream out, PrintStream err) {
    ClientOptions options;
    try {
      options = clientOptions(command, args);
    } catch (IllegalArgumentException e) {
      err.printf("icecap %s: %s%n%s%n", command, e.getMessage(), USAGE);
      return 2;
    }
    int wanted =
        command.equals("snapshots") || command.equals("log") || command.equals("maintain") ? 1 : 0;
    if (options.arguments.size() != wanted) {
      err.printf(
          "icecap %s: %s%n%s%n",
          command,
          wanted == 1 && options.arguments.size() < 2
              ? "name one table, as namespace.table"
              : "unexpected argument '" + options.arguments.get(wanted) + "'",
          USAGE);
      return 2;
    }
    String script = null;
    String source = null;
    try {
      if (options.execute != null) {
        script = options.execute;
        source = "-e";
      } else if (options.file != null) {
        script =
            options.file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(options.file));
        source = options.file;
      }
    } catch (NoSuchFileException e) {
      err.printf("icecap sql: file %s does not exist%n", options.file);
      return 2;
    } catch (IOException e) {
      err.printf("icecap sql: cannot read %s: %s%n", options.file, e.getMessage());
      return 2;
    }
    try (Connection connection = DriverManager.getConnection(options.url)) {
      IcecapSession session = connection.unwrap(IcecapSession.class);
      Inspect inspect = new Inspect(session, out);
      switch (command) {
        case "tables" -> inspect.tables();
        case "snapshots" -> inspect.snapshots(options.arguments.get(0));
        case "log" -> {
          if (options.transaction != null) {
            return inspect.transaction(options.arguments.get(0), options.transaction);
          }
          inspect.log(options.arguments.get(0), options.entries == null ? 20 : options.entries);
        }
        case "cache" -> inspect.cache();
        case "maintain" ->
            // Java tells whether standard input and output are a terminal, not standard error:
            // a run whose output is redirected shows a line per step
            new Maintain(session, out, err, System.console() != null)
                .run(
                    options.arguments.get(0),
                    new MaintenanceRequest(
                        options.tasks.isEmpty()
                            ? EnumSet.allOf(MaintenanceTask.class)
                            : options.tasks,
                        options.dryRun));
        default -> {
          MetricsEndpoint metrics =
              options.metricsPort == null
                  ? null
                  : MetricsEndpoint.start(session, options.metricsPort);
          try {
            if (metrics != null) {
              out.printf("Prometheus metrics on http://localhost:%d/metrics%n", metrics.port());
            }
            return sql(connection, script, source, out, err);
          } finally {
            if (metrics != null) {
              metrics.close();
            }
          }
        }
      }
      return 0;
    } catch (SQLException | RuntimeException e) {
      err.printf("icecap %s: %s%n", command, SqlShell.describe(e));
      return 1;
    } catch (IOException e) {
      err.printf("icecap %s: %s%n", command, e.getMessage());
      return 1;
    }
  }

  private static int sql(
      Connection connection, String script, String source, PrintStream out, PrintStream err)
      throws SQLException, IOException {
    SqlShell shell = new SqlShell(connection, out, err);
    if (script != null) {
      return shell.runScript(script, source);
    }
    if (System.console() == null) {
      return shell.runScript(
          new String(System.in.readAllBytes(), StandardCharsets.UTF_8), "standard input");
    }
    Path history = Path.of(System.getProperty("user.home"), ".icecap", "history");
    Files.createDirectories(history.getParent());
    return shell.interactive(history);
  }

  private static ClientOptions clientOptions(String command, String[] args) {
    ClientOptions options = new ClientOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (command.equals("sql") && (arg.equals("-e") || arg.equals("-f"))) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        if (options.execute != null || options.file != null) {
          throw new IllegalArgumentException("give one of -e and -f, once");
        }
        if (arg.equals("-e")) {
          options.execute = args[++i];
        } else {
          options.file = args[++i];
        }
      } else if (arg.startsWith("--url=")) {
        options.url = arg.substring("--url=".length());
      } else if (arg.startsWith("--local=")) {
        options.url =
            "jdbc:icecap:local:" + Path.of(arg.substring("--local=".length())).toAbsolutePath();
      } else if (command.equals("sql") && arg.startsWith("--metrics-port=")) {
        try {
          options.metricsPort = Integer.parseInt(arg.substring("--metrics-port=".length()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--metrics-port must be a port number from 0 to 65535: " + arg);
        }
      } else if (command.equals("log") && arg.startsWith("--entries=")) {
        try {
          options.entries = Integer.parseInt(arg.substring("--entries=".length()));
        } catch (NumberFormatException e) {
          options.entries = -1;
        }
        if (options.entries < 0) {
          throw new IllegalArgumentException(
              "--entries must be a whole number of at least 0: " + arg);
        }
      } else if (command.equals("log") && arg.startsWith("--transaction=")) {
        options.transaction = arg.substring("--transaction=".length()).trim();
        if (options.transaction.isEmpty()) {
          throw new IllegalArgumentException("--transaction needs a transaction id");
        }
      } else if (command.equals("maintain") && TASK_OPTIONS.containsKey(arg)) {
        options.tasks.add(TASK_OPTIONS.get(arg));
      } else if (command.equals("maintain") && arg.equals("--dry-run")) {
        options.dryRun = true;
      } else if (arg.startsWith("-")) {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      } else {
        options.arguments.add(arg);
      }
    }
    if (options.url == null) {
      String fromEnvironment = System.getenv("ICECAP_URL");
      options.url =
          fromEnvironment != null && !fromEnvironment.isBlank()
              ? fromEnvironment
              : "jdbc:icecap:local:" + Path.of(System.getProperty("user.home"), ".icecap", "local");
    }
    if (!options.url.startsWith("jdbc:icecap:")) {
      throw new IllegalArgumentException(
          "--url must start with jdbc:icecap: (jdbc:icecap:local:DIR or jdbc:icecap:redis://...)");
    }
    return options;
  }
}
