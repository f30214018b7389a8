package io.icecap.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Spark SQL session in a JVM of its own, run by {@code SparkSqlDriver} (module interop-spark) on
 * exactly the class path a Spark user has: Spark with its dependencies, Iceberg's Spark runtime and
 * icecap-catalog-runtime (the file the build of interop-spark writes), configured by {@code
 * spark.*} system properties. Statements go to its standard input, rows come back as JSON.
 */
final class SparkProcess implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STATEMENT_TIMEOUT_SECONDS = 300;

  private final Process process;
  private final BufferedWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path log;
  private final String version;

  private SparkProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(this::readOutput, "spark-driver-output");
    reader.setDaemon(true);
    reader.start();
    String first = next("start Spark");
    if (!first.startsWith("ready ")) {
      throw new IllegalStateException("Spark driver printed " + first + " instead of ready");
    }
    this.version = first.substring("ready ".length());
  }

  /** The class path of the Spark JVM: the driver's jar and the jars the build resolved. */
  static List<String> classPath() {
    String driver = System.getProperty("interop.spark.driver");
    String file = System.getProperty("interop.spark.classpath");
    if (driver == null || file == null) {
      throw new IllegalStateException(
          "interop.spark.driver and interop.spark.classpath are not set: run with Maven -Pspark");
    }
    List<String> entries = new ArrayList<>();
    entries.add(driver);
    try {
      entries.addAll(Arrays.asList(Files.readString(Path.of(file)).strip().split(":")));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Spark class path " + file, e);
    }
    return entries;
  }

  /**
   * Starts Spark with the given {@code spark.*} settings; its log goes to {@code dir/spark.log}.
   */
  static SparkProcess start(Map<String, String> settings, Path dir) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(Arrays.asList(System.getProperty("interop.spark.jvm-options", "").split(" ")));
    command.removeIf(String::isBlank);
    settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(String.join(":", classPath()));
    command.add("io.icecap.interop.spark.SparkSqlDriver");
    Path log = dir.resolve("spark.log");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    try {
      return new SparkProcess(process, log);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Spark's version, as the driver reported it. */
  String version() {
    return version;
  }

  /**
   * Runs one statement and returns its rows, each a list of column values as JSON.
   *
   * @throws SparkSqlException when Spark refused or failed the statement
   */
  List<List<JsonNode>> sql(String statement) {
    if (statement.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("One line per statement: " + statement);
    }
    try {
      in.write(statement);
      in.newLine();
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot send to Spark: " + statement + logTail(), e);
    }
    List<List<JsonNode>> rows = new ArrayList<>();
    while (true) {
      String line = next("run " + statement);
      if (line.startsWith("row ")) {
        rows.add(values(line.substring(4)));
      } else if (line.startsWith("done ")) {
        return rows;
      } else if (line.startsWith("error ")) {
        throw new SparkSqlException(statement, line.substring(6));
      }
      // anything else is output of Spark's own, not an answer
    }
  }

  private static List<JsonNode> values(String json) {
    try {
      List<JsonNode> values = new ArrayList<>();
      for (Iterator<JsonNode> it = JSON.readTree(json).elements(); it.hasNext(); ) {
        values.add(it.next());
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("Spark printed a row that is not JSON: " + json, e);
    }
  }

  private String next(String what) {
    try {
      String line = lines.poll(STATEMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException(
            "Spark did not " + what + " within " + STATEMENT_TIMEOUT_SECONDS + " s" + logTail());
      }
      if (line.equals("\u0000end")) {
        throw new IllegalStateException("Spark exited before it could " + what + logTail());
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Spark to " + what, e);
    }
  }

  private void readOutput() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the pipe broke with the process; what it printed until then was read
    } finally {
      lines.add("\u0000end");
    }
  }

  /** The last lines of Spark's log, for messages. */
  String logTail() {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "; Spark's log ends with:\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "; Spark's log " + log + " cannot be read: " + e.getMessage();
    }
  }

  /** Ends the input, so Spark stops itself; kills it when it does not within a minute. */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // the process is gone already
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Spark refused or failed a statement. */
  static final class SparkSqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SparkSqlException(String statement, String message) {
      super("Spark failed " + statement + ": " + message);
    }
  }
}
