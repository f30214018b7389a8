package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class IcebergTypesTest {
  private static final List<Type> TYPES =
      List.of(
          Types.BooleanType.get(),
          Types.IntegerType.get(),
          Types.LongType.get(),
          Types.FloatType.get(),
          Types.DoubleType.get(),
          Types.DecimalType.of(38, 10),
          Types.DateType.get(),
          Types.TimeType.get(),
          Types.TimestampType.withoutZone(),
          Types.TimestampType.withZone(),
          Types.TimestampNanoType.withoutZone(),
          Types.StringType.get(),
          Types.UUIDType.get(),
          Types.BinaryType.get(),
          Types.ListType.ofOptional(1, Types.StringType.get()),
          Types.MapType.ofOptional(
              2,
              3,
              Types.StringType.get(),
              Types.ListType.ofOptional(4, Types.DecimalType.of(9, 2))),
          Types.StructType.of(
              Types.NestedField.optional(5, "plain", Types.IntegerType.get()),
              Types.NestedField.optional(6, "with \"quotes\", and spaces", Types.DateType.get()),
              Types.NestedField.optional(
                  7,
                  "inner",
                  Types.StructType.of(
                      Types.NestedField.optional(
                          8,
                          "m",
                          Types.MapType.ofOptional(
                              9, 10, Types.IntegerType.get(), Types.TimestampType.withZone()))))));

  @Test
  void everyIcebergTypeComesBackFromItsDuckDbType() throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      for (Type type : TYPES) {
        String duckdbType = DuckDbTypes.toDuckDb("c", type);
        Type back = IcebergTypes.fromDuckDb("c", duckdbType, new AtomicInteger(100));
        assertThat(sameShape(back, type)).as("%s via %s gave %s", type, duckdbType, back).isTrue();
        // and DuckDB's own spelling of it reads the same
        statement.execute("CREATE OR REPLACE TABLE t (c " + duckdbType + ")");
        Schema described = IcebergTypes.schemaOf(duckdb, "t");
        assertThat(sameShape(described.findType("c"), type)).as("%s described", type).isTrue();
      }
    }
  }

  @Test
  void duckDbTypesThatWidenAndNotNullColumns() throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(
          "CREATE TABLE t (a TINYINT NOT NULL, b SMALLINT, c UINTEGER, d TIMESTAMP_MS, e JSON,"
              + " f INTEGER[][])");
      Schema schema = IcebergTypes.schemaOf(duckdb, "t");
      assertThat(schema.findField("a").isRequired()).isTrue();
      assertThat(schema.findType("a")).isEqualTo(Types.IntegerType.get());
      assertThat(schema.findField("b").isOptional()).isTrue();
      assertThat(schema.findType("c")).isEqualTo(Types.LongType.get());
      assertThat(schema.findType("d")).isEqualTo(Types.TimestampType.withoutZone());
      assertThat(schema.findType("e")).isEqualTo(Types.StringType.get());
      assertThat(schema.findType("f").asListType().elementType().asListType().elementType())
          .isEqualTo(Types.IntegerType.get());
      assertThat(TypeUtil.indexById(schema.asStruct())).hasSize(8);
    }
  }

  @Test
  void typesWithoutACounterpartAreNamed() {
    for (String type :
        List.of("HUGEINT", "UBIGINT", "INTERVAL", "TIME WITH TIME ZONE", "INTEGER[3]", "BIT")) {
      assertThatThrownBy(() -> IcebergTypes.fromDuckDb("s.x", type, new AtomicInteger()))
          .isInstanceOf(UnsupportedTypeException.class)
          .hasMessageContaining("Cannot map column s.x of DuckDB type " + type + " to Iceberg");
    }
    assertThatThrownBy(() -> IcebergTypes.fromDuckDb("y", "DECIMAL(10", new AtomicInteger()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read the DuckDB type of column y: expected ','");
  }

  /** Equal but for field ids. */
  private static boolean sameShape(Type actual, Type expected) {
    if (actual.typeId() != expected.typeId()) {
      return false;
    }
    switch (expected.typeId()) {
      case STRUCT:
        List<Types.NestedField> a = actual.asStructType().fields();
        List<Types.NestedField> e = expected.asStructType().fields();
        if (a.size() != e.size()) {
          return false;
        }
        for (int i = 0; i < e.size(); i++) {
          if (!a.get(i).name().equals(e.get(i).name())
              || !sameShape(a.get(i).type(), e.get(i).type())) {
            return false;
          }
        }
        return true;
      case LIST:
        return sameShape(actual.asListType().elementType(), expected.asListType().elementType());
      case MAP:
        return sameShape(actual.asMapType().keyType(), expected.asMapType().keyType())
            && sameShape(actual.asMapType().valueType(), expected.asMapType().valueType());
      default:
        return actual.equals(expected);
    }
  }
}
