package io.icecap.txn.record;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A partition's entry in the replica map: its DuckDB replica and what that replica reflects.
 *
 * @param duckdb the location of the DuckDB replica file
 * @param sequence the last log sequence number applied to it
 * @param files a digest of the partition's data and delete files in the snapshot the replica
 *     matches; a replica is used only while the table's files of the partition have this digest
 * @param schemaId the schema of the replica's columns
 * @param specId the partition spec
 * @param partition the partition's values in Iceberg's single-value JSON form
 * @param rows the partition's row count
 * @param bytes the replica file's size
 */
public record ReplicaEntry(
    String duckdb,
    long sequence,
    String files,
    int schemaId,
    int specId,
    List<String> partition,
    long rows,
    long bytes) {
  /** Checks and copies the values. */
  public ReplicaEntry {
    requireNonNull(duckdb, "duckdb is null");
    requireNonNull(files, "files is null");
    partition = List.copyOf(partition);
  }
}
