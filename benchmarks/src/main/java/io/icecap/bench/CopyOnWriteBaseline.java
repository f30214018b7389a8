package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ApplyWorkload.Update;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The same updates as a copy-on-write writer makes them with the Iceberg Java API: every partition
 * the updates touch is read with Iceberg's generic reader ({@link IcebergGenerics}), each row
 * passed through the updates of its id (in log order), and written to one new Parquet data file per
 * partition; one {@code OverwriteFiles} replaces the old files with the new ones, validated from
 * the snapshot read. Partitions are rewritten in parallel, on as many threads as the worker has
 * partition threads.
 */
final class CopyOnWriteBaseline {
  /**
   * What the rewrite did.
   *
   * @param nanos from planning to the commit's return
   * @param rewriteNanos planning, then reading, updating and writing the partitions
   * @param commitNanos the {@code OverwriteFiles} commit
   * @param partitions partitions rewritten
   * @param filesRead data files read
   * @param bytesRead their bytes
   * @param filesWritten data files written
   * @param bytesWritten their bytes
   * @param rows rows read and written
   * @param threads the threads the partitions were rewritten on
   */
  record Result(
      long nanos,
      long rewriteNanos,
      long commitNanos,
      int partitions,
      int filesRead,
      long bytesRead,
      int filesWritten,
      long bytesWritten,
      long rows,
      int threads) {}

  /** One partition's rewrite: the files it replaced, the one it wrote, the rows. */
  private record Rewritten(List<DataFile> replaced, DataFile written, long rows) {}

  private final Table table;
  private final int threads;

  CopyOnWriteBaseline(Table table, int threads) {
    this.table = requireNonNull(table, "table is null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    this.threads = threads;
  }

  /** Rewrites the partitions of the updates' ids, in ranges of {@code width} ids, and commits. */
  Result run(List<Update> updates, long width) throws InterruptedException {
    long start = System.nanoTime();
    table.refresh();
    Snapshot base = table.currentSnapshot();
    Map<Long, Map<Long, List<Update>>> byPartition = new TreeMap<>();
    for (Update update : updates) {
      byPartition
          .computeIfAbsent(ApplyWorkload.partitionOf(update.id(), width), p -> new HashMap<>())
          .computeIfAbsent(update.id(), id -> new ArrayList<>())
          .add(update);
    }
    Map<Long, List<DataFile>> files = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new IllegalStateException(
              "Cannot rewrite " + task.file().location() + ": it has delete files");
        }
        Long partition = task.file().partition().get(0, Long.class);
        if (byPartition.containsKey(partition)) {
          files.computeIfAbsent(partition, p -> new ArrayList<>()).add(task.file());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
    }

    List<Rewritten> rewritten = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Rewritten>> futures = new ArrayList<>();
      int task = 0;
      for (Map.Entry<Long, List<DataFile>> partition : files.entrySet()) {
        int taskId = task++;
        Map<Long, List<Update>> partitionUpdates = byPartition.get(partition.getKey());
        long low = partition.getKey();
        long snapshot = base.snapshotId();
        futures.add(
            pool.submit(
                () ->
                    rewrite(partition.getValue(), low, width, partitionUpdates, snapshot, taskId)));
      }
      for (Future<Rewritten> future : futures) {
        rewritten.add(future.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot rewrite the partitions of " + table.name() + ": " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long committing = System.nanoTime();

    OverwriteFiles overwrite = table.newOverwrite();
    int filesRead = 0;
    long bytesRead = 0;
    long bytesWritten = 0;
    long rows = 0;
    for (Rewritten partition : rewritten) {
      for (DataFile file : partition.replaced()) {
        overwrite.deleteFile(file);
        filesRead++;
        bytesRead += file.fileSizeInBytes();
      }
      overwrite.addFile(partition.written());
      bytesWritten += partition.written().fileSizeInBytes();
      rows += partition.rows();
    }
    overwrite
        .validateFromSnapshot(base.snapshotId())
        .validateNoConflictingData()
        .validateNoConflictingDeletes()
        .commit();
    long end = System.nanoTime();
    return new Result(
        end - start,
        committing - start,
        end - committing,
        rewritten.size(),
        filesRead,
        bytesRead,
        rewritten.size(),
        bytesWritten,
        rows,
        threads);
  }

  /**
   * Reads the partition's rows as of {@code base} with Iceberg's generic reader, updates them,
   * writes them to one new file.
   */
  private Rewritten rewrite(
      List<DataFile> files,
      long low,
      long width,
      Map<Long, List<Update>> updates,
      long base,
      int taskId)
      throws IOException {
    StructLike partition = files.get(0).partition();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory outputs =
        OutputFileFactory.builderFor(table, 1, taskId).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer =
        writers.newDataWriter(
            outputs.newOutputFile(table.spec(), partition), table.spec(), partition);
    long rows = 0;
    try (writer;
        CloseableIterable<Record> records =
            IcebergGenerics.read(table)
                .useSnapshot(base)
                .where(
                    Expressions.and(
                        Expressions.greaterThanOrEqual("id", low),
                        Expressions.lessThan("id", low + width)))
                .build()) {
      for (Record record : records) {
        List<Update> changes = updates.get((Long) record.getField("id"));
        if (changes != null) {
          for (Update change : changes) {
            apply(record, change);
          }
        }
        writer.write(record);
        rows++;
      }
    }
    return new Rewritten(files, writer.toDataFile(), rows);
  }

  private static void apply(Record record, Update update) {
    if (update.increment()) {
      record.setField("qty", (Integer) record.getField("qty") + update.delta());
    } else {
      record.setField("amount", update.amount());
      record.setField("updated_at", update.updatedAt());
    }
  }
}
