package io.icecap.txn.validate;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbTypes;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.PartitionPredicates;
import io.icecap.txn.sql.SimplePredicate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * The partitions an UPDATE or DELETE may touch, from the equality and IN conjuncts of its WHERE
 * clause on partition source columns: each value is put through the partition transform in DuckDB,
 * as inserted rows are, and the record lists the partition values each field may have. Any other
 * WHERE clause (ranges, OR, expressions) leaves the statement routed to every partition, which is
 * always correct and only costs work.
 */
final class Routing {
  private final Table table;
  private final ValidationDatabase.Lease lease;
  private final BiFunction<String, Object[], TransactionRejectedException> reject;

  Routing(
      Table table,
      ValidationDatabase.Lease lease,
      BiFunction<String, Object[], TransactionRejectedException> reject) {
    this.table = requireNonNull(table, "table is null");
    this.lease = requireNonNull(lease, "lease is null");
    this.reject = requireNonNull(reject, "reject is null");
  }

  /**
   * The allowed values by partition field name, or null when the statement may touch every
   * partition.
   */
  Map<String, List<String>> of(DmlStatement statement) throws SQLException {
    PartitionSpec spec = table.spec();
    if (!spec.isPartitioned() || statement.where().isEmpty()) {
      return null;
    }
    Map<String, Set<String>> allowed = new LinkedHashMap<>();
    for (SimplePredicate predicate : PartitionPredicates.conjuncts(statement)) {
      if (predicate.operator() != SimplePredicate.Operator.EQUAL
          && predicate.operator() != SimplePredicate.Operator.IN) {
        continue;
      }
      Types.NestedField column = column(spec.schema(), predicate.column());
      if (column == null || !partitions(spec, column)) {
        continue;
      }
      Map<String, Set<String>> values = new LinkedHashMap<>();
      for (SimplePredicate.Operand operand : predicate.operands()) {
        PartitionData partition = evaluate(spec, column, operand.text());
        for (int i = 0; i < spec.fields().size(); i++) {
          if (spec.fields().get(i).sourceId() == column.fieldId()) {
            values
                .computeIfAbsent(spec.fields().get(i).name(), k -> new LinkedHashSet<>())
                .add(PartitionValues.humanValue(spec, partition, i));
          }
        }
      }
      // conjuncts on the same field narrow each other
      values.forEach(
          (field, set) ->
              allowed.merge(
                  field,
                  set,
                  (a, b) -> {
                    Set<String> both = new LinkedHashSet<>(a);
                    both.retainAll(b);
                    return both;
                  }));
    }
    if (allowed.isEmpty()) {
      return null;
    }
    Map<String, List<String>> routing = new LinkedHashMap<>();
    allowed.forEach((field, values) -> routing.put(field, new ArrayList<>(values)));
    return routing;
  }

  private static Types.NestedField column(Schema schema, String name) {
    for (Types.NestedField field : schema.columns()) {
      if (field.name().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  private static boolean partitions(PartitionSpec spec, Types.NestedField column) {
    return spec.fields().stream().anyMatch(f -> f.sourceId() == column.fieldId());
  }

  /** The partition of a row whose only non-null column is {@code column} = {@code operand}. */
  private PartitionData evaluate(PartitionSpec spec, Types.NestedField column, String operand)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : spec.schema().columns()) {
      String type = DuckDbTypes.toDuckDb(field.name(), field.type());
      String value = field.fieldId() == column.fieldId() ? "(" + operand + ")" : "NULL";
      columns.add("CAST(" + value + " AS " + type + ") AS " + DuckDbTypes.quote(field.name()));
    }
    String relation = "(SELECT " + String.join(", ", columns) + ")";
    try (Statement statement = lease.strict().createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT "
                    + String.join(", ", lease.partitions().expressions())
                    + " FROM "
                    + relation)) {
      row.next();
      return lease.partitions().partitionOf(row, 1);
    } catch (SQLException e) {
      throw reject.apply(
          "the WHERE clause compares %s with %s: %s",
          new Object[] {
            column.name(), operand, DuckDbMessages.clean(e.getMessage(), table.name())
          });
    }
  }
}
