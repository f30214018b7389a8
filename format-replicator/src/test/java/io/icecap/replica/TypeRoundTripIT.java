package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.iceberg.util.NaNUtil;
import org.apache.iceberg.util.UUIDUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Iceberg type Icecap replicates, with its edge cases and seeded random values: Iceberg
 * generic rows → DuckDB → {@link ParquetReplicaWriter} → an Iceberg commit → {@link
 * IcebergGenerics} gives back exactly the same rows, and the data files' metrics agree with those
 * of Iceberg's own Parquet writer for the same rows.
 */
class TypeRoundTripIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final long SEED = 20261121L;
  private static final int RANDOM_ROWS = 120;
  private static final ParquetWriteOptions ONE_FILE =
      new ParquetWriteOptions(1_000, 64L << 20, 512L << 20, "zstd");

  @TempDir Path warehouse;
  @TempDir Path work;
  private RedisCatalog catalog;
  private Connection duckdb;

  @BeforeEach
  void setUp() throws SQLException {
    catalog = TestCatalogs.fresh(REDIS, warehouse);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterEach
  void tearDown() throws Exception {
    duckdb.close();
    catalog.close();
  }

  static Stream<Arguments> supportedTypes() {
    return Stream.of(
        Arguments.of("boolean", Types.BooleanType.get()),
        Arguments.of("int", Types.IntegerType.get()),
        Arguments.of("long", Types.LongType.get()),
        Arguments.of("float", Types.FloatType.get()),
        Arguments.of("double", Types.DoubleType.get()),
        Arguments.of("decimal(1,0)", Types.DecimalType.of(1, 0)),
        Arguments.of("decimal(9,2)", Types.DecimalType.of(9, 2)),
        Arguments.of("decimal(18,6)", Types.DecimalType.of(18, 6)),
        Arguments.of("decimal(19,0)", Types.DecimalType.of(19, 0)),
        Arguments.of("decimal(38,0)", Types.DecimalType.of(38, 0)),
        Arguments.of("decimal(38,10)", Types.DecimalType.of(38, 10)),
        Arguments.of("decimal(38,38)", Types.DecimalType.of(38, 38)),
        Arguments.of("date", Types.DateType.get()),
        Arguments.of("time", Types.TimeType.get()),
        Arguments.of("timestamp", Types.TimestampType.withoutZone()),
        Arguments.of("timestamptz", Types.TimestampType.withZone()),
        Arguments.of("timestamp_ns", Types.TimestampNanoType.withoutZone()),
        Arguments.of("string", Types.StringType.get()),
        Arguments.of("uuid", Types.UUIDType.get()),
        Arguments.of("binary", Types.BinaryType.get()),
        Arguments.of("struct", struct()),
        Arguments.of("list<int>", Types.ListType.ofOptional(100, Types.IntegerType.get())),
        Arguments.of(
            "list<required string>", Types.ListType.ofRequired(100, Types.StringType.get())),
        Arguments.of(
            "list<list<double>>",
            Types.ListType.ofOptional(100, Types.ListType.ofOptional(101, Types.DoubleType.get()))),
        Arguments.of(
            "map<string, int>",
            Types.MapType.ofOptional(100, 101, Types.StringType.get(), Types.IntegerType.get())),
        Arguments.of(
            "map<int, required string>",
            Types.MapType.ofRequired(100, 101, Types.IntegerType.get(), Types.StringType.get())),
        Arguments.of(
            "map<uuid, timestamptz>",
            Types.MapType.ofOptional(
                100, 101, Types.UUIDType.get(), Types.TimestampType.withZone())),
        Arguments.of(
            "map<date, decimal(38,10)>",
            Types.MapType.ofOptional(100, 101, Types.DateType.get(), Types.DecimalType.of(38, 10))),
        Arguments.of(
            "map<struct, string>",
            Types.MapType.ofOptional(
                100,
                101,
                Types.StructType.of(Types.NestedField.required(102, "k", Types.IntegerType.get())),
                Types.StringType.get())),
        Arguments.of(
            "list<struct>",
            Types.ListType.ofOptional(
                100,
                Types.StructType.of(
                    Types.NestedField.optional(101, "x", Types.LongType.get()),
                    Types.NestedField.optional(102, "y", Types.BinaryType.get()),
                    Types.NestedField.required(103, "z", Types.FloatType.get())))),
        Arguments.of(
            "map<string, list<long>>",
            Types.MapType.ofOptional(
                100,
                101,
                Types.StringType.get(),
                Types.ListType.ofOptional(102, Types.LongType.get()))),
        Arguments.of(
            "struct<map, list>",
            Types.StructType.of(
                Types.NestedField.optional(
                    100,
                    "m",
                    Types.MapType.ofOptional(
                        101,
                        102,
                        Types.StringType.get(),
                        Types.StructType.of(
                            Types.NestedField.optional(103, "t", Types.TimeType.get()),
                            Types.NestedField.optional(104, "u", Types.UUIDType.get())))),
                Types.NestedField.optional(
                    105,
                    "l",
                    Types.ListType.ofOptional(106, Types.TimestampNanoType.withoutZone())))));
  }

  private static Types.StructType struct() {
    return Types.StructType.of(
        Types.NestedField.optional(100, "a", Types.IntegerType.get()),
        Types.NestedField.required(101, "b b", Types.StringType.get()),
        Types.NestedField.optional(
            102,
            "c.\"quoted\"",
            Types.StructType.of(
                Types.NestedField.optional(103, "d", Types.DoubleType.get()),
                Types.NestedField.optional(104, "é", Types.DateType.get()),
                Types.NestedField.optional(105, "t", Types.TimestampType.withZone()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedTypes")
  void everyValueReadsBackThroughIceberg(String name, Type type) throws Exception {
    Table table =
        createTable(
            "t_" + name.replaceAll("[^a-z0-9]+", "_"),
            columns(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "value", type),
                Types.NestedField.required(3, "required 'value'", type)));
    Schema schema = table.schema();
    List<Record> rows = rows(schema, SEED + name.hashCode());
    load(schema, rows);

    List<DataFile> files =
        new ParquetReplicaWriter(work).write(duckdb, "rows", table, null, ONE_FILE);
    commit(table, files);

    assertSameRows(schema, rows, read(table));
    assertThat(files).hasSize(1);
    assertMetricsAgree(table, files.get(0), rows);
  }

  @Test
  void allTypesInOneTableOverManyRowGroups() throws Exception {
    List<Types.NestedField> columns = new ArrayList<>();
    columns.add(Types.NestedField.required(1, "id", Types.LongType.get()));
    supportedTypes()
        .forEach(
            arguments -> {
              Object[] values = arguments.get();
              columns.add(
                  Types.NestedField.optional(
                      columns.size() + 1, (String) values[0], (Type) values[1]));
            });
    Table table =
        createTable(
            "wide",
            columns(columns.toArray(Types.NestedField[]::new)),
            Map.of(TableProperties.DEFAULT_WRITE_METRICS_MODE, "full"));
    Schema schema = table.schema();
    List<Record> base = rows(schema, SEED);
    load(schema, base);
    // 2^5 copies with distinct ids: more than DuckDB's 2048-row vectors, so several row groups
    List<Record> rows = new ArrayList<>(base);
    for (int copy = 0; copy < 5; copy++) {
      long offset = rows.size();
      execute("INSERT INTO rows SELECT * REPLACE (id + " + offset + " AS id) FROM rows");
      for (Record row : new ArrayList<>(rows)) {
        Record copied = row.copy();
        copied.setField("id", (Long) row.getField("id") + offset);
        rows.add(copied);
      }
    }

    List<DataFile> files =
        new ParquetReplicaWriter(work)
            .write(
                duckdb,
                "rows",
                table,
                null,
                new ParquetWriteOptions(512, 1L << 20, 1L << 30, "snappy"));
    commit(table, files);

    assertSameRows(schema, rows, read(table));
    assertThat(files).hasSize(1);
    assertThat(rowGroups(files.get(0))).isGreaterThan(1);
    assertMetricsAgree(table, files.get(0), rows);
  }

  /**
   * Parquet's statistics order -0.0 and +0.0 as equal, and DuckDB writes a maximum of -0.0 for
   * -0.0, 0.0 and a minimum of +0.0 for 0.0, -0.0; Iceberg orders -0.0 first, so taken as they are
   * such bounds would let a scan for {@code = 0.0} or {@code < 0.0} skip the file. parquet-mr
   * widens zero bounds when it reads them, as the Parquet format asks; this keeps it that way.
   */
  @Test
  void signedZerosKeepTheirFilesInScans() throws Exception {
    Table table =
        createTable(
            "zeros",
            columns(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "f", Types.FloatType.get()),
                Types.NestedField.optional(3, "d", Types.DoubleType.get()),
                Types.NestedField.optional(
                    4,
                    "s",
                    Types.StructType.of(
                        Types.NestedField.optional(5, "f", Types.FloatType.get()),
                        Types.NestedField.optional(6, "d", Types.DoubleType.get())))));
    Schema schema = table.schema();
    execute("CREATE TABLE rows (" + DuckDbTypes.columnDefinitions(schema) + ")");
    ParquetReplicaWriter writer = new ParquetReplicaWriter(work);
    List<Record> all = new ArrayList<>();
    for (float[] zeros : new float[][] {{-0.0f, 0.0f, 0.0f}, {0.0f, -0.0f}, {0.0f, 1.0f}}) {
      List<Record> rows = new ArrayList<>();
      for (float zero : zeros) {
        Record struct = GenericRecord.create(schema.findType("s").asStructType());
        struct.set(0, zero);
        struct.set(1, (double) zero);
        Record row = GenericRecord.create(schema);
        row.set(0, (long) all.size() + rows.size());
        row.set(1, zero);
        row.set(2, (double) zero);
        row.set(3, struct);
        rows.add(row);
      }
      execute("DELETE FROM rows");
      load(schema, rows, false);
      List<DataFile> files = writer.write(duckdb, "rows", table, null, ONE_FILE);
      assertThat(files).hasSize(1);
      assertMetricsAgree(table, files.get(0), rows);
      commit(table, files);
      all.addAll(rows);
    }

    for (String column : List.of("f", "d", "s.f", "s.d")) {
      boolean isFloat = column.endsWith("f");
      Object positive = isFloat ? Float.valueOf(0.0f) : Double.valueOf(0.0);
      Object negative = isFloat ? Float.valueOf(-0.0f) : Double.valueOf(-0.0);
      assertThat(ids(table, Expressions.equal(column, positive)))
          .as("%s = 0.0", column)
          .containsExactly(1L, 2L, 3L, 5L);
      assertThat(ids(table, Expressions.equal(column, negative)))
          .as("%s = -0.0", column)
          .containsExactly(0L, 4L);
      assertThat(ids(table, Expressions.lessThan(column, positive)))
          .as("%s < 0.0", column)
          .containsExactly(0L, 4L);
      assertThat(ids(table, Expressions.greaterThan(column, negative)))
          .as("%s > -0.0", column)
          .containsExactly(1L, 2L, 3L, 5L, 6L);
    }
    assertSameRows(schema, all, read(table));
  }

  /**
   * A row group holding NaN has no float bounds in its Parquet statistics, but the other row groups
   * do, so the file's bounds leave the NaNs out (as Iceberg's bounds must) and only its NaN count
   * tells they exist: without it, Iceberg's strict metrics evaluator finds that every row matches
   * {@code d < 5} and a delete by that filter drops the NaN rows with the file.
   */
  @Test
  void aDeleteByFilterKeepsTheNaNsItDoesNotMatch() throws Exception {
    Table table =
        createTable(
            "nans",
            columns(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "d", Types.DoubleType.get()),
                Types.NestedField.optional(
                    3,
                    "s",
                    Types.StructType.of(
                        Types.NestedField.optional(4, "f", Types.FloatType.get())))));
    Schema schema = table.schema();
    execute("CREATE TABLE rows (" + DuckDbTypes.columnDefinitions(schema) + ")");
    // the first row group holds one NaN in each column, the second only numbers
    execute(
        "INSERT INTO rows SELECT range, CASE WHEN range = 7 THEN 'NaN'::DOUBLE ELSE range % 3 END,"
            + " {'f': CASE WHEN range = 8 THEN 'NaN'::FLOAT ELSE range % 3 END} FROM range(4096)");
    List<DataFile> files =
        new ParquetReplicaWriter(work)
            .write(
                duckdb,
                "rows",
                table,
                null,
                new ParquetWriteOptions(2048, 1L << 30, 1L << 30, "zstd"));
    assertThat(files).hasSize(1);
    DataFile file = files.get(0);
    assertThat(rowGroups(file)).isEqualTo(2);
    assertThat(file.nanValueCounts()).containsEntry(2, 1L).containsEntry(4, 1L);
    commit(table, files);

    for (String column : List.of("d", "s.f")) {
      assertThatThrownBy(
              () -> table.newDelete().deleteFromRowFilter(Expressions.lessThan(column, 5)).commit())
          .as(column)
          .hasMessageContaining("some, but not all, rows match filter");
    }
    assertThat(ids(table, Expressions.isNaN("d"))).containsExactly(7L);
    assertThat(ids(table, Expressions.isNaN("s.f"))).containsExactly(8L);
    assertThat(read(table)).hasSize(4096);
  }

  private long rowGroups(DataFile file) throws SQLException {
    try (Statement statement = duckdb.createStatement();
        java.sql.ResultSet result =
            statement.executeQuery(
                "SELECT count(DISTINCT row_group_id) FROM parquet_metadata("
                    + DuckDbTypes.literal(file.location())
                    + ")")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static List<Long> ids(Table table, Expression filter) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).build()) {
      records.forEach(record -> ids.add((Long) record.getField("id")));
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /**
   * DuckDB has no fixed-length binary: it writes a BLOB as a variable-length BYTE_ARRAY, which
   * Iceberg's readers give back as binary ({@code ByteBuffer}, not the {@code byte[]} of fixed),
   * and a BLOB column would not keep the length either. A fixed column is refused, not written.
   */
  @Test
  void aFixedColumnIsRefusedNotWrittenAsBinary() throws SQLException, IOException {
    Table table =
        createTable(
            "fixed",
            columns(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(
                    2,
                    "s",
                    Types.StructType.of(
                        Types.NestedField.optional(3, "hash", Types.FixedType.ofLength(16))))));
    execute("CREATE TABLE rows (id BIGINT NOT NULL, s STRUCT(hash BLOB))");
    execute("INSERT INTO rows VALUES (1, {'hash': '\\x00\\xFF'::BLOB})");

    assertThatThrownBy(
            () -> new ParquetReplicaWriter(work).write(duckdb, "rows", table, null, ONE_FILE))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageStartingWith("Cannot replicate column s.hash of type fixed[16]: ");
    try (Stream<Path> files = java.nio.file.Files.walk(warehouse)) {
      assertThat(files.filter(file -> file.toString().endsWith(".parquet"))).isEmpty();
    }
  }

  /**
   * DuckDB holds nested fields without NOT NULL, and a relation need not be a table with the
   * top-level NOT NULLs: a null where the Iceberg schema requires a value is refused, not written.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredFieldsHoldingNull")
  void aNullInARequiredFieldIsRefused(String column, String value, String path)
      throws SQLException {
    Table table =
        createTable(
            "required_" + column,
            columns(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(
                    2,
                    "s",
                    Types.StructType.of(
                        Types.NestedField.optional(3, "a", Types.IntegerType.get()),
                        Types.NestedField.required(4, "b", Types.StringType.get()))),
                Types.NestedField.optional(
                    5, "l", Types.ListType.ofRequired(6, Types.StringType.get())),
                Types.NestedField.optional(
                    7,
                    "m",
                    Types.MapType.ofRequired(
                        8,
                        9,
                        Types.StringType.get(),
                        Types.ListType.ofOptional(
                            10,
                            Types.StructType.of(
                                Types.NestedField.required(11, "x", Types.DoubleType.get())))))));
    Schema schema = table.schema();
    // a table without NOT NULL, as a view or query over the replica could be
    execute(
        "CREATE TABLE rows AS SELECT "
            + schema.columns().stream()
                .map(
                    field ->
                        "CAST(NULL AS "
                            + DuckDbTypes.toDuckDb(field.name(), field.type())
                            + ") AS "
                            + DuckDbTypes.quote(field.name()))
                .collect(java.util.stream.Collectors.joining(", "))
            + " LIMIT 0");
    // a valid row: nulls where optional, and empty lists and maps
    execute(
        "INSERT INTO rows (id, s, l, m) VALUES"
            + " (1, {'a': NULL, 'b': ''}, [], MAP {'k': [NULL, {'x': 0.0}]})");
    execute("INSERT INTO rows (id, s, l, m) VALUES (2, NULL, NULL, NULL)");
    assertThat(new ParquetReplicaWriter(work).write(duckdb, "rows", table, null, ONE_FILE))
        .hasSize(1);

    execute(
        column.equals("id")
            ? "INSERT INTO rows (id) VALUES (NULL)"
            : "INSERT INTO rows (id, " + column + ") VALUES (3, " + value + ")");
    assertThatThrownBy(
            () -> new ParquetReplicaWriter(work).write(duckdb, "rows", table, null, ONE_FILE))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("required fields hold nulls: " + path + " is null in 1 rows");
  }

  static Stream<Arguments> requiredFieldsHoldingNull() {
    return Stream.of(
        Arguments.of("id", "NULL", "id"),
        Arguments.of("s", "{'a': 1, 'b': NULL}", "s.b"),
        Arguments.of("l", "['x', NULL]", "l.element"),
        Arguments.of("m", "MAP {'k': [{'x': 1.0}, NULL, {'x': NULL}]}", "m.value.element.x"),
        Arguments.of("m", "MAP {'k': NULL}", "m.value"));
  }

  // ---------------------------------------------------------------- rows

  /** Rows of {@code id, value, required value}: edge cases first, then random values and nulls. */
  private static List<Record> rows(Schema schema, long seed) {
    RandomValues values = new RandomValues(seed);
    List<List<Object>> special = new ArrayList<>();
    for (Types.NestedField column : schema.columns().subList(1, schema.columns().size())) {
      special.add(specialValues(column.type()));
    }
    int specialRows = special.stream().mapToInt(List::size).max().orElse(0);
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < specialRows + RANDOM_ROWS; i++) {
      Record row = GenericRecord.create(schema);
      row.set(0, (long) i);
      for (int c = 1; c < schema.columns().size(); c++) {
        Types.NestedField column = schema.columns().get(c);
        List<Object> columnSpecial = special.get(c - 1);
        Object value;
        if (i < specialRows) {
          // the required column gets the special values in reverse, the optional one in order
          int index = column.isRequired() ? specialRows - 1 - i : i;
          value = columnSpecial.get(Math.floorMod(index, columnSpecial.size()));
        } else if (column.isOptional() && i == specialRows + RANDOM_ROWS - 1) {
          value = null;
        } else {
          value = values.value(column.type(), column.isOptional());
        }
        row.set(c, value);
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Non-null values that exercise a type: a primitive's edge cases; empty and null-holding lists
   * and maps; structs with null fields; and the special values of every nested type inside.
   */
  private static List<Object> specialValues(Type type) {
    if (type.isPrimitiveType()) {
      return RandomValues.edgeCases(type.asPrimitiveType());
    }
    List<Object> values = new ArrayList<>();
    switch (type.typeId()) {
      case STRUCT:
        Types.StructType struct = type.asStructType();
        List<List<Object>> fieldValues = new ArrayList<>();
        for (Types.NestedField field : struct.fields()) {
          fieldValues.add(specialValues(field.type()));
        }
        Record nulls = GenericRecord.create(struct);
        for (int f = 0; f < struct.fields().size(); f++) {
          nulls.set(f, struct.fields().get(f).isOptional() ? null : fieldValues.get(f).get(0));
        }
        values.add(nulls);
        int count = fieldValues.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < count; i++) {
          Record record = GenericRecord.create(struct);
          for (int f = 0; f < struct.fields().size(); f++) {
            List<Object> candidates = fieldValues.get(f);
            record.set(f, candidates.get(i % candidates.size()));
          }
          values.add(record);
        }
        return values;
      case LIST:
        Types.ListType list = type.asListType();
        values.add(List.of());
        if (list.isElementOptional()) {
          values.add(Arrays.asList(null, null));
        }
        List<Object> elements = new ArrayList<>(specialValues(list.elementType()));
        if (list.isElementOptional()) {
          elements.add(1, null);
        }
        values.add(elements);
        return values;
      case MAP:
        Types.MapType map = type.asMapType();
        values.add(Map.of());
        List<Object> keys = specialValues(map.keyType());
        List<Object> mapValues = specialValues(map.valueType());
        Map<Object, Object> all = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
          all.put(keys.get(i), mapValues.get(i % mapValues.size()));
        }
        if (map.isValueOptional()) {
          all.put(keys.get(0), null);
        }
        values.add(all);
        return values;
      default:
        throw new IllegalArgumentException("No special values for " + type);
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** Columns whose nested types may repeat field ids; {@link #createTable} renumbers them. */
  private static Schema columns(Types.NestedField... fields) {
    AtomicInteger lastId = new AtomicInteger();
    return new Schema(
        TypeUtil.assignFreshIds(Types.StructType.of(fields), lastId::incrementAndGet)
            .asStructType()
            .fields());
  }

  private Table createTable(String name, Schema schema) {
    return createTable(name, schema, Map.of());
  }

  /** Creates a table; format version 3 where a type needs it. */
  private Table createTable(String name, Schema schema, Map<String, String> properties) {
    boolean nanos =
        TypeUtil.find(schema, type -> type.typeId() == Type.TypeID.TIMESTAMP_NANO) != null;
    var builder = catalog.buildTable(TableIdentifier.of("db", name), schema);
    if (nanos) {
      builder.withProperty(TableProperties.FORMAT_VERSION, "3");
    }
    properties.forEach(builder::withProperty);
    return builder.create();
  }

  private void load(Schema schema, List<Record> rows) throws SQLException {
    load(schema, rows, true);
  }

  private void load(Schema schema, List<Record> rows, boolean create) throws SQLException {
    if (create) {
      execute("CREATE TABLE rows (" + DuckDbTypes.columnDefinitions(schema) + ")");
    }
    for (int start = 0; start < rows.size(); start += 50) {
      List<String> values = new ArrayList<>();
      for (Record row : rows.subList(start, Math.min(rows.size(), start + 50))) {
        values.add(SqlLiterals.row(schema.asStruct(), row));
      }
      execute("INSERT INTO rows VALUES " + String.join(", ", values));
    }
  }

  private static void commit(Table table, List<DataFile> files) {
    var append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
  }

  private static List<Record> read(Table table) throws IOException {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(rows::add);
    }
    rows.sort(Comparator.comparing(row -> (Long) row.getField("id")));
    return rows;
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }

  // ---------------------------------------------------------------- values

  private static void assertSameRows(Schema schema, List<Record> expected, List<Record> actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertSameValue(
          "row " + expected.get(i).getField("id"),
          schema.asStruct(),
          expected.get(i),
          actual.get(i));
    }
  }

  /**
   * Equality as Iceberg defines it for each type: floating point by bits (NaN is NaN, -0.0 is not
   * 0.0), decimals with their scale, timestamps with zone as instants, and every value in the Java
   * class Iceberg's generic records use for its type.
   */
  private static void assertSameValue(String path, Type type, Object expected, Object actual) {
    if (expected == null || actual == null) {
      if (expected != actual) {
        throw new AssertionError(
            path + ": expected " + show(expected) + " but was " + show(actual));
      }
      return;
    }
    switch (type.typeId()) {
      case FLOAT:
        check(path, actual, Float.class, Float.compare((Float) expected, (Float) actual) == 0);
        break;
      case DOUBLE:
        check(path, actual, Double.class, Double.compare((Double) expected, (Double) actual) == 0);
        break;
      case DECIMAL:
        check(path, actual, BigDecimal.class, expected.equals(actual));
        break;
      case TIMESTAMP:
        if (((Types.TimestampType) type).shouldAdjustToUTC()) {
          check(
              path,
              actual,
              OffsetDateTime.class,
              ((OffsetDateTime) expected).isEqual((OffsetDateTime) actual));
        } else {
          check(path, actual, expected.getClass(), expected.equals(actual));
        }
        break;
      case FIXED:
        check(
            path,
            actual,
            byte[].class,
            actual instanceof byte[] && Arrays.equals((byte[]) expected, (byte[]) actual));
        break;
      case BINARY:
        check(path, actual, ByteBuffer.class, expected.equals(actual));
        break;
      case STRUCT:
        if (!(actual instanceof StructLike)) {
          throw new AssertionError(path + ": expected a struct but was " + show(actual));
        }
        List<Types.NestedField> fields = type.asStructType().fields();
        for (int i = 0; i < fields.size(); i++) {
          assertSameValue(
              path + "." + fields.get(i).name(),
              fields.get(i).type(),
              ((StructLike) expected).get(i, Object.class),
              ((StructLike) actual).get(i, Object.class));
        }
        break;
      case LIST:
        if (!(actual instanceof List) || ((List<?>) actual).size() != ((List<?>) expected).size()) {
          throw new AssertionError(path + ": expected " + expected + " but was " + show(actual));
        }
        for (int i = 0; i < ((List<?>) expected).size(); i++) {
          assertSameValue(
              path + "[" + i + "]",
              type.asListType().elementType(),
              ((List<?>) expected).get(i),
              ((List<?>) actual).get(i));
        }
        break;
      case MAP:
        Map<?, ?> expectedMap = (Map<?, ?>) expected;
        if (!(actual instanceof Map)
            || ((Map<?, ?>) actual).size() != expectedMap.size()
            || !((Map<?, ?>) actual).keySet().equals(expectedMap.keySet())) {
          throw new AssertionError(path + ": expected " + expected + " but was " + show(actual));
        }
        for (Map.Entry<?, ?> entry : expectedMap.entrySet()) {
          assertSameValue(
              path + "[" + entry.getKey() + "]",
              type.asMapType().valueType(),
              entry.getValue(),
              ((Map<?, ?>) actual).get(entry.getKey()));
        }
        break;
      default:
        check(path, actual, expected.getClass(), expected.equals(actual));
    }
  }

  private static void check(String path, Object actual, Class<?> expectedClass, boolean equal) {
    if (!expectedClass.isInstance(actual)) {
      throw new AssertionError(
          path + ": expected a " + expectedClass.getSimpleName() + " but was " + show(actual));
    }
    if (!equal) {
      throw new AssertionError(path + ": was " + show(actual));
    }
  }

  private static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof byte[]) {
      return "byte[]" + Arrays.toString((byte[]) value);
    }
    String text = String.valueOf(value);
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return value.getClass().getSimpleName() + " " + text;
  }

  // ---------------------------------------------------------------- metrics

  /**
   * The data file's metrics: value, null and NaN counts as the rows give them, and as Iceberg's own
   * Parquet writer records them; and bounds, where the file has them, holding every value and equal
   * to Iceberg's writer's (DuckDB leaves out the statistics of a row group with NaN, of strings
   * beyond 256 bytes that are not ASCII and of long binary it cannot round up).
   */
  private void assertMetricsAgree(Table table, DataFile file, List<Record> rows)
      throws IOException {
    Metrics reference = icebergWriterMetrics(table, rows);
    Schema schema = table.schema();
    assertThat(file.recordCount()).isEqualTo(reference.recordCount()).isEqualTo(rows.size());

    Map<Integer, Long> valueCounts = new HashMap<>();
    Map<Integer, Long> nullCounts = new HashMap<>();
    Map<Integer, Long> nanCounts = new HashMap<>();
    Map<Integer, List<Object>> values = new HashMap<>();
    for (Record row : rows) {
      count(schema.asStruct(), row, valueCounts, nullCounts, nanCounts, values);
    }
    assertThat(file.valueCounts()).as("value counts").isEqualTo(valueCounts);
    assertThat(file.nullValueCounts()).as("null value counts").isEqualTo(nullCounts);
    // Iceberg's own writer counts a float or double field only where its struct is not null, but
    // every other field, like the Parquet footer, in every row: compare the others
    Set<Integer> floatingInStructs = new HashSet<>();
    TypeUtil.indexParents(schema.asStruct())
        .forEach(
            (id, parent) -> {
              Type.TypeID type = schema.findType(id).typeId();
              if (type == Type.TypeID.FLOAT || type == Type.TypeID.DOUBLE) {
                floatingInStructs.add(id);
              }
            });
    assertThat(without(file.valueCounts(), floatingInStructs))
        .as("value counts")
        .isEqualTo(without(reference.valueCounts(), floatingInStructs));
    assertThat(without(file.nullValueCounts(), floatingInStructs))
        .as("null value counts")
        .isEqualTo(without(reference.nullValueCounts(), floatingInStructs));
    assertThat(file.nanValueCounts())
        .as("NaN value counts")
        .isEqualTo(nanCounts)
        .isEqualTo(reference.nanValueCounts());

    assertBounds("lower", schema, file.lowerBounds(), reference.lowerBounds(), values);
    assertBounds("upper", schema, file.upperBounds(), reference.upperBounds(), values);
  }

  private static Map<Integer, Long> without(Map<Integer, Long> counts, Set<Integer> ids) {
    Map<Integer, Long> kept = new HashMap<>(counts);
    kept.keySet().removeAll(ids);
    return kept;
  }

  /**
   * Counts every primitive field outside lists and maps (Iceberg keeps no metrics inside them): a
   * value per row, a null where the field or a struct around it is null, NaNs of float and double
   * fields, and collects the non-null, non-NaN values as the bounds' internal values.
   */
  private static void count(
      Types.StructType struct,
      StructLike row,
      Map<Integer, Long> valueCounts,
      Map<Integer, Long> nullCounts,
      Map<Integer, Long> nanCounts,
      Map<Integer, List<Object>> values) {
    for (int i = 0; i < struct.fields().size(); i++) {
      Types.NestedField field = struct.fields().get(i);
      Object value = row == null ? null : row.get(i, Object.class);
      if (field.type().isStructType()) {
        count(
            field.type().asStructType(),
            (StructLike) value,
            valueCounts,
            nullCounts,
            nanCounts,
            values);
      } else if (field.type().isPrimitiveType()) {
        int id = field.fieldId();
        valueCounts.merge(id, 1L, Long::sum);
        nullCounts.merge(id, value == null ? 1L : 0L, Long::sum);
        Type.TypeID type = field.type().typeId();
        if (type == Type.TypeID.FLOAT || type == Type.TypeID.DOUBLE) {
          nanCounts.merge(id, NaNUtil.isNaN(value) ? 1L : 0L, Long::sum);
        }
        if (value != null && !NaNUtil.isNaN(value)) {
          values.computeIfAbsent(id, key -> new ArrayList<>()).add(internal(field.type(), value));
        }
      }
    }
  }

  private static void assertBounds(
      String which,
      Schema schema,
      Map<Integer, ByteBuffer> bounds,
      Map<Integer, ByteBuffer> reference,
      Map<Integer, List<Object>> values) {
    Map<Integer, ByteBuffer> actual = bounds == null ? Map.of() : bounds;
    actual.forEach(
        (id, buffer) -> {
          Type.PrimitiveType type = schema.findType(id).asPrimitiveType();
          String column = schema.findColumnName(id);
          Object bound = Conversions.fromByteBuffer(type, buffer);
          Comparator<Object> order = boundOrder(type);
          for (Object value : values.getOrDefault(id, List.of())) {
            int compared = order.compare(bound, value);
            assertThat(which.equals("lower") ? compared <= 0 : compared >= 0)
                .as("%s bound %s of %s holds %s", which, bound, column, value)
                .isTrue();
          }
          ByteBuffer icebergBound = reference.get(id);
          if (!widenedZero(type, buffer, icebergBound)) {
            assertThat(buffer)
                .as(
                    "%s bound %s of %s is Iceberg's %s",
                    which,
                    show(bound),
                    column,
                    icebergBound == null
                        ? null
                        : show(Conversions.fromByteBuffer(type, icebergBound)))
                .isEqualTo(icebergBound);
          }
        });
  }

  /**
   * Whether a floating-point bound is a zero where Iceberg's is the other zero: Parquet statistics
   * do not tell them apart, so parquet-mr widens zero bounds to -0.0 and +0.0 when it reads them
   * (and the value check above proves the bound holds).
   */
  private static boolean widenedZero(Type type, ByteBuffer bound, ByteBuffer icebergBound) {
    if (icebergBound == null
        || (type.typeId() != Type.TypeID.FLOAT && type.typeId() != Type.TypeID.DOUBLE)) {
      return false;
    }
    return ((Number) Conversions.fromByteBuffer(type, bound)).doubleValue() == 0.0
        && ((Number) Conversions.fromByteBuffer(type, icebergBound)).doubleValue() == 0.0;
  }

  @SuppressWarnings("unchecked")
  private static Comparator<Object> boundOrder(Type.PrimitiveType type) {
    if (type.typeId() == Type.TypeID.UUID) {
      // Parquet orders UUIDs as unsigned bytes, as Iceberg's own Parquet writer does
      return (a, b) ->
          Comparators.unsignedBytes()
              .compare(
                  UUIDUtil.convertToByteBuffer((java.util.UUID) a),
                  UUIDUtil.convertToByteBuffer((java.util.UUID) b));
    }
    return (Comparator<Object>) Comparators.forType(type);
  }

  /** A generic value as the internal value {@link Conversions#fromByteBuffer} returns. */
  private static Object internal(Type type, Object value) {
    switch (type.typeId()) {
      case DATE:
        return DateTimeUtil.daysFromDate((LocalDate) value);
      case TIME:
        return DateTimeUtil.microsFromTime((LocalTime) value);
      case TIMESTAMP:
        return value instanceof OffsetDateTime
            ? DateTimeUtil.microsFromTimestamptz((OffsetDateTime) value)
            : DateTimeUtil.microsFromTimestamp((LocalDateTime) value);
      case TIMESTAMP_NANO:
        return DateTimeUtil.nanosFromTimestamp((LocalDateTime) value);
      default:
        return value;
    }
  }

  private Metrics icebergWriterMetrics(Table table, List<Record> rows) throws IOException {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    factory.setAll(table.properties());
    java.io.File file = work.resolve("iceberg-" + System.nanoTime() + ".parquet").toFile();
    FileAppender<Record> appender =
        factory.newAppender(org.apache.iceberg.Files.localOutput(file), FileFormat.PARQUET);
    try (appender) {
      rows.forEach(appender::add);
    }
    return appender.metrics();
  }
}
