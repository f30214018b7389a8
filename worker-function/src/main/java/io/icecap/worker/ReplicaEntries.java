package io.icecap.worker;

import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads entries of a table's replica map, which is kept in Redis and so is as untrusted as the log:
 * an entry is used only when it decodes, names a replica file under the table's own replica
 * location, and names its own partition. Any other entry is ignored (the partition's replica is
 * then built from its Iceberg files), with one warning.
 */
public final class ReplicaEntries {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaEntries.class);

  private ReplicaEntries() {}

  /** Where a table's DuckDB replicas live. */
  static String location(Table table) {
    return JobFiles.replicaLocation(table);
  }

  /**
   * The replica file a replica map value names, when it decodes and the file is a replica under the
   * table's own replica location; else null, without a warning (for clean-up, which must never
   * delete or keep a file because an entry names it outside the table's replicas).
   */
  public static String replicaFile(Table table, String value) {
    if (value == null) {
      return null;
    }
    try {
      String file = RecordCodec.decode(value, ReplicaEntry.class, "replica entry").duckdb();
      return isReplicaFile(table, file) ? file : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isReplicaFile(Table table, String file) {
    return file != null
        && file.startsWith(location(table))
        && !file.contains("/../")
        && !file.contains("/./")
        && file.endsWith(".duckdb");
  }

  /** The entry of partition {@code key}, or null when it is missing or cannot be used. */
  static ReplicaEntry decode(Table table, String key, String value) {
    if (value == null) {
      return null;
    }
    try {
      ReplicaEntry entry =
          RecordCodec.decode(
              value, ReplicaEntry.class, "replica entry " + key + " of " + table.name());
      String problem = problem(table, key, entry);
      if (problem == null) {
        return entry;
      }
      LOG.warn(
          "Ignoring the replica entry of partition {} of {}: {}; the partition is built from its"
              + " Iceberg files",
          key,
          table.name(),
          problem);
    } catch (IllegalStateException e) {
      LOG.warn("Ignoring a replica entry: {}", e.getMessage());
    }
    return null;
  }

  private static String problem(Table table, String key, ReplicaEntry entry) {
    String prefix = location(table);
    String file = entry.duckdb();
    if (!isReplicaFile(table, file)) {
      return "its replica " + file + " is not under " + prefix;
    }
    if (entry.specId() != table.spec().specId()) {
      return null; // an entry of another spec is not used for this one
    }
    PartitionSpec spec = table.spec();
    try {
      if (!PartitionValues.key(spec, PartitionValues.fromJson(spec, entry.partition()))
          .equals(key)) {
        return "its partition values are those of another partition";
      }
    } catch (RuntimeException e) {
      return "its partition values do not fit the partition spec: " + e.getMessage();
    }
    return null;
  }
}
