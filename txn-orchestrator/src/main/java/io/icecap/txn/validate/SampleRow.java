package io.icecap.txn.validate;

import io.icecap.replica.DuckDbTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A row of plain non-NULL values (0, {@code '0'}, {@code false}, 1970-01-01, …) for the table's
 * top-level columns, as the SET list of an UPDATE: a statement that fails over the lenient row of
 * NULLs and over this one too fails whatever a row holds, as far as submit can tell.
 */
final class SampleRow {
  private SampleRow() {}

  /** {@code "a" = 0, "b" = '0', …} for every column of the schema. */
  static String assignments(Schema schema) {
    List<String> assignments = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      assignments.add(DuckDbTypes.quote(field.name()) + " = " + value(field.type()));
    }
    return String.join(", ", assignments);
  }

  private static String value(Type type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return "false";
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL:
        return "0";
      case STRING:
        return "'0'";
      case DATE:
        return "DATE '1970-01-01'";
      case TIME:
        return "TIME '00:00:00'";
      case TIMESTAMP, TIMESTAMP_NANO:
        return "TIMESTAMP '1970-01-01'";
      case UUID:
        return "'00000000-0000-0000-0000-000000000000'::UUID";
      case BINARY, FIXED:
        return "''::BLOB";
      default:
        return "NULL";
    }
  }
}
