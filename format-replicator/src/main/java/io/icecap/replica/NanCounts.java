package io.icecap.replica;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.MetricsModes;
import org.apache.iceberg.MetricsUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** The NaN counts of a staged Parquet file, which its footer does not hold. */
final class NanCounts {
  private NanCounts() {}

  /**
   * Adds the NaN counts of the float and double fields outside lists and maps (those Iceberg keeps
   * metrics for), which a Parquet footer does not hold.
   *
   * <p>A row group holding NaN has no float bounds in its statistics while the file's other row
   * groups do, so the file's bounds leave the NaNs out, as Iceberg's bounds must; only a NaN count
   * then tells they are there. Without one, Iceberg's strict metrics evaluator finds that every row
   * of such a file matches {@code x < 5}, and a delete by that filter drops the NaN rows with it.
   */
  static Metrics addTo(
      Connection duckdb, Path file, Schema schema, MetricsConfig config, Metrics metrics)
      throws SQLException {
    Map<Integer, String> floating = new LinkedHashMap<>();
    floatingFields(schema.asStruct(), null, floating);
    floating
        .keySet()
        .removeIf(id -> MetricsUtil.metricsMode(schema, config, id) == MetricsModes.None.get());
    if (floating.isEmpty()) {
      return metrics;
    }
    List<String> counts = new ArrayList<>();
    floating.values().forEach(value -> counts.add("count(*) FILTER (WHERE isnan(" + value + "))"));
    Map<Integer, Long> nanCounts =
        metrics.nanValueCounts() == null
            ? new HashMap<>()
            : new HashMap<>(metrics.nanValueCounts());
    try (Statement statement = duckdb.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT "
                    + String.join(", ", counts)
                    + " FROM read_parquet("
                    + DuckDbTypes.literal(file.toString())
                    + ")")) {
      result.next();
      int index = 1;
      for (Integer id : floating.keySet()) {
        nanCounts.put(id, result.getLong(index++));
      }
    }
    // the bounds keep the types ParquetUtil gave them: those of the schema
    Map<Integer, Type> boundTypes = new HashMap<>();
    Stream.of(metrics.lowerBounds(), metrics.upperBounds())
        .filter(Objects::nonNull)
        .forEach(bounds -> bounds.keySet().forEach(id -> boundTypes.put(id, schema.findType(id))));
    return new Metrics(
        metrics.recordCount(),
        metrics.columnSizes(),
        metrics.valueCounts(),
        metrics.nullValueCounts(),
        nanCounts,
        metrics.lowerBounds(),
        metrics.upperBounds(),
        boundTypes);
  }

  /** The float and double fields of a struct and its structs, with their DuckDB expressions. */
  private static void floatingFields(
      Types.StructType struct, String parent, Map<Integer, String> fields) {
    for (Types.NestedField field : struct.fields()) {
      String value =
          parent == null
              ? DuckDbTypes.quote(field.name())
              : "struct_extract(" + parent + ", " + DuckDbTypes.literal(field.name()) + ")";
      Type.TypeID type = field.type().typeId();
      if (type == Type.TypeID.FLOAT || type == Type.TypeID.DOUBLE) {
        fields.put(field.fieldId(), value);
      } else if (type == Type.TypeID.STRUCT) {
        floatingFields(field.type().asStructType(), value, fields);
      }
    }
  }
}
