package io.icecap.cli;

import io.icecap.client.IcecapSession;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code icecap sql}: statements from {@code -e}, a file or standard input, or typed at a prompt
 * with line editing and history. Rows print as a table; writes print their row counts.
 */
final class SqlShell {
  /** Rows a query prints before it only counts the rest. */
  private static final int MAX_ROWS = 1000;

  private static final String HELP =
      String.join(
          "\n",
          "End each statement with ;. Commands:",
          "  \\dt            list tables",
          "  \\d TABLE       a table's columns, partitioning, properties and maintenance",
          "  \\snapshots T   a table's snapshots",
          "  \\log TABLE     a table's pending log entries",
          "  \\cache         read cache counters and local files",
          "  \\timing        turn statement timing on or off",
          "  \\q             quit (also Ctrl-D)");

  private final Connection connection;
  private final IcecapSession session;
  private final PrintStream out;
  private final PrintStream err;
  private boolean timing = true;

  SqlShell(Connection connection, PrintStream out, PrintStream err) throws SQLException {
    this.connection = connection;
    this.session = connection.unwrap(IcecapSession.class);
    this.out = out;
    this.err = err;
  }

  /**
   * Runs every statement of a script in order, stopping at the first that fails.
   *
   * @return 0 when all ran, 1 when one failed
   */
  int runScript(String text, String source) {
    Scripts.Split split = Scripts.split(text);
    List<String> statements = new ArrayList<>(split.statements());
    if (!split.restIsBlank()) {
      statements.add(split.rest().strip());
    }
    for (int i = 0; i < statements.size(); i++) {
      try {
        run(statements.get(i));
      } catch (SQLException | RuntimeException e) {
        err.printf("%s, statement %d: %s%n", source, i + 1, describe(e));
        return 1;
      }
    }
    return 0;
  }

  /** Reads statements at a prompt until {@code \q} or end of input. */
  int interactive(Path historyFile) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("icecap")
              .variable(LineReader.HISTORY_FILE, historyFile)
              .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
              .build();
      out.println("Icecap SQL shell. End statements with ;  \\? for help, \\q to quit.");
      StringBuilder buffer = new StringBuilder();
      while (true) {
        String line;
        try {
          line = reader.readLine(buffer.length() == 0 ? "icecap> " : "   ...> ");
        } catch (UserInterruptException e) {
          buffer.setLength(0);
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        if (buffer.length() == 0 && line.strip().startsWith("\\")) {
          if (!command(line.strip())) {
            return 0;
          }
          continue;
        }
        if (buffer.length() == 0
            && List.of("quit", "exit").contains(line.strip().toLowerCase(Locale.ROOT))) {
          return 0;
        }
        buffer.append(line).append('\n');
        Scripts.Split split = Scripts.split(buffer.toString());
        for (String statement : split.statements()) {
          try {
            run(statement);
          } catch (SQLException | RuntimeException e) {
            err.println(describe(e));
          }
        }
        buffer.setLength(0);
        if (!split.restIsBlank()) {
          buffer.append(split.rest());
        }
      }
    }
  }

  /** Runs a backslash command; returns false for {@code \q}. */
  boolean command(String line) {
    String[] words = line.split("\\s+", 2);
    String argument = words.length > 1 ? words[1].strip() : "";
    Inspect inspect = new Inspect(session, out);
    try {
      switch (words[0]) {
        case "\\q":
          return false;
        case "\\dt":
          inspect.tables();
          break;
        case "\\d":
          if (argument.isEmpty()) {
            inspect.tables();
          } else {
            inspect.columns(argument);
          }
          break;
        case "\\snapshots":
          inspect.snapshots(argument);
          break;
        case "\\log":
          inspect.log(argument, 20);
          break;
        case "\\cache":
          inspect.cache();
          break;
        case "\\timing":
          timing = !timing;
          out.println("Timing is " + (timing ? "on" : "off"));
          break;
        case "\\?":
        case "\\help":
          out.println(HELP);
          break;
        default:
          err.printf("Unknown command %s; \\? lists the commands%n", words[0]);
      }
    } catch (RuntimeException e) {
      err.println(describe(e));
    }
    return true;
  }

  /** Runs one statement and prints its rows or its count. */
  void run(String sql) throws SQLException {
    long started = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet rows = statement.getResultSet()) {
          TextTable.of(rows, MAX_ROWS).print(out);
        }
      } else {
        out.println(outcome(sql, statement.getLargeUpdateCount()));
      }
    }
    if (timing) {
      out.printf("Time: %.1f ms%n", (System.nanoTime() - started) / 1e6);
    }
  }

  private String outcome(String sql, long rows) {
    String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    boolean write = List.of("INSERT", "UPDATE", "DELETE").contains(verb);
    if (write && session.inTransaction()) {
      return verb + ": kept for COMMIT";
    }
    if (write) {
      return String.format("%s: %d row%s", verb, rows, rows == 1 ? "" : "s");
    }
    return "OK";
  }

  static String describe(Exception e) {
    if (e instanceof SQLException sql) {
      return String.format(
          "ERROR %d (%s): %s", sql.getErrorCode(), sql.getSQLState(), sql.getMessage());
    }
    if (e instanceof io.icecap.client.IcecapException icecap) {
      return String.format(
          "ERROR %d (%s): %s", icecap.code().code(), icecap.code().sqlState(), icecap.getMessage());
    }
    return "ERROR: " + e;
  }
}
