package io.icecap.bench;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A further engine that compacts an identical copy of the compaction benchmark's table in the same
 * run, found on the class path with {@link java.util.ServiceLoader} (the {@code spark} profile's
 * module provides Spark's {@code rewrite_data_files}).
 */
public interface CompactionBaseline extends AutoCloseable {
  /**
   * What one compaction did, as the engine says.
   *
   * @param filesWritten data files written, or -1 when the engine does not say
   * @param bytesWritten their bytes, or -1 when the engine does not say
   */
  record Outcome(long filesWritten, long bytesWritten) {}

  /** Its name in the report, e.g. {@code "Spark rewrite_data_files"}. */
  String name();

  /**
   * The name of its copy of the table in the namespace {@code bench}, e.g. {@code "compact_spark"}.
   */
  String tableName();

  /**
   * Gets ready to compact tables of the catalog (starts the engine); not timed.
   *
   * @param catalogName the catalog's name, the prefix of its Redis keys
   * @param catalogProperties the catalog's properties (its Redis {@code uri} and {@code warehouse})
   * @param dir a scratch directory of its own
   */
  void start(String catalogName, Map<String, String> catalogProperties, Path dir) throws Exception;

  /** Compacts the table; timed from the call to its return. */
  Outcome compact(TableIdentifier table) throws Exception;
}
