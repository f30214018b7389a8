package io.icecap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a run measured on, and the versions that matter to its figures.
 *
 * @param cores processors available to the JVM
 * @param cpu the processor model, or "unknown"
 * @param memoryBytes physical memory
 * @param os operating system name, version and architecture
 * @param java Java runtime version and VM
 * @param duckdb DuckDB library version and source id
 * @param duckdbThreads the threads DuckDB runs a query with
 */
record Machine(
    int cores,
    String cpu,
    long memoryBytes,
    String os,
    String java,
    String duckdb,
    int duckdbThreads) {

  /** Cores, processor, memory and operating system, as the reports' header line shows them. */
  String summary() {
    return String.format(
        "%d cores (%s), %.1f GiB memory, %s", cores, cpu, memoryBytes / (double) (1L << 30), os);
  }

  /** Describes this machine; {@code duckdb} is an open connection to ask DuckDB's version. */
  static Machine describe(Connection duckdb) throws SQLException {
    String version;
    int threads;
    try (Statement statement = duckdb.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT library_version, source_id, current_setting('threads') FROM"
                    + " pragma_version()")) {
      row.next();
      version = row.getString(1) + " (" + row.getString(2) + ")";
      threads = row.getInt(3);
    }
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        cpuModel().orElse("unknown"),
        totalMemoryBytes(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.runtime.version") + " " + System.getProperty("java.vm.name"),
        version,
        threads);
  }

  private static long totalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static Optional<String> cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
