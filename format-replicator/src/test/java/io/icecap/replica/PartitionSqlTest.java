package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** For every transform, the partition DuckDB computes for a row equals Iceberg's PartitionKey. */
class PartitionSqlTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.IntegerType.get()),
          Types.NestedField.optional(2, "l", Types.LongType.get()),
          Types.NestedField.optional(3, "s", Types.StringType.get()),
          Types.NestedField.optional(4, "d", Types.DateType.get()),
          Types.NestedField.optional(5, "ts", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(6, "tz", Types.TimestampType.withZone()),
          Types.NestedField.optional(7, "dec", Types.DecimalType.of(12, 3)),
          Types.NestedField.optional(8, "u", Types.UUIDType.get()),
          Types.NestedField.optional(9, "b", Types.BinaryType.get()),
          Types.NestedField.optional(10, "t", Types.TimeType.get()),
          Types.NestedField.optional(11, "i", Types.IntegerType.get()));
  private static final int ROWS = 400;

  private Connection duckdb;
  private final List<Record> rows = new ArrayList<>();

  @BeforeEach
  void setUp() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    execute("CREATE TABLE rows (" + DuckDbTypes.columnDefinitions(SCHEMA) + ")");
    Random random = new Random(42);
    for (int id = 0; id < ROWS; id++) {
      Record row = GenericRecord.create(SCHEMA);
      boolean nulls = id % 17 == 0;
      row.setField("id", id);
      row.setField("l", nulls ? null : random.nextLong() >> random.nextInt(63));
      row.setField("s", nulls ? null : randomString(random));
      row.setField("d", nulls ? null : LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000));
      LocalDateTime ts =
          LocalDateTime.ofEpochSecond(
              random.nextLong() % 4_000_000_000L, random.nextInt(1_000_000) * 1000, ZoneOffset.UTC);
      row.setField("ts", nulls ? null : ts);
      row.setField("tz", nulls ? null : ts.atOffset(ZoneOffset.UTC));
      row.setField(
          "dec", nulls ? null : BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 3));
      row.setField("u", nulls ? null : new UUID(random.nextLong(), random.nextLong()));
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      row.setField("b", nulls ? null : ByteBuffer.wrap(bytes));
      row.setField(
          "t",
          nulls
              ? null
              : LocalTime.ofNanoOfDay(
                  random.nextInt(86_400_000) * 1_000_000L + random.nextInt(1000) * 1000L));
      row.setField("i", nulls ? null : random.nextInt());
      rows.add(row);
      execute("INSERT INTO rows VALUES (" + literals(row) + ")");
    }
  }

  @AfterEach
  void tearDown() throws SQLException {
    duckdb.close();
  }

  @Test
  void identityAndTimeTransforms() throws SQLException {
    check(
        PartitionSpec.builderFor(SCHEMA)
            .identity("i")
            .identity("s")
            .identity("d")
            .identity("dec")
            .identity("u")
            .year("d")
            .build());
    check(PartitionSpec.builderFor(SCHEMA).month("d").day("ts").hour("tz").build());
    check(PartitionSpec.builderFor(SCHEMA).year("ts").month("tz").identity("ts").build());
    check(PartitionSpec.builderFor(SCHEMA).hour("ts").day("tz").identity("tz").build());
  }

  @Test
  void bucketTransforms() throws SQLException {
    check(
        PartitionSpec.builderFor(SCHEMA)
            .bucket("i", 16)
            .bucket("l", 7)
            .bucket("s", 32)
            .bucket("d", 5)
            .bucket("ts", 11)
            .bucket("tz", 11)
            .build());
    check(
        PartitionSpec.builderFor(SCHEMA)
            .bucket("dec", 13)
            .bucket("u", 1024)
            .bucket("b", 3)
            .bucket("t", 9)
            .build());
  }

  @Test
  void truncateTransforms() throws SQLException {
    check(
        PartitionSpec.builderFor(SCHEMA)
            .truncate("i", 10)
            .truncate("l", 1000)
            .truncate("s", 3)
            .truncate("dec", 50)
            .truncate("b", 2)
            .build());
  }

  @Test
  void predicatesSelectExactlyThePartitionsRows() throws SQLException {
    PartitionSpec spec =
        PartitionSpec.builderFor(SCHEMA).day("tz").bucket("u", 4).truncate("s", 1).build();
    PartitionSql sql = PartitionSql.register(duckdb, spec);
    List<PartitionData> partitions = sql.partitions(duckdb, "rows");
    assertThat(partitions).hasSizeGreaterThan(1);
    long total = 0;
    for (PartitionData partition : partitions) {
      try (Statement statement = duckdb.createStatement();
          ResultSet counted =
              statement.executeQuery(
                  "SELECT count(*) FROM rows WHERE " + sql.predicate(partition))) {
        counted.next();
        assertThat(counted.getLong(1)).as(partition.toString()).isPositive();
        total += counted.getLong(1);
      }
    }
    assertThat(total).isEqualTo(ROWS);
  }

  @Test
  void unsupportedSourcesAreNamed() {
    Schema nested =
        new Schema(
            Types.NestedField.required(1, "id", Types.IntegerType.get()),
            Types.NestedField.optional(
                2,
                "loc",
                Types.StructType.of(Types.NestedField.optional(3, "city", Types.StringType.get()))),
            Types.NestedField.optional(4, "ns", Types.TimestampNanoType.withoutZone()));
    assertThatThrownBy(
            () ->
                PartitionSql.register(
                    duckdb, PartitionSpec.builderFor(nested).identity("loc.city").build()))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("column loc.city")
        .hasMessageContaining("nested field");
    assertThatThrownBy(
            () -> PartitionSql.register(duckdb, PartitionSpec.builderFor(nested).day("ns").build()))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("column ns of type timestamp_ns");
  }

  /** Compares, row by row, DuckDB's partition with Iceberg's PartitionKey. */
  private void check(PartitionSpec spec) throws SQLException {
    PartitionSql sql = PartitionSql.register(duckdb, spec);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(SCHEMA.asStruct());
    try (Statement statement = duckdb.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT id, " + String.join(", ", sql.expressions()) + " FROM rows ORDER BY id")) {
      int count = 0;
      while (result.next()) {
        Record row = rows.get(result.getInt(1));
        PartitionKey expected = new PartitionKey(spec, SCHEMA);
        expected.partition(wrapper.wrap(row));
        PartitionData actual = sql.partitionOf(result, 2);
        assertThat(StructLikeWrapper.forType(spec.partitionType()).set(actual))
            .as("row %s under %s: DuckDB %s, Iceberg %s", row, spec, actual, expected)
            .isEqualTo(StructLikeWrapper.forType(spec.partitionType()).set(expected));
        count++;
      }
      assertThat(count).isEqualTo(ROWS);
    }
  }

  private static String randomString(Random random) {
    String[] pieces = {"a", "Z", "é", "日本", "😀", "e\u0301", " ", "x"};
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(pieces[random.nextInt(pieces.length)]);
    }
    return text.toString();
  }

  private static String literals(Record row) {
    List<String> values = new ArrayList<>();
    for (Types.NestedField field : SCHEMA.columns()) {
      Object value = row.getField(field.name());
      if (value == null) {
        values.add("NULL");
        continue;
      }
      String type = DuckDbTypes.toDuckDb(field.name(), field.type());
      if (value instanceof ByteBuffer) {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        values.add("unhex('" + HexFormat.of().formatHex(bytes) + "')");
      } else if (value instanceof OffsetDateTime) {
        values.add("CAST('" + value + "' AS " + type + ")");
      } else {
        values.add("CAST(" + DuckDbTypes.literal(value.toString()) + " AS " + type + ")");
      }
    }
    return String.join(", ", values);
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }
}
