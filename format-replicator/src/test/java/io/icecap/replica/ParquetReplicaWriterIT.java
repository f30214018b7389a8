package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB rows → Parquet data files → an Iceberg table read back with Iceberg's own reader. */
class ParquetReplicaWriterIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "price", Types.DecimalType.of(10, 2)),
          Types.NestedField.required(4, "day", Types.DateType.get()),
          Types.NestedField.optional(5, "at", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(6, "at_tz", Types.TimestampType.withZone()),
          Types.NestedField.optional(
              7, "tags", Types.ListType.ofOptional(20, Types.StringType.get())),
          Types.NestedField.optional(
              8,
              "attrs",
              Types.MapType.ofOptional(21, 22, Types.StringType.get(), Types.IntegerType.get())),
          Types.NestedField.optional(
              9,
              "point",
              Types.StructType.of(
                  Types.NestedField.optional(23, "x", Types.DoubleType.get()),
                  Types.NestedField.optional(24, "y", Types.DoubleType.get()))),
          Types.NestedField.optional(10, "flag", Types.BooleanType.get()),
          Types.NestedField.optional(11, "uid", Types.UUIDType.get()),
          Types.NestedField.optional(12, "raw", Types.BinaryType.get()),
          Types.NestedField.optional(13, "t", Types.TimeType.get()),
          Types.NestedField.optional(14, "f", Types.FloatType.get()),
          Types.NestedField.optional(15, "i", Types.IntegerType.get()));

  private static final String ROW_1 =
      "(1, 'ünïcödé 日本', 12.34, DATE '2026-11-20', TIMESTAMP '2026-11-20 10:00:00.123456',"
          + " TIMESTAMPTZ '2026-11-20 10:00:00+00', ['x', NULL, 'y'], MAP {'k': 1, 'n': NULL},"
          + " {'x': 1.5, 'y': -2.0}, true, '6f1e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',"
          + " '\\xAA\\xBB'::BLOB, TIME '12:34:56.789', 1.25, 2147483647)";
  private static final String ROW_2 =
      "(2, NULL, NULL, DATE '2026-11-20', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " NULL, NULL)";

  @TempDir Path warehouse;
  @TempDir Path work;
  private RedisCatalog catalog;
  private Connection duckdb;

  @BeforeEach
  void setUp() throws SQLException {
    catalog = TestCatalogs.fresh(REDIS, warehouse);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    execute("CREATE TABLE rows (" + DuckDbTypes.columnDefinitions(SCHEMA) + ")");
  }

  @AfterEach
  void tearDown() throws Exception {
    duckdb.close();
    catalog.close();
  }

  @Test
  void rowsOfEveryKindReadBackThroughIceberg() throws IOException, SQLException {
    execute("INSERT INTO rows VALUES " + ROW_1 + ", " + ROW_2);
    Table table = catalog.createTable(TableIdentifier.of("db", "kinds"), SCHEMA);

    List<DataFile> files = new ParquetReplicaWriter(work).write(duckdb, "rows", table, null);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).recordCount()).isEqualTo(2);
    var append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();

    List<Record> rows = read(table);
    assertThat(rows).hasSize(2);
    Record first = rows.get(0).getField("id").equals(1L) ? rows.get(0) : rows.get(1);
    Record second = first == rows.get(0) ? rows.get(1) : rows.get(0);

    assertThat(first.getField("name")).isEqualTo("ünïcödé 日本");
    assertThat(first.getField("price")).isEqualTo(new BigDecimal("12.34"));
    assertThat(first.getField("day")).isEqualTo(LocalDate.of(2026, 11, 20));
    assertThat(first.getField("at"))
        .isEqualTo(LocalDateTime.of(2026, 11, 20, 10, 0, 0, 123_456_000));
    assertThat(first.getField("at_tz"))
        .isEqualTo(OffsetDateTime.of(2026, 11, 20, 10, 0, 0, 0, ZoneOffset.UTC));
    assertThat(first.getField("tags")).isEqualTo(java.util.Arrays.asList("x", null, "y"));
    Map<String, Integer> attrs = new java.util.HashMap<>();
    attrs.put("k", 1);
    attrs.put("n", null);
    assertThat(first.getField("attrs")).isEqualTo(attrs);
    Record point = (Record) first.getField("point");
    assertThat(point.getField("x")).isEqualTo(1.5);
    assertThat(point.getField("y")).isEqualTo(-2.0);
    assertThat(first.getField("flag")).isEqualTo(true);
    assertThat(first.getField("uid"))
        .isEqualTo(UUID.fromString("6f1e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"));
    assertThat(first.getField("raw"))
        .isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0xAA, (byte) 0xBB}));
    assertThat(first.getField("t")).isEqualTo(LocalTime.of(12, 34, 56, 789_000_000));
    assertThat(first.getField("f")).isEqualTo(1.25f);
    assertThat(first.getField("i")).isEqualTo(Integer.MAX_VALUE);

    for (int column = 1; column < SCHEMA.columns().size(); column++) {
      if (!SCHEMA.columns().get(column).name().equals("day")) {
        assertThat(second.get(column)).as(SCHEMA.columns().get(column).name()).isNull();
      }
    }
  }

  @Test
  void everyColumnCarriesItsFieldId() throws SQLException {
    execute("INSERT INTO rows VALUES " + ROW_1);
    Table table = catalog.createTable(TableIdentifier.of("db", "ids"), SCHEMA);
    DataFile file = new ParquetReplicaWriter(work).write(duckdb, "rows", table, null).get(0);

    List<Integer> ids = new ArrayList<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet schema =
            statement.executeQuery(
                "SELECT field_id FROM parquet_schema("
                    + DuckDbTypes.literal(file.location())
                    + ") WHERE field_id IS NOT NULL")) {
      while (schema.next()) {
        ids.add(schema.getInt(1));
      }
    }
    List<Integer> expected = new ArrayList<>();
    org.apache.iceberg.types.TypeUtil.indexById(table.schema().asStruct())
        .keySet()
        .forEach(expected::add);
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void metricsPruneFilesByBounds() throws IOException, SQLException {
    Table table =
        catalog.createTable(
            TableIdentifier.of("db", "pruned"),
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).identity("day").build());
    ParquetReplicaWriter writer = new ParquetReplicaWriter(work);
    execute(
        "INSERT INTO rows (id, day, name) SELECT range, DATE '2026-11-20', 'low' FROM range(0, 100)");
    List<DataFile> low = writer.write(duckdb, "rows", table, partition(table, "2026-11-20"));
    execute("DELETE FROM rows");
    execute(
        "INSERT INTO rows (id, day, name) SELECT range, DATE '2026-11-21', 'high' FROM range(1000,"
            + " 1100)");
    List<DataFile> high = writer.write(duckdb, "rows", table, partition(table, "2026-11-21"));
    var append = table.newAppend();
    low.forEach(append::appendFile);
    high.forEach(append::appendFile);
    append.commit();

    assertThat(low.get(0).lowerBounds()).isNotEmpty();
    assertThat(low.get(0).nullValueCounts().get(2)).isZero();
    assertThat(low.get(0).valueCounts().get(1)).isEqualTo(100L);
    assertThat(planned(table, Expressions.greaterThanOrEqual("id", 1000)))
        .containsExactly(high.get(0).location());
    assertThat(planned(table, Expressions.lessThan("id", 50)))
        .containsExactly(low.get(0).location());
    assertThat(planned(table, Expressions.equal("name", "nothing"))).isEmpty();
    assertThat(high.get(0).location()).contains("/data/day=2026-11-21/");
    assertThat(read(table)).hasSize(200);
  }

  @Test
  void aLargePartitionIsSplitIntoSeveralFiles() throws IOException, SQLException {
    execute(
        "INSERT INTO rows (id, day, name) SELECT range, DATE '2026-11-20', repeat('x', 100) || range"
            + " FROM range(0, 20000)");
    Table table = catalog.createTable(TableIdentifier.of("db", "split"), SCHEMA);
    ParquetWriteOptions options = new ParquetWriteOptions(1_000, 64 * 1024, 64 * 1024, "zstd");

    List<DataFile> files =
        new ParquetReplicaWriter(work).write(duckdb, "rows", table, null, options);

    assertThat(files).hasSizeGreaterThan(1);
    assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(20_000);
    var append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
    assertThat(read(table)).hasSize(20_000);
  }

  @Test
  void aNamePrefixStartsEveryUploadedFileName() throws SQLException {
    execute("INSERT INTO rows VALUES " + ROW_1);
    Table table = catalog.createTable(TableIdentifier.of("db", "prefixed"), SCHEMA);

    List<DataFile> files = new ParquetReplicaWriter(work, "42-").write(duckdb, "rows", table, null);

    assertThat(files).hasSize(1);
    String name = files.get(0).location().substring(files.get(0).location().lastIndexOf('/') + 1);
    assertThat(name).matches("42-[0-9a-f-]{36}\\.parquet");
    assertThatThrownBy(() -> new ParquetReplicaWriter(work, "../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("letters, digits, - and _ only");
  }

  @Test
  void anEmptyRelationWritesNoFile() {
    Table table = catalog.createTable(TableIdentifier.of("db", "empty"), SCHEMA);
    assertThat(new ParquetReplicaWriter(work).write(duckdb, "rows", table, null)).isEmpty();
    assertThat(dataFilesOnDisk()).isEmpty();
  }

  @Test
  void aRelationThatDoesNotMatchTheSchemaIsRefused() throws SQLException {
    Table table = catalog.createTable(TableIdentifier.of("db", "mismatch"), SCHEMA);
    execute(
        "CREATE TABLE wrong AS SELECT * EXCLUDE (price, i) REPLACE (CAST(id AS VARCHAR) AS id), 1 AS extra FROM rows");

    assertThatThrownBy(() -> new ParquetReplicaWriter(work).write(duckdb, "wrong", table, null))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("DuckDB relation wrong does not match the table schema")
        .hasMessageContaining("column id is VARCHAR, expected BIGINT")
        .hasMessageContaining("column price DECIMAL(10,2) is missing")
        .hasMessageContaining("column extra is not in the table schema");
    assertThatThrownBy(() -> new ParquetReplicaWriter(work).write(duckdb, "nowhere", table, null))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("Cannot read DuckDB relation nowhere");
    assertThat(dataFilesOnDisk()).isEmpty();
  }

  @Test
  void badWriteOptionsNameTheProperty() {
    assertThatThrownBy(
            () -> ParquetWriteOptions.forTable(Map.of("write.parquet.compression-codec", "zip")))
        .hasMessageContaining("Invalid write.parquet.compression-codec=zip");
    assertThatThrownBy(
            () -> ParquetWriteOptions.forTable(Map.of("write.target-file-size-bytes", "big")))
        .hasMessageContaining("Invalid write.target-file-size-bytes=big: expected a whole number");
    assertThatThrownBy(
            () -> ParquetWriteOptions.forTable(Map.of(ParquetWriteOptions.ROW_GROUP_ROWS, "0")))
        .hasMessageContaining("Invalid icecap.parquet.row-group-rows=0: must be positive");
  }

  private PartitionKey partition(Table table, String day) {
    GenericRecord record = GenericRecord.create(table.schema());
    record.setField("day", LocalDate.parse(day));
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(record));
    return key;
  }

  private static List<String> planned(Table table, org.apache.iceberg.expressions.Expression filter)
      throws IOException {
    List<String> locations = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      tasks.forEach(task -> locations.add(task.file().location()));
    }
    return locations;
  }

  private static List<Record> read(Table table) throws IOException {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(rows::add);
    }
    return rows;
  }

  private List<Path> dataFilesOnDisk() {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }
}
