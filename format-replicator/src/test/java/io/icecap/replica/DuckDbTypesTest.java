package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The DuckDB types, column definitions and field ids of Iceberg schemas, checked in DuckDB. */
class DuckDbTypesTest {
  private Connection duckdb;

  @BeforeEach
  void connect() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterEach
  void close() throws SQLException {
    duckdb.close();
  }

  /** Iceberg type, the DuckDB type Icecap writes, and how DuckDB spells it back. */
  static Stream<Arguments> types() {
    Types.StructType point =
        Types.StructType.of(
            Types.NestedField.optional(1, "x", Types.DoubleType.get()),
            Types.NestedField.required(2, "y", Types.StringType.get()));
    return Stream.of(
        Arguments.of(Types.BooleanType.get(), "BOOLEAN", "BOOLEAN"),
        Arguments.of(Types.IntegerType.get(), "INTEGER", "INTEGER"),
        Arguments.of(Types.LongType.get(), "BIGINT", "BIGINT"),
        Arguments.of(Types.FloatType.get(), "FLOAT", "FLOAT"),
        Arguments.of(Types.DoubleType.get(), "DOUBLE", "DOUBLE"),
        Arguments.of(Types.DecimalType.of(1, 0), "DECIMAL(1, 0)", "DECIMAL(1,0)"),
        Arguments.of(Types.DecimalType.of(9, 2), "DECIMAL(9, 2)", "DECIMAL(9,2)"),
        Arguments.of(Types.DecimalType.of(18, 18), "DECIMAL(18, 18)", "DECIMAL(18,18)"),
        Arguments.of(Types.DecimalType.of(38, 0), "DECIMAL(38, 0)", "DECIMAL(38,0)"),
        Arguments.of(Types.DecimalType.of(38, 10), "DECIMAL(38, 10)", "DECIMAL(38,10)"),
        Arguments.of(Types.DecimalType.of(38, 38), "DECIMAL(38, 38)", "DECIMAL(38,38)"),
        Arguments.of(Types.DateType.get(), "DATE", "DATE"),
        Arguments.of(Types.TimeType.get(), "TIME", "TIME"),
        Arguments.of(Types.TimestampType.withoutZone(), "TIMESTAMP", "TIMESTAMP"),
        Arguments.of(
            Types.TimestampType.withZone(), "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
        Arguments.of(Types.TimestampNanoType.withoutZone(), "TIMESTAMP_NS", "TIMESTAMP_NS"),
        Arguments.of(Types.StringType.get(), "VARCHAR", "VARCHAR"),
        Arguments.of(Types.UUIDType.get(), "UUID", "UUID"),
        Arguments.of(Types.BinaryType.get(), "BLOB", "BLOB"),
        Arguments.of(point, "STRUCT(\"x\" DOUBLE, \"y\" VARCHAR)", "STRUCT(x DOUBLE, y VARCHAR)"),
        Arguments.of(
            Types.ListType.ofOptional(3, Types.IntegerType.get()), "INTEGER[]", "INTEGER[]"),
        Arguments.of(
            Types.ListType.ofRequired(3, Types.StringType.get()), "VARCHAR[]", "VARCHAR[]"),
        Arguments.of(
            Types.MapType.ofOptional(3, 4, Types.StringType.get(), Types.LongType.get()),
            "MAP(VARCHAR, BIGINT)",
            "MAP(VARCHAR, BIGINT)"),
        Arguments.of(
            Types.ListType.ofOptional(3, point),
            "STRUCT(\"x\" DOUBLE, \"y\" VARCHAR)[]",
            "STRUCT(x DOUBLE, y VARCHAR)[]"),
        Arguments.of(
            Types.ListType.ofOptional(
                3, Types.ListType.ofOptional(4, Types.DecimalType.of(38, 10))),
            "DECIMAL(38, 10)[][]",
            "DECIMAL(38,10)[][]"),
        Arguments.of(
            Types.MapType.ofOptional(
                3,
                4,
                Types.DateType.get(),
                Types.ListType.ofOptional(5, Types.TimestampType.withZone())),
            "MAP(DATE, TIMESTAMP WITH TIME ZONE[])",
            "MAP(DATE, TIMESTAMP WITH TIME ZONE[])"),
        Arguments.of(
            Types.MapType.ofRequired(3, 4, point, Types.UUIDType.get()),
            "MAP(STRUCT(\"x\" DOUBLE, \"y\" VARCHAR), UUID)",
            "MAP(STRUCT(x DOUBLE, y VARCHAR), UUID)"),
        Arguments.of(
            Types.StructType.of(
                Types.NestedField.optional(
                    3,
                    "m",
                    Types.MapType.ofOptional(4, 5, Types.StringType.get(), Types.BinaryType.get())),
                Types.NestedField.optional(6, "inner", point)),
            "STRUCT(\"m\" MAP(VARCHAR, BLOB), \"inner\" STRUCT(\"x\" DOUBLE, \"y\" VARCHAR))",
            "STRUCT(m MAP(VARCHAR, BLOB), \"inner\" STRUCT(x DOUBLE, y VARCHAR))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void everyTypeHasItsDuckDbType(Type type, String duckDbType, String describedAs)
      throws SQLException {
    assertThat(DuckDbTypes.toDuckDb("c", type)).isEqualTo(duckDbType);

    // DuckDB accepts the type, and it is the one DuckDB reports for the column
    Schema schema = new Schema(Types.NestedField.optional(100, "c", type));
    execute("CREATE TABLE t (" + DuckDbTypes.columnDefinitions(schema) + ")");
    assertThat(describe("t")).containsExactly(Map.entry("c", describedAs));
  }

  @Test
  void requiredIsNotNullOnlyAtTheTopLevel() throws SQLException {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.required(
                3,
                "s",
                Types.StructType.of(Types.NestedField.required(4, "a", Types.IntegerType.get()))),
            Types.NestedField.required(5, "l", Types.ListType.ofRequired(6, Types.DateType.get())),
            Types.NestedField.optional(
                7,
                "m",
                Types.MapType.ofRequired(8, 9, Types.StringType.get(), Types.StringType.get())));

    assertThat(DuckDbTypes.columnDefinitions(schema))
        .isEqualTo(
            "\"id\" BIGINT NOT NULL, \"name\" VARCHAR, \"s\" STRUCT(\"a\" INTEGER) NOT NULL,"
                + " \"l\" DATE[] NOT NULL, \"m\" MAP(VARCHAR, VARCHAR)");

    execute("CREATE TABLE t (" + DuckDbTypes.columnDefinitions(schema) + ")");
    try (Statement statement = duckdb.createStatement();
        ResultSet columns =
            statement.executeQuery(
                "SELECT column_name, is_nullable FROM information_schema.columns"
                    + " WHERE table_name = 't' ORDER BY ordinal_position")) {
      Map<String, String> nullable = new LinkedHashMap<>();
      while (columns.next()) {
        nullable.put(columns.getString(1), columns.getString(2));
      }
      assertThat(nullable)
          .containsExactly(
              Map.entry("id", "NO"),
              Map.entry("name", "YES"),
              Map.entry("s", "NO"),
              Map.entry("l", "NO"),
              Map.entry("m", "YES"));
    }
    // DuckDB has no NOT NULL inside nested types: the writer checks those (TypeRoundTripIT)
    execute("INSERT INTO t VALUES (1, NULL, {'a': NULL}, [NULL], MAP {'k': NULL})");
    assertThatThrownBy(() -> execute("INSERT INTO t VALUES (NULL, NULL, {'a': 1}, [], NULL)"))
        .hasMessageContaining("NOT NULL constraint failed");
  }

  static Stream<String> awkwardNames() {
    return Stream.of(
        "we\"ird",
        "\"",
        "\"\"quoted\"\"",
        "it's",
        "with space",
        " leading and trailing ",
        "dotted.name",
        "a.b.c",
        "ünïcödé",
        "日本語",
        "emoji 😀",
        "e\u0301",
        "select",
        "order",
        "123",
        "tab\there",
        "new\nline",
        "back\\slash",
        "semi;colon",
        "paren(s)",
        "key",
        "value",
        "element");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("awkwardNames")
  void awkwardNamesAreQuotedAndKept(String name, @TempDir Path dir) throws SQLException {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, name, Types.IntegerType.get()),
            Types.NestedField.optional(
                2,
                "s",
                Types.StructType.of(
                    Types.NestedField.optional(3, name, Types.StringType.get()),
                    Types.NestedField.optional(
                        4,
                        "inner",
                        Types.StructType.of(
                            Types.NestedField.optional(5, name, Types.LongType.get()))))),
            Types.NestedField.optional(
                6,
                "l",
                Types.ListType.ofOptional(
                    7,
                    Types.StructType.of(
                        Types.NestedField.optional(8, name, Types.BooleanType.get())))));
    execute("CREATE TABLE t (" + DuckDbTypes.columnDefinitions(schema) + ")");
    assertThat(describe("t").keySet()).containsExactly(name, "s", "l");

    String quoted = DuckDbTypes.quote(name);
    String literal = DuckDbTypes.literal(name);
    execute(
        "INSERT INTO t VALUES (42, {"
            + literal
            + ": 'text', 'inner': {"
            + literal
            + ": 7}}, [{"
            + literal
            + ": true}])");
    try (Statement statement = duckdb.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT "
                    + quoted
                    + ", s."
                    + quoted
                    + ", s.inner."
                    + quoted
                    + ", l[1]."
                    + quoted
                    + ", struct_extract(s, "
                    + literal
                    + ") FROM t")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getInt(1)).isEqualTo(42);
      assertThat(row.getString(2)).isEqualTo("text");
      assertThat(row.getLong(3)).isEqualTo(7);
      assertThat(row.getBoolean(4)).isTrue();
      assertThat(row.getString(5)).isEqualTo("text");
    }

    // the field ids reach the Parquet file under the same names
    assertThat(parquetFieldIds(dir, schema))
        .containsExactly(
            Map.entry(name, 1),
            Map.entry("s", 2),
            Map.entry(name, 3),
            Map.entry("inner", 4),
            Map.entry(name, 5),
            Map.entry("l", 6),
            Map.entry("list", -1),
            Map.entry("element", 7),
            Map.entry(name, 8));
  }

