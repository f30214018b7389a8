package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A table on the S3 API whose partition spec changes (bucket(4, id) to bucket(2, id)) after Icecap
 * or another engine (in ORC or Avro) wrote it: the next job downloads the older-spec files (ORC and
 * Avro ones converted to Parquet), finds the current partitions their rows fall into, and rewrites
 * all of them in one snapshot.
 */
class SpecChangeOnS3IT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");

  @TempDir Path work;
  private S3WritePath path;
  private Worker worker;

  @BeforeEach
  void setUp() {
    path = S3WritePath.start(REDIS, S3.server(), work, properties -> S3WritePath.NO_INVOKER);
    path.createItems(ITEMS);
    worker =
        new Worker(
            path.catalog,
            path.logs,
            WorkerSettings.defaults("w1", work.resolve("w1")),
            JobHooks.NONE);
  }

  @AfterEach
  void tearDown() {
    worker.close();
    path.close();
  }

  @Test
  void theFirstWriteAfterASpecChangeRewritesTheOlderSpecFiles() throws Exception {
    for (long id = 1; id <= 8; id++) {
      path.insert(ITEMS, id);
    }
    assertThat(worker.apply(ITEMS)).isFalse();
    Table table = path.catalog.loadTable(ITEMS);
    table
        .updateSpec()
        .removeField(Expressions.bucket("id", 4))
        .addField(Expressions.bucket("id", 2))
        .commit();
    Thread.sleep(1_100); // the orchestrator refreshes a table's metadata once a second

    CommitToken insert = path.insert(ITEMS, 9);
    CommitToken update =
        path.orchestrator.submit(
            ITEMS, List.of(SqlStatement.of("UPDATE items SET v = 'x' WHERE id = ?", 3L)));
    assertThat(worker.apply(ITEMS)).as("records pending after the job").isFalse();

    assertThat(path.orchestrator.await(insert, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    assertThat(path.orchestrator.await(update, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    List<String> expected =
        S3WritePath.expectedRows(LongStream.rangeClosed(1, 9)).stream()
            .map(row -> row.equals("3,v3") ? "3,x" : row)
            .toList();
    assertThat(path.rows(ITEMS)).containsExactlyElementsOf(expected);
    table.refresh();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        assertThat(task.file().specId()).isEqualTo(table.spec().specId());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"ORC", "AVRO"})
  void olderSpecFilesOfAnotherEngineInOrcOrAvroAreReadFromS3(FileFormat format) throws Exception {
    Table table = path.catalog.loadTable(ITEMS);
    // another engine's files, one per bucket, written under the first spec
    Map<String, List<Record>> byBucket = new TreeMap<>();
    Map<String, PartitionKey> keys = new TreeMap<>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    for (long id = 1; id <= 8; id++) {
      Record row = GenericRecord.create(table.schema());
      row.setField("id", id);
      row.setField("v", "v" + id);
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(wrapper.wrap(row));
      keys.putIfAbsent(key.toPath(), key);
      byBucket.computeIfAbsent(key.toPath(), k -> new ArrayList<>()).add(row);
    }
    AppendFiles append = table.newAppend();
    for (Map.Entry<String, List<Record>> bucket : byBucket.entrySet()) {
      append.appendFile(dataFile(table, format, keys.get(bucket.getKey()), bucket.getValue()));
    }
    append.commit();
    table.refresh();
    table
        .updateSpec()
        .removeField(Expressions.bucket("id", 4))
        .addField(Expressions.bucket("id", 2))
        .commit();
    Thread.sleep(1_100); // the orchestrator refreshes a table's metadata once a second

    CommitToken insert = path.insert(ITEMS, 9);
    CommitToken update =
        path.orchestrator.submit(
            ITEMS, List.of(SqlStatement.of("UPDATE items SET v = 'x' WHERE id = ?", 3L)));
    assertThat(worker.apply(ITEMS)).as("records pending after the job").isFalse();

    assertThat(path.orchestrator.await(insert, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    assertThat(path.orchestrator.await(update, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    assertThat(path.rows(ITEMS))
        .containsExactlyElementsOf(
            S3WritePath.expectedRows(LongStream.rangeClosed(1, 9)).stream()
                .map(row -> row.equals("3,v3") ? "3,x" : row)
                .toList());
    table.refresh();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        assertThat(task.file().specId()).isEqualTo(table.spec().specId());
        assertThat(task.file().format()).isEqualTo(FileFormat.PARQUET);
      }
    }
  }

  private static DataFile dataFile(
      Table table, FileFormat format, PartitionKey partition, List<Record> rows)
      throws IOException {
    String name = UUID.randomUUID() + "." + format.name().toLowerCase(Locale.ROOT);
    EncryptedOutputFile output =
        EncryptedFiles.plainAsEncryptedOutput(
            table
                .io()
                .newOutputFile(
                    table.locationProvider().newDataLocation(table.spec(), partition, name)));
    DataWriter<Record> writer =
        new GenericAppenderFactory(table.schema(), table.spec())
            .newDataWriter(output, format, partition);
    try (writer) {
      rows.forEach(writer::write);
    }
    return writer.toDataFile();
  }
}
