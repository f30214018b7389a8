package io.icecap.bench;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.ParquetReplicaWriter;
import io.icecap.txn.record.ReplicaEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;

/**
 * The parts of one partition's checkpoint, each done again on its own, untimed by the worker: what
 * fetching the partition's DuckDB replica costs a worker whose cache does not hold it, and, of what
 * the checkpoint writes, the Parquet export (DuckDB {@code COPY}, metrics, upload) and the upload
 * of the DuckDB replica file. What is written is deleted again; nothing is committed.
 */
final class CheckpointParts {
  /**
   * The parts' times.
   *
   * @param fetchNanos downloading the replica from the object store and opening it in DuckDB
   * @param exportNanos writing the partition as Parquet data files with Iceberg metrics, uploaded
   * @param uploadNanos uploading the DuckDB replica file
   * @param duckdbBytes the replica file's bytes
   * @param parquetBytes the exported files' bytes
   * @param threads the DuckDB threads of the export, as the worker gives one partition
   */
  record Parts(
      long fetchNanos,
      long exportNanos,
      long uploadNanos,
      long duckdbBytes,
      long parquetBytes,
      int threads) {}

  private CheckpointParts() {}

  /**
   * Measures the parts on the replica named by {@code entry}.
   *
   * @param partition the partition's values
   * @param threads DuckDB threads for the export
   * @param dir a local directory of its own, emptied afterwards
   */
  static Parts measure(Table table, ReplicaEntry entry, StructLike partition, int threads, Path dir)
      throws IOException, SQLException {
    Files.createDirectories(dir);
    Path copy = dir.resolve("replica.duckdb");
    try {
      long start = System.nanoTime();
      try (InputStream in = table.io().newInputFile(entry.duckdb()).newStream()) {
        Files.copy(in, copy);
      }
      try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + copy)) {
        long fetched = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET threads = " + threads);
        }
        Path staging = Files.createDirectories(dir.resolve("staging"));
        long exportStart = System.nanoTime();
        List<DataFile> files =
            new ParquetReplicaWriter(staging)
                .write(connection, DuckDbReplica.ROWS, table, partition);
        long exported = System.nanoTime();
        long parquetBytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
        files.forEach(file -> table.io().deleteFile(file.location()));

        String location = table.location() + "/icecap/bench-parts/" + UUID.randomUUID() + ".duckdb";
        long uploadStart = System.nanoTime();
        long bytes;
        try (InputStream in = Files.newInputStream(copy);
            OutputStream out = table.io().newOutputFile(location).createOrOverwrite()) {
          bytes = in.transferTo(out);
        }
        long uploaded = System.nanoTime();
        table.io().deleteFile(location);
        return new Parts(
            fetched - start,
            exported - exportStart,
            uploaded - uploadStart,
            bytes,
            parquetBytes,
            threads);
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }
}
