package io.icecap.interop.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application that runs the SQL statements of its standard input, one per line, in one
 * Spark session configured only by {@code spark.*} system properties (as {@code spark-submit
 * --conf} sets them). It answers each statement on standard output with a line {@code row <json>}
 * per result row and then {@code done <rows>}, or with {@code error <message>}; it prints {@code
 * ready <Spark version>} once the session is up and stops Spark at the end of its input.
 */
public final class SparkSqlDriver {
  private SparkSqlDriver() {}

  /**
   * Runs the driver.
   *
   * @param args none
   */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SparkSession spark = SparkSession.builder().appName("icecap-interop").getOrCreate();
    try {
      out.println("ready " + spark.version());
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        try {
          List<Row> rows = spark.sql(line).collectAsList();
          for (Row row : rows) {
            out.println("row " + row.json());
          }
          out.println("done " + rows.size());
        } catch (RuntimeException e) {
          out.println("error " + oneLine(e));
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static String oneLine(Throwable e) {
    StringBuilder text = new StringBuilder(e.getClass().getName() + ": " + e.getMessage());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append(" | caused by ").append(cause.getClass().getName()).append(": ");
      text.append(cause.getMessage());
    }
    return text.toString().replace('\n', ' ').replace('\r', ' ');
  }
}
