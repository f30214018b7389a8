package io.icecap.cli;

import io.icecap.worker.WorkerProcess;
import java.io.PrintStream;
import java.util.Arrays;

/** The {@code icecap} command. */
public final class Icecap {
  private static final String USAGE =
      String.join(
          "\n",
          "Usage: icecap <command> [options]",
          "",
          "Commands:",
          "  demo [--keep]   start an embedded Redis and a local warehouse, create a partitioned",
          "                  table through the Redis catalog, write, read and time-travel it",
          "                  (--keep leaves the warehouse and Redis data on disk)",
          "  worker --uri=redis://... --warehouse=DIR|s3://... [--catalog=NAME] [--threads=N]",
          "                  [--work-dir=DIR] [--lease-ms=MS] [--checkpoint-records=N]",
          "                  [--checkpoint-delay-ms=MS] [--open-replicas=N] [--partition-threads=N]",
          "                  [--property=key=value ...]",
          "                  run a worker process: apply the catalog's transaction logs, taking",
          "                  jobs from Redis and sweeping for work a crashed worker left",
          "  help            show this text");

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
        boolean keep = false;
        for (String option : rest) {
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
      case "worker":
        try {
          WorkerProcess.main(rest);
          return 0;
        } catch (IllegalArgumentException e) {
          err.printf("icecap worker: %s%n%s%n", e.getMessage(), USAGE);
          return 2;
        } catch (Exception e) {
          err.println("icecap worker failed: " + e);
          e.printStackTrace(err);
          return 1;
        }
      default:
        err.printf("icecap: unknown command '%s'%n%s%n", args[0], USAGE);
        return 2;
    }
  }
}
