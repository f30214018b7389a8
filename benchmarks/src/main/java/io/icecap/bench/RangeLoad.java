package io.icecap.bench;

import io.icecap.replica.ParquetReplicaWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;

/**
 * Loads generated rows held in DuckDB into an Iceberg table partitioned by {@code truncate(width,
 * id)}: each range of ids written as Parquet by Icecap's replica writer (field ids, metrics, upload
 * through the table's FileIO), all of them committed as one append. Loading a benchmark's table
 * this way takes seconds where the write path would take its time per row.
 */
final class RangeLoad {
  private RangeLoad() {}

  /**
   * Loads ids {@code [0, rows)} of {@code select} into the table.
   *
   * @param source the DuckDB connection that can run {@code select}
   * @param select a {@code SELECT} of exactly the table's columns, without {@code WHERE}
   * @param table a table whose only partition field is {@code truncate(width, id)}
   * @param staging a local directory for the writer's staged files
   * @return the committed data files
   */
  static List<DataFile> load(
      Connection source, String select, Table table, long rows, long width, Path staging)
      throws IOException {
    Files.createDirectories(staging);
    ParquetReplicaWriter writer = new ParquetReplicaWriter(staging);
    List<DataFile> files = new ArrayList<>();
    for (long low = 0; low < rows; low += width) {
      GenericRecord partition = GenericRecord.create(table.spec().partitionType());
      partition.set(0, low);
      long high = Math.min(rows, low + width);
      files.addAll(
          writer.write(
              source,
              "(" + select + " WHERE id >= " + low + " AND id < " + high + ")",
              table,
              partition));
    }
    append(table, files);
    return files;
  }

  /** Commits the files as one append. */
  static void append(Table table, List<DataFile> files) {
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
  }
}