  /**
   * Ids 1 to 13 over structs, lists and maps, with a chosen struct field name and innermost type.
   */
  private static Schema nestedSchema(String innerName, Type innermost) {
    return new Schema(
        Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(
            2,
            "s",
            Types.StructType.of(
                Types.NestedField.optional(3, "x", Types.DoubleType.get()),
                Types.NestedField.optional(
                    4, "l", Types.ListType.ofOptional(5, Types.StringType.get())))),
        Types.NestedField.optional(
            6,
            "m",
            Types.MapType.ofOptional(
                7,
                8,
                Types.StringType.get(),
                Types.ListType.ofRequired(
                    9,
                    Types.StructType.of(
                        Types.NestedField.required(10, innerName, Types.IntegerType.get()))))),
        Types.NestedField.optional(
            11, "ll", Types.ListType.ofOptional(12, Types.ListType.ofOptional(13, innermost))));
  }

  @Test
  void fieldIdsNameEveryNestedId() {
    Schema schema = nestedSchema("it's", Types.IntegerType.get());

    assertThat(DuckDbTypes.fieldIds(schema))
        .isEqualTo(
            "{'id': 1, 's': {__duckdb_field_id: 2, 'x': 3, 'l': {__duckdb_field_id: 4, element:"
                + " 5}}, 'm': {__duckdb_field_id: 6, key: 7, value: {__duckdb_field_id: 8,"
                + " element: {__duckdb_field_id: 9, 'it''s': 10}}}, 'll': {__duckdb_field_id:"
                + " 11, element: {__duckdb_field_id: 12, element: 13}}}");
  }

