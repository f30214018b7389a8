package io.icecap.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;

/**
 * Compaction done by hand with the Iceberg Java API, as a team without Spark writes it: every
 * partition with more than one data file is read whole with Iceberg's generic reader and written
 * back as Parquet files of the table's target size with its generic writer; one {@link
 * RewriteFiles} commit swaps the files of every partition. Identity partitions only (the
 * benchmark's table), so a partition is read with a filter on its source columns.
 */
final class IcebergRewrite {
  /** How often (in rows) a writer checks whether its file reached the target size. */
  private static final int SIZE_CHECK_ROWS = 1_000;

  /**
   * What one rewrite did.
   *
   * @param partitions partitions rewritten
   * @param filesRemoved data files replaced
   * @param filesWritten data files written
   * @param bytesWritten their bytes
   */
  record Outcome(int partitions, int filesRemoved, int filesWritten, long bytesWritten) {}

  private IcebergRewrite() {}

  /** Rewrites the table's partitions that have more than one data file, in one commit. */
  static Outcome run(Table table, long targetFileSizeBytes) throws IOException {
    table.refresh();
    long snapshotId = table.currentSnapshot().snapshotId();
    Map<String, List<DataFile>> byPartition = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new IllegalStateException(
              "Cannot rewrite "
                  + table.name()
                  + " by hand: "
                  + task.file().location()
                  + " has delete files, which this rewrite does not apply");
        }
        DataFile file = task.file().copy();
        byPartition
            .computeIfAbsent(table.spec().partitionToPath(file.partition()), k -> new ArrayList<>())
            .add(file);
      }
    }
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(snapshotId);
    int partitions = 0;
    int removed = 0;
    List<DataFile> written = new ArrayList<>();
    for (List<DataFile> files : byPartition.values()) {
      if (files.size() < 2) {
        continue;
      }
      partitions++;
      StructLike partition = files.get(0).partition();
      List<DataFile> replacements =
          writePartition(table, factory, partition, snapshotId, targetFileSizeBytes);
      files.forEach(rewrite::deleteFile);
      removed += files.size();
      replacements.forEach(rewrite::addFile);
      written.addAll(replacements);
    }
    if (partitions > 0) {
      rewrite.commit();
    }
    return new Outcome(
        partitions,
        removed,
        written.size(),
        written.stream().mapToLong(DataFile::fileSizeInBytes).sum());
  }

  private static List<DataFile> writePartition(
      Table table,
      GenericAppenderFactory factory,
      StructLike partition,
      long snapshotId,
      long targetFileSizeBytes)
      throws IOException {
    List<DataFile> files = new ArrayList<>();
    DataWriter<Record> writer = null;
    long rows = 0;
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table)
            .useSnapshot(snapshotId)
            .where(filter(table, partition))
            .build()) {
      for (Record record : records) {
        if (writer == null) {
          writer =
              factory.newDataWriter(
                  SmallFiles.output(table, partition), FileFormat.PARQUET, partition);
        }
        writer.write(record);
        if (++rows % SIZE_CHECK_ROWS == 0 && writer.length() >= targetFileSizeBytes) {
          writer.close();
          files.add(writer.toDataFile());
          writer = null;
        }
      }
    } finally {
      if (writer != null) {
        writer.close();
        files.add(writer.toDataFile());
      }
    }
    return files;
  }

  /** The rows of one partition: its source columns equal to its identity values. */
  private static Expression filter(Table table, StructLike partition) {
    Expression filter = Expressions.alwaysTrue();
    List<PartitionField> fields = table.spec().fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (!field.transform().isIdentity()) {
        throw new IllegalArgumentException(
            "Cannot rewrite "
                + table.name()
                + " by hand: partition field "
                + field.name()
                + " is "
                + field.transform()
                + ", only identity partitions are read by a filter");
      }
      String column = table.schema().findColumnName(field.sourceId());
      Object value = partition.get(i, Object.class);
      filter =
          Expressions.and(
              filter,
              value == null ? Expressions.isNull(column) : Expressions.equal(column, value));
    }
    return filter;
  }
}
