package io.icecap.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * DuckDB's {@code read_parquet} finds top-level columns by field id but fields inside a struct by
 * name. This check refuses a data file whose struct fields were renamed, or whose dropped field's
 * name was reused, since then reading by name would give wrong values.
 */
final class NestedFieldCheck {
  private NestedFieldCheck() {}

  static void verify(
      Connection duckdb, String localFile, Schema schema, String dataFile, String what)
      throws SQLException {
    Map<Integer, Integer> parents = TypeUtil.indexParents(schema.asStruct());
    Deque<int[]> open =
        new ArrayDeque<>(); // {field id of the nearest ancestor with one, children left}
    try (Statement statement = duckdb.createStatement();
        ResultSet nodes =
            statement.executeQuery(
                "SELECT name, field_id, num_children FROM parquet_schema("
                    + DuckDbTypes.literal(localFile)
                    + ")")) {
      boolean root = true;
      while (nodes.next()) {
        String name = nodes.getString(1);
        int id = nodes.getInt(2);
        boolean hasId = !nodes.wasNull();
        int children = nodes.getInt(3);
        int parentId = open.isEmpty() ? -1 : open.peek()[0];
        if (!open.isEmpty()) {
          open.peek()[1]--;
        }
        if (!root && hasId && parentId > 0) {
          check(schema, parents, id, name, parentId, dataFile, what);
        }
        if (children > 0) {
          open.push(new int[] {hasId ? id : parentId, children});
        }
        root = false;
        while (!open.isEmpty() && open.peek()[1] == 0) {
          open.pop();
        }
      }
    }
  }

  private static void check(
      Schema schema,
      Map<Integer, Integer> parents,
      int id,
      String name,
      int parentId,
      String dataFile,
      String what) {
    Types.NestedField parent = schema.findField(parentId);
    if (parent == null || parent.type().typeId() != Type.TypeID.STRUCT) {
      return; // list elements and map keys and values have fixed names
    }
    Types.NestedField field = schema.findField(id);
    if (field != null && !field.name().equals(name)) {
      throw new ReplicaException(
          "Cannot build the DuckDB replica of %s from data file %s: struct field %s (id %d) is"
              + " named %s in the file; renamed fields inside structs are not supported yet."
              + " Rewrite the file under the current schema",
          what, dataFile, schema.findColumnName(id), id, name);
    }
    if (field == null) {
      Types.NestedField sameName = parent.type().asStructType().field(name);
      if (sameName != null && parents.get(sameName.fieldId()) == parentId) {
        throw new ReplicaException(
            "Cannot build the DuckDB replica of %s from data file %s: its struct field %s (id %d)"
                + " was dropped and the name reused by field id %d; rewrite the file under the"
                + " current schema",
            what, dataFile, name, id, sameName.fieldId());
      }
    }
  }
}