  @Test
  void duckDbWritesEveryFieldIdToParquet(@TempDir Path dir) throws SQLException {
    Schema schema = nestedSchema("y", Types.TimestampNanoType.withoutZone());
    execute("CREATE TABLE t (" + DuckDbTypes.columnDefinitions(schema) + ")");

    // every id of the schema is in the file exactly once; the groups Parquet adds have none
    List<Integer> written = new ArrayList<>();
    parquetFieldIds(dir, schema).forEach(node -> written.add(node.getValue()));
    written.removeIf(id -> id < 0);
    assertThat(written)
        .containsExactlyInAnyOrderElementsOf(TypeUtil.indexById(schema.asStruct()).keySet());
  }

  /** The unsupported type, where it sits, and the path the message names. */
  static Stream<Arguments> unsupported() {
    return Stream.of(
        Arguments.of(Types.TimestampNanoType.withZone(), "timestamptz_ns"),
        Arguments.of(Types.VariantType.get(), "variant"),
        Arguments.of(Types.GeometryType.crs84(), "geometry"),
        Arguments.of(Types.GeographyType.crs84(), "geography"),
        Arguments.of(Types.UnknownType.get(), "unknown"),
        Arguments.of(Types.FixedType.ofLength(16), "fixed[16]"),
        Arguments.of(Types.FixedType.ofLength(1), "fixed[1]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("unsupported")
  void unsupportedTypesNameTheirColumnPath(Type type, String typeName) {
    assertUnsupported(new Schema(Types.NestedField.optional(1, "top", type)), "top", typeName);
    assertUnsupported(
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(
                2,
                "payload",
                Types.StructType.of(
                    Types.NestedField.optional(3, "items", Types.ListType.ofOptional(4, type))))),
        "payload.items.element",
        typeName);
    assertUnsupported(
        new Schema(
            Types.NestedField.optional(
                1, "m", Types.MapType.ofOptional(2, 3, Types.StringType.get(), type))),
        "m.value",
        typeName);
    assertUnsupported(
        new Schema(
            Types.NestedField.optional(
                1,
                "m",
                Types.MapType.ofOptional(
                    2,
                    3,
                    Types.StructType.of(Types.NestedField.optional(4, "k", type)),
                    Types.StringType.get()))),
        "m.key.k",
        typeName);
  }

  @Test
  void namesDuckDbCannotTellApartAreRefused() {
    assertUnsupported(
        new Schema(
            Types.NestedField.optional(1, "Name", Types.IntegerType.get()),
            Types.NestedField.optional(2, "NAME", Types.StringType.get())),
        "NAME",
        "string",
        "cannot be told apart from Name");
    assertUnsupported(
        new Schema(
            Types.NestedField.optional(
                1,
                "s",
                Types.StructType.of(
                    Types.NestedField.optional(2, "x", Types.IntegerType.get()),
                    Types.NestedField.optional(3, "X", Types.IntegerType.get())))),
        "s.X",
        "int",
        "cannot be told apart from s.x");
    assertUnsupported(
        new Schema(
            Types.NestedField.optional(
                1,
                "s",
                Types.StructType.of(
                    Types.NestedField.optional(2, "__DuckDB_Field_Id", Types.IntegerType.get())))),
        "s.__DuckDB_Field_Id",
        "int",
        "reserves the struct field name");
    assertUnsupported(
        new Schema(Types.NestedField.optional(1, "", Types.IntegerType.get())),
        "\"\"",
        "int",
        "no empty names");
    assertUnsupported(
        new Schema(Types.NestedField.optional(1, "s", Types.StructType.of())),
        "s",
        "struct<>",
        "no struct without fields");
  }

  @Test
  void namesDifferingBeyondAsciiCaseAreKept() throws SQLException {
    // DuckDB folds only ASCII letters: these are distinct columns
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "é", Types.IntegerType.get()),
            Types.NestedField.optional(2, "É", Types.IntegerType.get()),
            Types.NestedField.optional(3, "straße", Types.IntegerType.get()),
            Types.NestedField.optional(4, "STRASSE", Types.IntegerType.get()),
            Types.NestedField.optional(5, "__duckdb_field_id", Types.IntegerType.get()));
    execute("CREATE TABLE t (" + DuckDbTypes.columnDefinitions(schema) + ")");
    assertThat(describe("t").keySet())
        .containsExactly("é", "É", "straße", "STRASSE", "__duckdb_field_id");
  }

