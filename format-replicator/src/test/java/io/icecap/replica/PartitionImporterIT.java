package io.icecap.replica;

import static io.icecap.testing.OtherEngineFiles.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.OtherEngineFiles;
import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
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

/**
 * A table written with Iceberg's Java API (position and equality deletes, schema changes) becomes
 * DuckDB replicas that hold exactly the rows Iceberg's own reader returns.
 */
class PartitionImporterIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 20);
  private static final LocalDate DAY_2 = LocalDate.of(2026, 11, 21);

  @TempDir Path warehouse;
  @TempDir Path work;
  private RedisCatalog catalog;
  private Table table;

  @BeforeEach
  void setUp() {
    catalog = TestCatalogs.fresh(REDIS, warehouse);
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "dropped", Types.StringType.get()));
    table =
        catalog
            .buildTable(TableIdentifier.of("db", "orders"), schema)
            .withPartitionSpec(PartitionSpec.builderFor(schema).identity("day").build())
            .withProperty("format-version", "2")
            .create();
  }

  @AfterEach
  void tearDown() throws IOException {
    catalog.close();
  }

  @Test
  void deletesAndSchemaChangesAreApplied() throws Exception {
    Schema v1 = table.schema();
    List<Record> day1 = new ArrayList<>();
    for (long id = 1; id <= 10; id++) {
      day1.add(record(v1, id, "n" + id, (int) id * 10, DAY_1, "x" + id));
    }
    List<Record> day2 = List.of(record(v1, 100L, "other", 1, DAY_2, null));
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, day1.get(0));
    PartitionKey p2 = OtherEngineFiles.partitionOf(table, day2.get(0));
    DataFile first = OtherEngineFiles.data(table, p1, day1);
    table.newAppend().appendFile(first).appendFile(OtherEngineFiles.data(table, p2, day2)).commit();

    // another engine deletes rows 0 and 4 (ids 1 and 5) by position, and id 7 by equality
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.positionDeletes(table, p1, first.location(), 0, 4))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p1, List.of("id"), List.of(record(v1.select("id"), 7L))))
        .commit();

    // then the schema changes: a rename, a widening, a new column, a dropped column
    table
        .updateSchema()
        .renameColumn("name", "label")
        .updateColumn("qty", Types.LongType.get())
        .addColumn("note", Types.StringType.get())
        .deleteColumn("dropped")
        .commit();
    Schema v2 = table.schema();
    DataFile later =
        OtherEngineFiles.data(
            table, p1, List.of(record(v2, 11L, "new", 5_000_000_000L, DAY_1, "added")));
    table.newAppend().appendFile(later).commit();
    // an equality delete written after the append, on the renamed column
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p1, List.of("label"), List.of(record(v2.select("label"), "n3"))))
        .commit();

    try (DuckDbReplica replica =
        new PartitionImporter(work)
            .importPartition(table, table.currentSnapshot(), p1, work.resolve("p1.duckdb"))) {
      List<String> expected = icebergRows(table, DAY_1);
      assertThat(expected).hasSize(7);
      assertThat(replicaRows(replica)).containsExactlyElementsOf(expected);
      assertThat(replica.state().snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
      assertThat(replica.state().partitionPath()).isEqualTo("day=2026-11-20");
      assertThat(replica.state().schemaId()).isEqualTo(table.schema().schemaId());
      assertThat(replica.state().appliedSequence()).isZero();
    }
    try (DuckDbReplica replica =
        new PartitionImporter(work)
            .importPartition(table, table.currentSnapshot(), p2, work.resolve("p2.duckdb"))) {
      assertThat(replicaRows(replica)).containsExactlyElementsOf(icebergRows(table, DAY_2));
    }
  }

  @Test
  void anOlderSnapshotGivesItsOwnRowsAndSchema() throws Exception {
    Schema v1 = table.schema();
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, record(v1, 1L, "a", 1, DAY_1, null));
    table
        .newAppend()
        .appendFile(OtherEngineFiles.data(table, p1, List.of(record(v1, 1L, "a", 1, DAY_1, null))))
        .commit();
    long firstSnapshot = table.currentSnapshot().snapshotId();
    table.updateSchema().addColumn("extra", Types.IntegerType.get()).commit();
    table
        .newAppend()
        .appendFile(
            OtherEngineFiles.data(
                table, p1, List.of(record(table.schema(), 2L, "b", 2, DAY_1, null, 9))))
        .commit();

    try (DuckDbReplica replica =
            new PartitionImporter(work)
                .importPartition(
                    table, table.snapshot(firstSnapshot), p1, work.resolve("old.duckdb"));
        Statement statement = replica.connection().createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM rows")) {
      assertThat(rows.getMetaData().getColumnCount()).isEqualTo(5);
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong("id")).isEqualTo(1L);
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void structFieldsAreFoundByFieldIdThroughRenamesDropsAndReusedNames() throws Exception {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(
                2,
                "loc",
                Types.StructType.of(
                    Types.NestedField.optional(3, "city", Types.StringType.get()),
                    Types.NestedField.optional(4, "zip", Types.StringType.get()))),
            Types.NestedField.optional(
                5,
                "items",
                Types.ListType.ofOptional(
                    6,
                    Types.StructType.of(
                        Types.NestedField.optional(7, "sku", Types.StringType.get()),
                        Types.NestedField.optional(8, "qty", Types.IntegerType.get())))),
            Types.NestedField.optional(
                9,
                "tags",
                Types.MapType.ofOptional(
                    10,
                    11,
                    Types.StringType.get(),
                    Types.StructType.of(
                        Types.NestedField.optional(12, "weight", Types.DoubleType.get())))));
    Table nested = catalog.createTable(TableIdentifier.of("db", "nested"), schema);
    Schema v1 = nested.schema();
    Types.StructType locType = v1.findType("loc").asStructType();
    Types.StructType itemType = v1.findType("items").asListType().elementType().asStructType();
    Types.StructType tagType = v1.findType("tags").asMapType().valueType().asStructType();
    Record row =
        record(
            v1,
            1L,
            record(locType.asSchema(), "Oslo", "0150"),
            List.of(record(itemType.asSchema(), "A-1", 2), record(itemType.asSchema(), "B-2", 5)),
            Map.of("red", record(tagType.asSchema(), 0.5)));
    Record empty = record(v1, 2L, null, null, null);
    nested
        .newAppend()
        .appendFile(OtherEngineFiles.data(nested, null, List.of(row, empty)))
        .commit();

    nested
        .updateSchema()
        .addColumn("loc", "country", Types.StringType.get())
        .renameColumn("loc.city", "town")
        .deleteColumn("loc.zip")
        .commit();
    nested.updateSchema().addColumn("loc", "zip", Types.StringType.get()).commit();
    nested
        .updateSchema()
        .renameColumn("items.sku", "code")
        .renameColumn("tags.weight", "w")
        .commit();

    try (DuckDbReplica replica =
            new PartitionImporter(work)
                .importPartition(nested, nested.currentSnapshot(), null, work.resolve("n.duckdb"));
        Statement statement = replica.connection().createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT CAST(loc AS VARCHAR), CAST(items AS VARCHAR), CAST(tags AS VARCHAR)"
                    + " FROM rows ORDER BY id")) {
      assertThat(rows.next()).isTrue();
      // the old zip (a dropped field) must not come back under the new zip's name
      assertThat(rows.getString(1)).isEqualTo("{'town': Oslo, 'country': NULL, 'zip': NULL}");
      assertThat(rows.getString(2)).isEqualTo("[{'code': A-1, 'qty': 2}, {'code': B-2, 'qty': 5}]");
      assertThat(rows.getString(3)).isEqualTo("{red={'w': 0.5}}");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isNull();
      assertThat(rows.getString(2)).isNull();
      assertThat(rows.getString(3)).isNull();
    }
  }

  @Test
  void filesOfAnOlderPartitionSpecGiveTheRowsOfTheNewPartition() throws Exception {
    Schema v1 = table.schema();
    List<Record> rows = new ArrayList<>();
    for (long id = 1; id <= 40; id++) {
      rows.add(record(v1, id, "n" + id, (int) id, id % 2 == 0 ? DAY_1 : DAY_2, null));
    }
    var append = table.newAppend();
    for (LocalDate day : List.of(DAY_1, DAY_2)) {
      List<Record> ofDay = rows.stream().filter(r -> r.getField("day").equals(day)).toList();
      append.appendFile(
          OtherEngineFiles.data(table, OtherEngineFiles.partitionOf(table, ofDay.get(0)), ofDay));
    }
    append.commit();
    // the spec changes: the old files stay under the old spec
    table
        .updateSpec()
        .addField(org.apache.iceberg.expressions.Expressions.bucket("id", 4))
        .commit();
    Record newer = record(table.schema(), 41L, "new", 41, DAY_1, null);
    PartitionKey newerPartition = OtherEngineFiles.partitionOf(table, newer);
    table
        .newAppend()
        .appendFile(OtherEngineFiles.data(table, newerPartition, List.of(newer)))
        .commit();

    rows.add(newer);
    for (Record row : rows.stream().filter(r -> r.getField("day").equals(DAY_1)).toList()) {
      PartitionKey wanted = OtherEngineFiles.partitionOf(table, row);
      List<Long> expected = new ArrayList<>();
      for (Record candidate : rows) {
        if (OtherEngineFiles.partitionOf(table, candidate).equals(wanted)) {
          expected.add((Long) candidate.getField("id"));
        }
      }
      Path target = work.resolve(wanted.toPath().replace('/', '_') + ".duckdb");
      if (Files.exists(target)) {
        continue;
      }
      try (DuckDbReplica replica =
              new PartitionImporter(work)
                  .importPartition(table, table.currentSnapshot(), wanted, target);
          Statement statement = replica.connection().createStatement();
          ResultSet ids = statement.executeQuery("SELECT id FROM rows ORDER BY id")) {
        List<Long> actual = new ArrayList<>();
        while (ids.next()) {
          actual.add(ids.getLong(1));
        }
        expected.sort(null);
        assertThat(actual).as(wanted.toPath()).isEqualTo(expected);
      }
    }
  }

  @Test
  void aMissingDataFileFailsAndLeavesNoReplica() throws Exception {
    Schema v1 = table.schema();
    Record row = record(v1, 1L, "a", 1, DAY_1, null);
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, row);
    DataFile file = OtherEngineFiles.data(table, p1, List.of(row));
    table.newAppend().appendFile(file).commit();
    Files.delete(Path.of(file.location()));
    Path target = work.resolve("missing.duckdb");

    assertThatThrownBy(
            () ->
                new PartitionImporter(work)
                    .importPartition(table, table.currentSnapshot(), p1, target))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("partition day=2026-11-20 of test.db.orders")
        .hasMessageContaining("file " + file.location() + " is missing");
    assertThat(target).doesNotExist();
  }

  @Test
  void aTruncatedOrCorruptDataFileIsNamed() throws Exception {
    Schema v1 = table.schema();
    Record row = record(v1, 1L, "a", 1, DAY_1, null);
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, row);
    DataFile file = OtherEngineFiles.data(table, p1, List.of(row));
    table.newAppend().appendFile(file).commit();
    Path target = work.resolve("bad.duckdb");

    try (RandomAccessFile raw = new RandomAccessFile(file.location(), "rw")) {
      raw.setLength(raw.length() / 2);
    }
    assertThatThrownBy(
            () ->
                new PartitionImporter(work)
                    .importPartition(table, table.currentSnapshot(), p1, target))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("file " + file.location() + " has")
        .hasMessageContaining("truncated or replaced");
    assertThat(target).doesNotExist();

    // same size, garbage content
    byte[] garbage = new byte[(int) file.fileSizeInBytes()];
    java.util.Arrays.fill(garbage, (byte) 7);
    Files.write(Path.of(file.location()), garbage);
    assertThatThrownBy(
            () ->
                new PartitionImporter(work)
                    .importPartition(table, table.currentSnapshot(), p1, target))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("from data file " + file.location());
    assertThat(target).doesNotExist();
  }

  @Test
  void replicaFilesAreCheckedWhenOpened() throws Exception {
    Path notDuckDb = work.resolve("text.duckdb");
    Files.writeString(notDuckDb, "this is not a database");
    assertThatThrownBy(() -> DuckDbReplica.open(notDuckDb))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("Cannot open " + notDuckDb + " as a DuckDB database");

    assertThatThrownBy(() -> DuckDbReplica.open(work.resolve("absent.duckdb")))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("no such file");

    Path plain = work.resolve("plain.duckdb");
    try (var connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + plain);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE rows (id BIGINT)");
    }
    assertThatThrownBy(() -> DuckDbReplica.open(plain))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("is not an Icecap replica: it has no icecap_state table");

    Path good = work.resolve("good.duckdb");
    try (DuckDbReplica replica =
        new PartitionImporter(work).importPartition(table, null, partition(DAY_1), good)) {
      replica.updateState(replica.state().advancedTo(42, 7L));
    }
    try (DuckDbReplica reopened = DuckDbReplica.open(good)) {
      assertThat(reopened.state().appliedSequence()).isEqualTo(42);
      assertThat(reopened.state().snapshotId()).isEqualTo(7L);
      assertThat(reopened.state().tableUuid()).isEqualTo(table.uuid().toString());
    }
  }

  private PartitionKey partition(LocalDate day) {
    return OtherEngineFiles.partitionOf(table, record(table.schema(), 0L, null, null, day, null));
  }

  /** Iceberg's reader, as canonical text rows sorted by id. */
  private static List<String> icebergRows(Table table, LocalDate day) throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).where(Expressions.equal("day", day.toString())).build()) {
      for (Record record : records) {
        List<String> values = new ArrayList<>();
        // the reader may add metadata columns (_pos) after the schema's own
        for (int i = 0; i < table.schema().columns().size(); i++) {
          values.add(String.valueOf(record.get(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    rows.sort(java.util.Comparator.comparingLong(row -> Long.parseLong(row.split("\\|")[0])));
    return rows;
  }

  private static List<String> replicaRows(DuckDbReplica replica) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = replica.connection().createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM rows ORDER BY id")) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = result.getObject(i);
          values.add(value == null ? "null" : result.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
