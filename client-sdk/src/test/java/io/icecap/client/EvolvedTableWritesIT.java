package io.icecap.client;

import static io.icecap.testing.OtherEngineFiles.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.OtherEngineFiles;
import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writes through the SDK to tables that other engines changed: a partition spec changed with
 * Iceberg's API (a field added, removed, a spec changed back, a table partitioned and unpartitioned
 * again), delete files written with Iceberg's writers (merge-on-read), and a format v3 table. Every
 * write is applied or refused, never left pending; the rows are checked with Iceberg's own reader.
 */
class EvolvedTableWritesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final LocalDate D1 = LocalDate.parse("2026-11-20");
  private static final LocalDate D2 = LocalDate.parse("2026-11-21");
  private static final LocalDate D3 = LocalDate.parse("2026-11-22");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "day", Types.DateType.get()),
          Types.NestedField.optional(3, "v", Types.StringType.get()));

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;
  private Catalog catalog;

  @BeforeEach
  void setUp() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home)
                .withWorkers(1)
                .withWriteTimeout(Duration.ofSeconds(20)));
    session.execute("CREATE SCHEMA s");
    catalog = session.catalog();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void writesAfterAPartitionFieldIsAddedRewriteTheOlderSpecFiles() {
    Table table = create("t", PartitionSpec.builderFor(SCHEMA).identity("day").build(), 2);
    session.execute(
        "INSERT INTO s.t VALUES (1, DATE '2026-11-20', 'a'), (2, DATE '2026-11-20', 'b'),"
            + " (3, DATE '2026-11-20', 'c'), (4, DATE '2026-11-21', 'd'),"
            + " (5, DATE '2026-11-21', 'e'), (6, DATE '2026-11-21', 'f')");
    // as Spark's ALTER TABLE ... ADD PARTITION FIELD bucket(2, id) does
    table.refresh();
    table.updateSpec().addField(Expressions.bucket("id", 2)).commit();
    seenBySubmitters();

    assertThat(session.execute("INSERT INTO s.t VALUES (7, DATE '2026-11-20', 'g')")).isEqualTo(1);
    assertThat(session.execute("UPDATE s.t SET v = 'u' WHERE id = 2")).isEqualTo(1);
    assertThat(session.execute("DELETE FROM s.t WHERE id = 5")).isEqualTo(1);

    table.refresh();
    assertThat(rows(table))
        .containsExactly(
            "1,2026-11-20,a",
            "2,2026-11-20,u",
            "3,2026-11-20,c",
            "4,2026-11-21,d",
            "6,2026-11-21,f",
            "7,2026-11-20,g");
    assertOnlyCurrentSpecFiles(table);
    assertNothingPending("s.t");
    // a later write works on the rewritten partitions as on any others
    assertThat(session.execute("UPDATE s.t SET v = 'w' WHERE day = DATE '2026-11-21'"))
        .isEqualTo(2);
    table.refresh();
    assertThat(rows(table)).contains("4,2026-11-21,w", "6,2026-11-21,w");
  }

  @Test
  void anUnpartitionedTableThatBecomesPartitionedAndUnpartitionedAgainIsWritten() {
    Table table = create("u", PartitionSpec.unpartitioned(), 2);
    // rows written by another engine while the table is unpartitioned
    table
        .newAppend()
        .appendFile(
            OtherEngineFiles.data(
                table,
                null,
                FileFormat.PARQUET,
                List.of(
                    record(SCHEMA, 1L, D1, "a"),
                    record(SCHEMA, 2L, D2, "b"),
                    record(SCHEMA, 3L, D3, "c"))))
        .commit();
    session.execute("INSERT INTO s.u VALUES (4, DATE '2026-11-20', 'd')");
    table.refresh();
    table.updateSpec().addField("day").commit();
    seenBySubmitters();

    // an update with no partition predicate reaches the partitions that exist only in old files
    assertThat(session.execute("UPDATE s.u SET v = v || '!'")).isEqualTo(4);
    assertThat(session.execute("INSERT INTO s.u VALUES (5, DATE '2026-11-22', 'e')")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly(
            "1,2026-11-20,a!",
            "2,2026-11-21,b!",
            "3,2026-11-22,c!",
            "4,2026-11-20,d!",
            "5,2026-11-22,e");
    assertOnlyCurrentSpecFiles(table);
    assertThat(partitionsOfFiles(table))
        .containsExactlyInAnyOrder("day=2026-11-20", "day=2026-11-21", "day=2026-11-22");

    // and back: the partition field is removed again
    table.refresh();
    table.updateSpec().removeField("day").commit();
    seenBySubmitters();
    assertThat(table.spec().isPartitioned()).isFalse();
    assertThat(session.execute("DELETE FROM s.u WHERE id = 1")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("2,2026-11-21,b!", "3,2026-11-22,c!", "4,2026-11-20,d!", "5,2026-11-22,e");
    assertOnlyCurrentSpecFiles(table);
    assertNothingPending("s.u");
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"ORC", "AVRO"})
  void olderSpecFilesInOrcOrAvroAreRewrittenUnderAnAddedField(FileFormat format) {
    Table table = create("f", PartitionSpec.unpartitioned(), 2);
    // another engine's rows, written in ORC or Avro while the table is unpartitioned
    DataFile file =
        OtherEngineFiles.data(
            table,
            null,
            format,
            List.of(
                record(SCHEMA, 1L, D1, "a"),
                record(SCHEMA, 2L, D2, "b"),
                record(SCHEMA, 3L, D3, "c")));
    table.newAppend().appendFile(file).commit();
    table.refresh();
    table.updateSpec().addField("day").commit();
    seenBySubmitters();

    // the partitions of the older file's rows are read from its rows: every one is rewritten
    assertThat(session.execute("UPDATE s.f SET v = v || '!' WHERE id = 2")).isEqualTo(1);
    assertThat(session.execute("INSERT INTO s.f VALUES (4, DATE '2026-11-22', 'd')")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("1,2026-11-20,a", "2,2026-11-21,b!", "3,2026-11-22,c", "4,2026-11-22,d");
    assertOnlyCurrentSpecFiles(table);
    assertThat(partitionsOfFiles(table))
        .containsExactlyInAnyOrder("day=2026-11-20", "day=2026-11-21", "day=2026-11-22");
    assertNothingPending("s.f");
  }

  @Test
  void aFieldRemovedFromAVersion1SpecBecomesVoidAndTheTableIsWritten() {
    Table table =
        create("v1", PartitionSpec.builderFor(SCHEMA).identity("day").bucket("id", 2).build(), 1);
    session.execute(
        "INSERT INTO s.v1 VALUES (1, DATE '2026-11-20', 'a'), (2, DATE '2026-11-20', 'b'),"
            + " (3, DATE '2026-11-21', 'c')");
    // in format v1 a removed field stays in the spec with the void transform
    table.refresh();
    table.updateSpec().removeField(Expressions.bucket("id", 2)).commit();
    seenBySubmitters();
    assertThat(table.spec().fields()).anyMatch(f -> f.transform().isVoid());

    assertThat(session.execute("UPDATE s.v1 SET v = 'u' WHERE id = 1")).isEqualTo(1);
    assertThat(session.execute("INSERT INTO s.v1 VALUES (4, DATE '2026-11-21', 'd')")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("1,2026-11-20,u", "2,2026-11-20,b", "3,2026-11-21,c", "4,2026-11-21,d");
    assertOnlyCurrentSpecFiles(table);

    // the last field removed too: every field is void, and the table is one partition
    table.refresh();
    table.updateSpec().removeField("day").commit();
    seenBySubmitters();
    assertThat(table.spec().isPartitioned()).isFalse();
    assertThat(table.spec().fields()).hasSize(2);
    assertThat(session.execute("DELETE FROM s.v1 WHERE id = 2")).isEqualTo(1);
    assertThat(session.execute("INSERT INTO s.v1 VALUES (5, DATE '2026-11-22', 'e')")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("1,2026-11-20,u", "3,2026-11-21,c", "4,2026-11-21,d", "5,2026-11-22,e");
    assertOnlyCurrentSpecFiles(table);
    assertNothingPending("s.v1");
  }

  @Test
  void aSpecChangedBackToAnEarlierOneIsWritten() {
    Table table = create("back", PartitionSpec.builderFor(SCHEMA).identity("day").build(), 2);
    session.execute(
        "INSERT INTO s.back VALUES (1, DATE '2026-11-20', 'a'), (2, DATE '2026-11-21', 'b')");
    int first = table.spec().specId();
    table.refresh();
    table.updateSpec().addField(Expressions.bucket("id", 2)).commit();
    seenBySubmitters();
    // rows written by another engine under the second spec
    Record row = record(SCHEMA, 3L, D1, "c");
    PartitionKey key = OtherEngineFiles.partitionOf(table, row);
    table.refresh();
    table.newAppend().appendFile(OtherEngineFiles.data(table, key, List.of(row))).commit();
    table.refresh();
    table.updateSpec().removeField(Expressions.bucket("id", 2)).commit();
    seenBySubmitters();
    assertThat(table.spec().specId()).isEqualTo(first);

    assertThat(session.execute("UPDATE s.back SET v = v || '!' WHERE day = DATE '2026-11-20'"))
        .isEqualTo(2);
    assertThat(session.execute("INSERT INTO s.back VALUES (4, DATE '2026-11-21', 'd')"))
        .isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("1,2026-11-20,a!", "2,2026-11-21,b", "3,2026-11-20,c!", "4,2026-11-21,d");
    assertOnlyCurrentSpecFiles(table);
    assertNothingPending("s.back");
  }

  @Test
  void aRewrittenPartitionDropsTheDeleteFilesThatAppliedToItsFiles() {
    Table table = create("mor", PartitionSpec.builderFor(SCHEMA).identity("day").build(), 2);
    List<Record> day1 = new ArrayList<>();
    for (long id = 1; id <= 5; id++) {
      day1.add(record(SCHEMA, id, D1, "a" + id));
    }
    List<Record> day2 = List.of(record(SCHEMA, 6L, D2, "b6"), record(SCHEMA, 7L, D2, "b7"));
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, day1.get(0));
    PartitionKey p2 = OtherEngineFiles.partitionOf(table, day2.get(0));
    DataFile f1 = OtherEngineFiles.data(table, p1, day1);
    DataFile f2 = OtherEngineFiles.data(table, p2, day2);
    table.refresh();
    table.newAppend().appendFile(f1).appendFile(f2).commit();
    // another engine deletes id 1 by position, id 3 and id 7 by equality
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.positionDeletes(table, p1, f1.location(), 0))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p1, List.of("id"), List.of(record(SCHEMA.select("id"), 3L))))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p2, List.of("id"), List.of(record(SCHEMA.select("id"), 7L))))
        .commit();

    assertThat(session.execute("UPDATE s.mor SET v = 'u' WHERE id = 2 AND day = DATE '2026-11-20'"))
        .isEqualTo(1);
    // a row with the key of the equality delete, inserted after it, is not deleted by it
    assertThat(session.execute("INSERT INTO s.mor VALUES (3, DATE '2026-11-20', 'new')"))
        .isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly(
            "2,2026-11-20,u",
            "3,2026-11-20,new",
            "4,2026-11-20,a4",
            "5,2026-11-20,a5",
            "6,2026-11-21,b6");
    // the rewritten partition has no delete files left; the other keeps its own
    assertThat(deletesOf(table, "day=2026-11-20")).isEmpty();
    assertThat(deletesOf(table, "day=2026-11-21")).hasSize(1);
    assertNothingPending("s.mor");
  }

  @Test
  void aGlobalEqualityDeleteStaysWhileFilesOfOtherPartitionsNeedIt() {
    Table table = create("g", PartitionSpec.unpartitioned(), 2);
    PartitionSpec unpartitioned = table.spec();
    table
        .newAppend()
        .appendFile(
            OtherEngineFiles.data(
                table,
                null,
                FileFormat.PARQUET,
                List.of(record(SCHEMA, 1L, D1, "a"), record(SCHEMA, 2L, D1, "b"))))
        .commit();
    table.refresh();
    table.updateSpec().addField("day").commit();
    seenBySubmitters();
    Record three = record(SCHEMA, 3L, D1, "c");
    Record four = record(SCHEMA, 4L, D2, "d");
    Record five = record(SCHEMA, 5L, D2, "e");
    table
        .newAppend()
        .appendFile(
            OtherEngineFiles.data(
                table, OtherEngineFiles.partitionOf(table, three), List.of(three)))
        .appendFile(
            OtherEngineFiles.data(
                table, OtherEngineFiles.partitionOf(table, four), List.of(four, five)))
        .commit();
    // an equality delete of the unpartitioned spec applies to the files of every partition
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table,
                unpartitioned,
                null,
                List.of("id"),
                List.of(record(SCHEMA.select("id"), 2L), record(SCHEMA.select("id"), 4L))))
        .commit();
    assertThat(rows(table)).containsExactly("1,2026-11-20,a", "3,2026-11-20,c", "5,2026-11-21,e");

    // this rewrites day=2026-11-20 only: day=2026-11-21's file still needs the delete
    assertThat(session.execute("INSERT INTO s.g VALUES (6, DATE '2026-11-20', 'f')")).isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly("1,2026-11-20,a", "3,2026-11-20,c", "5,2026-11-21,e", "6,2026-11-20,f");
    assertOnlyCurrentSpecFiles(table);
    // a row inserted after the delete, with a deleted key, is not deleted by it
    assertThat(session.execute("INSERT INTO s.g VALUES (2, DATE '2026-11-20', 'again')"))
        .isEqualTo(1);
    table.refresh();
    assertThat(rows(table))
        .containsExactly(
            "1,2026-11-20,a",
            "2,2026-11-20,again",
            "3,2026-11-20,c",
            "5,2026-11-21,e",
            "6,2026-11-20,f");
    assertNothingPending("s.g");
  }

  @Test
  void aGlobalEqualityDeleteWrittenAfterTheSpecChangeStaysForTheOtherPartitions() {
    Table table = create("ge", PartitionSpec.unpartitioned(), 2);
    PartitionSpec unpartitioned = table.spec();
    table.updateSpec().addField("day").commit();
    seenBySubmitters();
    Record one = record(SCHEMA, 1L, D1, "a");
    Record two = record(SCHEMA, 2L, D1, "b");
    Record three = record(SCHEMA, 3L, D2, "c");
    Record four = record(SCHEMA, 4L, D2, "d");
    table
        .newAppend()
        .appendFile(
            OtherEngineFiles.data(
                table, OtherEngineFiles.partitionOf(table, one), List.of(one, two)))
        .appendFile(
            OtherEngineFiles.data(
                table, OtherEngineFiles.partitionOf(table, three), List.of(three, four)))
        .commit();
    // written under the unpartitioned spec (as a writer holding the old spec does): it applies to
    // the files of every partition
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table,
                unpartitioned,
                null,
                List.of("id"),
                List.of(record(SCHEMA.select("id"), 2L), record(SCHEMA.select("id"), 4L))))
        .commit();

    assertThat(session.execute("UPDATE s.ge SET v = 'u' WHERE id = 1 AND day = DATE '2026-11-20'"))
        .isEqualTo(1);
    table.refresh();
    assertThat(rows(table)).containsExactly("1,2026-11-20,u", "3,2026-11-21,c");
    assertThat(deletesOf(table, "day=2026-11-20")).isEmpty();
    assertThat(deletesOf(table, "day=2026-11-21")).hasSize(1);
    assertNothingPending("s.ge");
  }

  @Test
  void writesToAFormatVersion3TableAreRefusedAtSubmit() {
    create("v3", PartitionSpec.builderFor(SCHEMA).identity("day").build(), 3);
    assertThatThrownBy(() -> session.execute("INSERT INTO s.v3 VALUES (1, DATE '2026-11-20', 'a')"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageContaining("format version 3")
        .hasMessageContaining("row lineage");
    assertThat(session.logStatus("s.v3", 10).head()).isZero();
  }

  /**
   * Waits until the SDK validates writes against the table's new metadata: it refreshes a table's
   * metadata once a second, and a write validated against the spec before the change is aborted by
   * the worker with a message saying to submit it again.
   */
  private static void seenBySubmitters() {
    try {
      Thread.sleep(1_100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Table create(String name, PartitionSpec spec, int formatVersion) {
    return catalog
        .buildTable(TableIdentifier.of("s", name), SCHEMA)
        .withPartitionSpec(spec)
        .withProperty(TableProperties.FORMAT_VERSION, Integer.toString(formatVersion))
        .create();
  }

  private void assertNothingPending(String table) {
    LogStatus status = session.logStatus(table, 10);
    assertThat(status.pending()).isZero();
    assertThat(status.watermark()).isEqualTo(status.head());
  }

  private static void assertOnlyCurrentSpecFiles(Table table) {
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        assertThat(task.file().specId())
            .as("spec of %s", task.file().location())
            .isEqualTo(table.spec().specId());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> partitionsOfFiles(Table table) {
    List<String> partitions = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        partitions.add(table.spec().partitionToPath(task.file().partition()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return partitions;
  }

  private static List<DeleteFile> deletesOf(Table table, String partition) {
    List<DeleteFile> deletes = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (table.spec().partitionToPath(task.file().partition()).equals(partition)) {
          deletes.addAll(task.deletes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deletes;
  }

  /** The table's rows as Iceberg's own reader returns them: {@code id,day,v}, sorted. */
  private static List<String> rows(Table table) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows.add(record.getField("id") + "," + record.getField("day") + "," + record.getField("v"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }
}