  @Test
  void quoteAndLiteralDoubleTheirQuotes() {
    assertThat(DuckDbTypes.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(DuckDbTypes.quote("it's")).isEqualTo("\"it's\"");
    assertThat(DuckDbTypes.literal("it's")).isEqualTo("'it''s'");
    assertThat(DuckDbTypes.literal("a\"b")).isEqualTo("'a\"b'");
  }

  private void assertUnsupported(Schema schema, String path, String typeName, String... reason) {
    var thrown =
        assertThatThrownBy(() -> DuckDbTypes.columnDefinitions(schema))
            .isInstanceOf(UnsupportedTypeException.class)
            .hasMessageStartingWith(
                "Cannot replicate column " + path + " of type " + typeName + ": ");
    for (String part : reason) {
      thrown.hasMessageContaining(part);
    }
  }

  /**
   * Writes table t of the schema to Parquet with {@link DuckDbTypes#fieldIds} and returns every
   * node's name and field id (-1 where it has none), depth first.
   */
  private List<Map.Entry<String, Integer>> parquetFieldIds(Path dir, Schema schema)
      throws SQLException {
    String file = dir.resolve("ids.parquet").toString();
    execute(
        "COPY t TO "
            + DuckDbTypes.literal(file)
            + " (FORMAT PARQUET, FIELD_IDS "
            + DuckDbTypes.fieldIds(schema)
            + ")");
    List<Map.Entry<String, Integer>> ids = new ArrayList<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet nodes =
            statement.executeQuery(
                "SELECT name, field_id FROM parquet_schema("
                    + DuckDbTypes.literal(file)
                    + ") WHERE name <> 'duckdb_schema'")) {
      while (nodes.next()) {
        String name = nodes.getString(1);
        int id = nodes.getInt(2);
        ids.add(Map.entry(name, nodes.wasNull() ? -1 : id));
      }
    }
    return ids;
  }

  private Map<String, String> describe(String table) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery("DESCRIBE " + table)) {
      while (rows.next()) {
        columns.put(rows.getString("column_name"), rows.getString("column_type"));
      }
    }
    return columns;
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }
}
