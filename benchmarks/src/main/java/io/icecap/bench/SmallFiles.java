package io.icecap.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * The compaction benchmark's tables: many small appends, as a streaming writer leaves them, each
 * with one small Parquet file per partition, written with Iceberg's generic writer and committed
 * one append at a time.
 */
final class SmallFiles {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "part", Types.IntegerType.get()),
          Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
          Types.NestedField.optional(4, "amount", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(5, "note", Types.StringType.get()),
          Types.NestedField.optional(6, "updated_at", Types.TimestampType.withoutZone()));

  static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("part").build();

  private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);

  private SmallFiles() {}

  /**
   * The rows of one append: ids {@code append * rowsPerAppend} on, {@code part = id % partitions},
   * the other columns from a random stream seeded by the seed and the append, 5% of them null.
   */
  static List<Record> rows(CompactionOptions options, int append) {
    SplittableRandom random = new SplittableRandom(options.seed() * 1_000_003L + append);
    List<Record> rows = new ArrayList<>(options.rowsPerAppend());
    long first = (long) append * options.rowsPerAppend();
    for (long id = first; id < first + options.rowsPerAppend(); id++) {
      GenericRecord row = GenericRecord.create(SCHEMA);
      row.set(0, id);
      row.set(1, (int) (id % options.partitions()));
      row.set(2, random.nextInt(20) == 0 ? null : random.nextInt(1_000));
      row.set(3, BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2));
      row.set(4, random.nextInt(20) == 0 ? null : "note-" + Long.toHexString(random.nextLong()));
      row.set(5, EPOCH.plusNanos(random.nextLong(365L * 86_400_000_000L) * 1_000));
      rows.add(row);
    }
    return rows;
  }

  /** Appends the rows to the table: one file per partition, one commit. */
  static void append(Table table, List<Record> rows, int partitions) throws IOException {
    List<List<Record>> byPartition = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      byPartition.add(new ArrayList<>());
    }
    for (Record row : rows) {
      byPartition.get((Integer) row.get(1)).add(row);
    }
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    AppendFiles append = table.newAppend();
    for (int p = 0; p < partitions; p++) {
      if (byPartition.get(p).isEmpty()) {
        continue;
      }
      GenericRecord partition = GenericRecord.create(table.spec().partitionType());
      partition.set(0, p);
      DataWriter<Record> writer =
          factory.newDataWriter(output(table, partition), FileFormat.PARQUET, partition);
      try (writer) {
        byPartition.get(p).forEach(writer::write);
      }
      append.appendFile(writer.toDataFile());
    }
    append.commit();
  }

  /** A new data file's location in the table, in the partition's directory. */
  static EncryptedOutputFile output(Table table, StructLike partition) {
    return EncryptedFiles.plainAsEncryptedOutput(
        table
            .io()
            .newOutputFile(
                table
                    .locationProvider()
                    .newDataLocation(table.spec(), partition, UUID.randomUUID() + ".parquet")));
  }

  /** The data files of the table's current snapshot, and their bytes. */
  static long[] liveFiles(Table table) {
    table.refresh();
    long files = 0;
    long bytes = 0;
    try (var tasks = table.newScan().planFiles()) {
      for (var task : tasks) {
        DataFile file = task.file();
        files++;
        bytes += file.fileSizeInBytes();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new long[] {files, bytes};
  }
}
