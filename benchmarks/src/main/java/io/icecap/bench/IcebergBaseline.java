package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Baseline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The same single-row writes committed directly with the Iceberg Java API, one commit each, as a
 * writer without a log would: an INSERT writes a one-row Parquet data file and commits it with
 * {@code newAppend()}; an UPDATE writes a one-row equality delete file on (id, part) and a one-row
 * data file with the row's new values, and commits both with {@code newRowDelta()} (a blind upsert:
 * it does not read the old row, so it does less than {@code qty = qty + ?} needs). Files go through
 * the table's FileIO to the same warehouse, the commit through the same Redis catalog.
 */
final class IcebergBaseline {
  private static final LocalDateTime START = LocalDateTime.of(2026, 1, 1, 0, 0);

  private final Table table;
  private final PrintStream progress;
  private final GenericFileWriterFactory writers;
  private final OutputFileFactory files;
  private final Schema deleteSchema;
  private final List<Long> ids = new ArrayList<>();

  IcebergBaseline(Table table, PrintStream progress) {
    this.table = requireNonNull(table, "table is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.deleteSchema = table.schema().select("id", "part");
    this.writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .deleteFileFormat(FileFormat.PARQUET)
            .equalityFieldIds(
                new int[] {
                  table.schema().findField("id").fieldId(),
                  table.schema().findField("part").fieldId()
                })
            .equalityDeleteRowSchema(deleteSchema)
            .build();
    this.files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
  }

  /**
   * Commits {@code warmups} then {@code commits} appends and as many row deltas, alternating, and
   * times each from the first byte written to the commit's return.
   */
  Baseline run(int warmups, int commits, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 31 + 11);
    long[] appends = new long[commits];
    long[] deltas = new long[commits];
    for (int i = -warmups; i < commits; i++) {
      long append = append(random);
      long delta = upsert(random);
      if (i >= 0) {
        appends[i] = append;
        deltas[i] = delta;
      }
      if (i >= 0 && (i + 1) % 50 == 0) {
        progress.printf("  baseline %d/%d commits of each kind%n", i + 1, commits);
      }
    }
    table.refresh();
    return new Baseline(
        warmups,
        Latencies.of(appends),
        Latencies.of(deltas),
        WriteBenchmark.snapshotCount(table),
        Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "-1")),
        Long.parseLong(
            table.currentSnapshot().summary().getOrDefault("total-equality-deletes", "-1")));
  }

  private long append(SplittableRandom random) {
    long id = ids.size();
    Record row = row(id, random.nextInt(1_000), random);
    long start = System.nanoTime();
    DataFile file = write(row);
    table.newAppend().appendFile(file).commit();
    long nanos = System.nanoTime() - start;
    ids.add(id);
    return nanos;
  }

  private long upsert(SplittableRandom random) {
    long id = ids.get(random.nextInt(ids.size()));
    Record row = row(id, random.nextInt(1_000), random);
    Record key = GenericRecord.create(deleteSchema);
    key.setField("id", id);
    key.setField("part", WriteWorkload.part(id));
    long start = System.nanoTime();
    PartitionKey partition = partition(row);
    EqualityDeleteWriter<Record> deleteWriter =
        writers.newEqualityDeleteWriter(output(partition), table.spec(), partition);
    try (deleteWriter) {
      deleteWriter.write(key);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write an equality delete file", e);
    }
    DeleteFile delete = deleteWriter.toDeleteFile();
    DataFile file = write(row);
    table.newRowDelta().addRows(file).addDeletes(delete).commit();
    return System.nanoTime() - start;
  }

  private DataFile write(Record row) {
    PartitionKey partition = partition(row);
    DataWriter<Record> writer = writers.newDataWriter(output(partition), table.spec(), partition);
    try (writer) {
      writer.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a data file", e);
    }
    return writer.toDataFile();
  }

  private EncryptedOutputFile output(PartitionKey partition) {
    return files.newOutputFile(table.spec(), partition);
  }

  private PartitionKey partition(Record row) {
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(row);
    return key;
  }

  private Record row(long id, int qty, SplittableRandom random) {
    Record row = GenericRecord.create(table.schema());
    row.setField("id", id);
    row.setField("part", WriteWorkload.part(id));
    row.setField("qty", qty);
    row.setField("note", "note-" + Long.toHexString(random.nextLong()));
    row.setField("updated_at", START.plusNanos(random.nextLong(365L * 86_400_000_000L) * 1000));
    return row;
  }
}
