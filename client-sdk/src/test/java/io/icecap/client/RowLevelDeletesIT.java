package io.icecap.client;

import static io.icecap.testing.OtherEngineFiles.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.OtherEngineFiles;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
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
 * Tables written by other engines, with Iceberg's Java writers: position deletes, equality deletes
 * (also after their column was renamed), format v3 deletion vectors, and Parquet, ORC and Avro
 * files. A query gives, at the latest snapshot and at every older one, exactly the rows Iceberg's
 * own generic reader gives.
 */
class RowLevelDeletesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier EVENTS = TableIdentifier.of("lake", "events");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "k", Types.IntegerType.get()));

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA lake");
  }

  @AfterEach
  void close() {
    session.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "ORC", "AVRO"})
  void positionAndEqualityDeletesApplyAtEverySnapshot(FileFormat format) throws Exception {
    Table table = create("2");
    DataFile first = OtherEngineFiles.data(table, null, format, rows(0, 100));
    table.newAppend().appendFile(first).commit();
    long appended = table.currentSnapshot().snapshotId();
    Instant afterAppend = Instant.ofEpochMilli(table.currentSnapshot().timestampMillis() + 1);
    Thread.sleep(5);

    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.positionDeletes(table, null, format, first.location(), 3, 10, 99))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table,
                null,
                format,
                List.of("name"),
                List.of(record(table.schema().select("name"), "n5"))))
        .commit();
    long deleted = table.currentSnapshot().snapshotId();
    String afterDeletes =
        LocalDateTime.ofInstant(
                Instant.ofEpochMilli(table.currentSnapshot().timestampMillis() + 1), ZoneOffset.UTC)
            .toString();
    Thread.sleep(5);

    // appended after the equality delete: its "n5" rows stay (a later sequence number)
    DataFile second = OtherEngineFiles.data(table, null, format, rows(100, 120));
    table.newAppend().appendFile(second).commit();
    long appendedAgain = table.currentSnapshot().snapshotId();

    table.updateSchema().renameColumn("name", "label").commit();
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table,
                null,
                format,
                List.of("label"),
                List.of(
                    record(table.schema().select("label"), "n6"),
                    record(table.schema().select("label"), (Object) null))))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, null, format, List.of("k"), List.of(record(table.schema().select("k"), 0))))
        .addDeletes(OtherEngineFiles.positionDeletes(table, null, format, second.location(), 1))
        .commit();
    long renamedAndDeleted = table.currentSnapshot().snapshotId();

    for (long snapshot : List.of(appended, deleted, appendedAgain, renamedAndDeleted)) {
      assertThat(rows("SELECT * FROM lake.events AT (VERSION => " + snapshot + ") ORDER BY id"))
          .as("snapshot %d", snapshot)
          .isEqualTo(expected(table, snapshot))
          .isNotEmpty();
    }
    List<String> latest = expected(table, renamedAndDeleted);
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(latest);
    assertThat(latest).hasSizeLessThan(expected(table, appendedAgain).size());
    assertThat(latest).noneMatch(row -> row.contains("|n6|") || row.contains("|null|"));
    assertThat(rows("SELECT count(*) FROM lake.events WHERE id >= 100"))
        .containsExactly(String.valueOf(latest.stream().filter(r -> id(r) >= 100).count()));
    assertThat(
            rows("SELECT * FROM lake.events AT (TIMESTAMP => '" + afterDeletes + "') ORDER BY id"))
        .isEqualTo(expected(table, deleted));
    try (ResultSet rows = session.queryAsOf(afterAppend, "SELECT count(*) FROM lake.events")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(100);
    }
    // a warm query over the same files gives the same rows
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(latest);
  }

  @Test
  void deletionVectorsOfAFormatV3TableApplyAtEverySnapshot() throws Exception {
    Table table = create("3");
    DataFile first = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(0, 50));
    DataFile second = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(50, 100));
    table.newAppend().appendFile(first).appendFile(second).commit();
    long appended = table.currentSnapshot().snapshotId();

    DeleteFile firstDv =
        OtherEngineFiles.deletionVector(table, null, first.location(), null, 1, 2, 30);
    DeleteFile secondDv = OtherEngineFiles.deletionVector(table, null, second.location(), null, 0);
    table.newRowDelta().addDeletes(firstDv).addDeletes(secondDv).commit();
    long deleted = table.currentSnapshot().snapshotId();

    // a new vector of the first file replaces its old one, and an equality delete joins in
    DeleteFile replacing =
        OtherEngineFiles.deletionVector(table, null, first.location(), null, 1, 2, 30, 40, 49);
    table
        .newRowDelta()
        .validateFromSnapshot(deleted)
        .removeDeletes(firstDv)
        .addDeletes(replacing)
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table,
                null,
                FileFormat.PARQUET,
                List.of("k"),
                List.of(record(table.schema().select("k"), 3))))
        .commit();
    long replaced = table.currentSnapshot().snapshotId();

    for (long snapshot : List.of(appended, deleted, replaced)) {
      assertThat(rows("SELECT * FROM lake.events AT (VERSION => " + snapshot + ") ORDER BY id"))
          .as("snapshot %d", snapshot)
          .isEqualTo(expected(table, snapshot));
    }
    List<String> latest = expected(table, replaced);
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(latest);
    assertThat(latest).hasSizeLessThan(expected(table, deleted).size());
  }

  @Test
  void filesFetchedFromAnObjectStoreAreConvertedOnceAndDeletesApply() throws Exception {
    try (TestingS3Server s3 = TestingS3Server.start();
        IcecapSession remote =
            Icecap.connect(
                IcecapConfig.redis(
                        REDIS.server().uri(),
                        "s3://" + s3.createBucket("warehouse") + "/lake",
                        home.resolve("remote"))
                    .withWorkers(1)
                    .withCatalogProperties(s3.fileIoProperties()))) {
      remote.execute("CREATE SCHEMA remote");
      TableIdentifier id = TableIdentifier.of("remote", "events");
      remote
          .catalog()
          .createTable(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of("format-version", "3"));
      Table table = remote.catalog().loadTable(id);
      DataFile orc = OtherEngineFiles.data(table, null, FileFormat.ORC, rows(0, 40));
      DataFile parquet = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(40, 80));
      table.newAppend().appendFile(orc).appendFile(parquet).commit();
      table
          .newRowDelta()
          .addDeletes(OtherEngineFiles.deletionVector(table, null, orc.location(), null, 0, 9, 39))
          .addDeletes(OtherEngineFiles.deletionVector(table, null, parquet.location(), null, 1))
          .addDeletes(
              OtherEngineFiles.equalityDeletes(
                  table,
                  null,
                  FileFormat.PARQUET,
                  List.of("name"),
                  List.of(record(table.schema().select("name"), "n7"))))
          .commit();
      List<String> expected = expected(table, table.currentSnapshot().snapshotId());
      assertThat(expected).hasSizeLessThan(80);
      String sql = "SELECT * FROM remote.events ORDER BY id";
      assertThat(rows(remote, sql)).isEqualTo(expected);
      CacheStats cold = remote.cacheStats();
      assertThat(rows(remote, sql)).isEqualTo(expected);
      CacheStats warm = remote.cacheStats();
      // the ORC file's Parquet copy, the vectors' positions and the Parquet files: all cached
      assertThat(warm.misses()).isEqualTo(cold.misses());
      assertThat(warm.hits() - cold.hits()).isEqualTo(cold.misses());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"ORC", "AVRO"})
  void icecapWritesApplyOverAnotherEnginesFilesAndDeletes(FileFormat format) throws Exception {
    Table table = create("2");
    DataFile data = OtherEngineFiles.data(table, null, format, rows(0, 30));
    table.newAppend().appendFile(data).commit();
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.positionDeletes(table, null, format, data.location(), 2, 3))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, null, format, List.of("k"), List.of(record(table.schema().select("k"), 6))))
        .commit();
    List<String> before = expected(table, table.currentSnapshot().snapshotId());

    session.execute("UPDATE lake.events SET name = 'updated' WHERE id < 10");
    session.execute("INSERT INTO lake.events VALUES (100, 'new', 1)");

    table.refresh();
    List<String> after = expected(table, table.currentSnapshot().snapshotId());
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(after);
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after.stream().filter(row -> row.contains("|updated|")))
        .hasSize((int) before.stream().filter(row -> id(row) < 10).count());
  }

  @Test
  void aWriteToAFormatVersion3TableWithDeletionVectorsIsRefusedAndChangesNothing()
      throws Exception {
    Table table = create("3");
    DataFile data = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(0, 30));
    table.newAppend().appendFile(data).commit();
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.deletionVector(table, null, data.location(), null, 2, 3))
        .commit();
    long snapshot = table.currentSnapshot().snapshotId();
    List<String> before = expected(table, snapshot);

    assertThatThrownBy(
            () -> session.execute("UPDATE lake.events SET name = 'updated' WHERE id < 10"))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
              assertThat(e.getMessage()).contains("format version 3", "row lineage");
            });

    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(before).hasSize(28);
    LogStatus log = session.logStatus("lake.events", 1);
    assertThat(log.head()).isZero();
    assertThat(log.pending()).isZero();
  }

  @Test
  void aMissingOrTruncatedDeleteFileIsAStorageErrorNamingIt() throws Exception {
    Table table = create("2");
    DataFile data = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(0, 100));
    table.newAppend().appendFile(data).commit();
    DeleteFile positions =
        OtherEngineFiles.positionDeletes(table, null, FileFormat.PARQUET, data.location(), 5);
    table.newRowDelta().addDeletes(positions).commit();
    Path file = Path.of(positions.location().replaceFirst("^file:", ""));
    byte[] original = Files.readAllBytes(file);

    Files.delete(file);
    assertStorageError("SELECT count(*) FROM lake.events", file);
    Files.write(file, java.util.Arrays.copyOf(original, original.length / 2));
    assertStorageError("SELECT count(*) FROM lake.events", file);
    Files.write(file, original);
    assertThat(rows("SELECT count(*) FROM lake.events")).containsExactly("99");
  }

  @Test
  void aDeletionVectorDeletingMoreRowsThanItsDataFileHasIsRefusedUnread() throws Exception {
    Table table = create("3");
    DataFile data = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(0, 100));
    table.newAppend().appendFile(data).commit();
    DeleteFile dv =
        OtherEngineFiles.deletionVector(
            table,
            null,
            data.location(),
            null,
            java.util.stream.LongStream.range(0, 200).toArray());
    table.newRowDelta().addDeletes(dv).commit();

    assertThatThrownBy(() -> session.query("SELECT count(*) FROM lake.events").close())
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
              assertThat(e.getMessage())
                  .contains(dv.location(), "deletes 200 rows", "which has 100");
            });
  }

  @Test
  void aMissingOrTruncatedDeletionVectorIsAStorageErrorNamingIt() throws Exception {
    Table table = create("3");
    DataFile data = OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(0, 100));
    table.newAppend().appendFile(data).commit();
    DeleteFile dv = OtherEngineFiles.deletionVector(table, null, data.location(), null, 5, 6);
    table.newRowDelta().addDeletes(dv).commit();
    Path file = Path.of(dv.location().replaceFirst("^file:", ""));
    byte[] original = Files.readAllBytes(file);

    Files.write(file, java.util.Arrays.copyOf(original, original.length - 10));
    assertStorageError("SELECT count(*) FROM lake.events", file);
    Files.delete(file);
    assertStorageError("SELECT count(*) FROM lake.events", file);
    Files.write(file, original);
    assertThat(rows("SELECT count(*) FROM lake.events")).containsExactly("98");
  }

  @Test
  void orcAndAvroDataFilesWithoutDeletesReadLikeParquet() throws Exception {
    Table table = create("2");
    table
        .newAppend()
        .appendFile(OtherEngineFiles.data(table, null, FileFormat.ORC, rows(0, 10)))
        .appendFile(OtherEngineFiles.data(table, null, FileFormat.AVRO, rows(10, 20)))
        .appendFile(OtherEngineFiles.data(table, null, FileFormat.PARQUET, rows(20, 30)))
        .commit();
    List<String> expected = expected(table, table.currentSnapshot().snapshotId());
    assertThat(expected).hasSize(30);
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).isEqualTo(expected);
    assertThat(rows("SELECT sum(k) FROM lake.events WHERE name = 'n3'"))
        .containsExactly(
            String.valueOf(
                expected.stream()
                    .filter(r -> r.split("\\|")[1].equals("n3"))
                    .mapToLong(r -> Long.parseLong(r.split("\\|")[2]))
                    .sum()));
  }

  @Test
  void aColumnNamedLikeDuckDbsRowNumberIsRefusedWhenDeletesApply() throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "file_row_number", Types.LongType.get()));
    session
        .catalog()
        .createTable(EVENTS, schema, PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
    Table table = session.catalog().loadTable(EVENTS);
    DataFile data =
        OtherEngineFiles.data(
            table,
            null,
            FileFormat.PARQUET,
            List.of(record(schema, 1L, 5L), record(schema, 2L, 6L)));
    table.newAppend().appendFile(data).commit();
    // without deletes the files are read as they are
    assertThat(rows("SELECT * FROM lake.events ORDER BY id")).containsExactly("1|5", "2|6");
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.positionDeletes(table, null, FileFormat.PARQUET, data.location(), 0))
        .commit();
    assertThatThrownBy(() -> session.query("SELECT * FROM lake.events").close())
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageContaining("column named file_row_number");
  }

  private void assertStorageError(String sql, Path file) {
    assertThatThrownBy(() -> session.query(sql).close())
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR))
        .hasMessageContaining(file.getFileName().toString());
  }

  private Table create(String formatVersion) {
    session
        .catalog()
        .createTable(
            EVENTS, SCHEMA, PartitionSpec.unpartitioned(), Map.of("format-version", formatVersion));
    return session.catalog().loadTable(EVENTS);
  }

  /** Rows id, name, k: a name repeats every 10 ids and is null every 25th; k repeats every 7. */
  private static List<Record> rows(long from, long to) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id < to; id++) {
      rows.add(record(SCHEMA, id, id % 25 == 0 ? null : "n" + id % 10, (int) (id % 7)));
    }
    return rows;
  }

  /** The rows Iceberg's generic reader gives at a snapshot, ordered by id. */
  private static List<String> expected(Table table, long snapshot) throws Exception {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshot).build()) {
      for (Record record : records) {
        List<String> values = new ArrayList<>();
        // the reader's records may carry the row position it applied deletes with
        for (int i = 0; i < SCHEMA.columns().size(); i++) {
          values.add(String.valueOf(record.get(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    rows.sort((a, b) -> Long.compare(id(a), id(b)));
    return rows;
  }

  private static long id(String row) {
    return Long.parseLong(row.substring(0, row.indexOf('|') < 0 ? row.length() : row.indexOf('|')));
  }

  private List<String> rows(String sql) throws Exception {
    return rows(session, sql);
  }

  private static List<String> rows(IcecapSession session, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = session.query(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(String.valueOf(result.getString(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
