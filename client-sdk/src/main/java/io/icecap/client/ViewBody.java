package io.icecap.client;

import io.icecap.replica.DuckDbTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * The SQL of a view reading a table's files at one snapshot, as one would write it in DuckDB by
 * hand. Files without deletes are one {@code read_parquet} over them all, as for a table without
 * deletes. Files with deletes are one more {@code read_parquet}, with each row's file index and row
 * number, anti-joined with the deleted positions (position delete files and deletion vectors, as
 * Parquet position deletes, joined with the pairs of delete file and data file the plan names) and
 * with the rows of each set of equality delete files (columns found by field id, so a renamed
 * column still matches; nulls match nulls, as in Iceberg). Iceberg's planner says which delete
 * files apply to which data file (by its sequence-number and partition rules); when the data files
 * differ in their equality deletes, the files with the same ones form a group, and an equality
 * delete row matches only rows of the groups it applies to.
 */
final class ViewBody {
  /**
   * The most rows of equality deletes repeated for the groups of files they apply to; beyond it,
   * each group of files is read on its own.
   */
  private static final long MAX_SCOPED_ROWS = 1_000_000;

  private ViewBody() {}

  /** The view body reading the tasks' local files with the schema's columns. */
  static String of(Table table, Schema schema, List<ScanFiles.LocalTask> tasks) {
    if (tasks.isEmpty()) {
      return empty(schema);
    }
    boolean byName =
        table.schemas().size() == 1 && schema.columns().stream().allMatch(ViewBody::byName);
    List<String> plainPaths = new ArrayList<>();
    List<ScanFiles.LocalTask> withDeletes = new ArrayList<>();
    for (ScanFiles.LocalTask task : tasks) {
      if (task.hasDeletes()) {
        withDeletes.add(task);
      } else {
        plainPaths.add(task.path());
      }
    }
    List<String> selects = new ArrayList<>();
    if (!plainPaths.isEmpty()) {
      selects.add(plain(schema, plainPaths, byName));
    }
    if (!withDeletes.isEmpty()) {
      Map<List<String>, List<ScanFiles.LocalTask>> groups = equalityGroups(withDeletes);
      if (groups.size() == 1 || scopedRows(withDeletes, groups) <= MAX_SCOPED_ROWS) {
        selects.add(withDeletes(schema, withDeletes, byName));
      } else {
        // equality deletes applying to many groups of files: one read per group rather than
        // their rows repeated for every group
        for (List<ScanFiles.LocalTask> group : groups.values()) {
          selects.add(withDeletes(schema, group, byName));
        }
      }
    }
    return String.join(" UNION ALL ", selects);
  }

  /** The data files by the equality delete files that apply to them, in the order given. */
  private static Map<List<String>, List<ScanFiles.LocalTask>> equalityGroups(
      List<ScanFiles.LocalTask> tasks) {
    Map<List<String>, List<ScanFiles.LocalTask>> groups = new LinkedHashMap<>();
    for (ScanFiles.LocalTask task : tasks) {
      groups.computeIfAbsent(equalityKey(task), k -> new ArrayList<>()).add(task);
    }
    return groups;
  }

  private static List<String> equalityKey(ScanFiles.LocalTask task) {
    List<String> key = new ArrayList<>();
    for (ScanFiles.LocalDelete delete : task.equalities()) {
      key.add(delete.path());
    }
    return key;
  }

  /** The rows of the equality relations when each delete's rows are repeated for each group. */
  private static long scopedRows(
      List<ScanFiles.LocalTask> tasks, Map<List<String>, List<ScanFiles.LocalTask>> groups) {
    Map<String, Long> groupsOf = new HashMap<>();
    Map<String, Long> rowsOf = new HashMap<>();
    for (List<ScanFiles.LocalTask> group : groups.values()) {
      for (ScanFiles.LocalDelete delete : group.get(0).equalities()) {
        groupsOf.merge(delete.path(), 1L, Long::sum);
        rowsOf.put(delete.path(), delete.file().recordCount());
      }
    }
    long rows = 0;
    for (Map.Entry<String, Long> entry : groupsOf.entrySet()) {
      rows += entry.getValue() * rowsOf.get(entry.getKey());
    }
    return rows;
  }

  /**
   * One read of data files with deletes: the rows, their file's index in the list and their row
   * number, anti-joined with the deleted positions (by file index and row number) and with each set
   * of equality delete files. When not every file has the same equality deletes, each delete row
   * carries the groups of files it applies to, and each data row its file's group.
   */
  private static String withDeletes(
      Schema schema, List<ScanFiles.LocalTask> tasks, boolean byName) {
    for (String virtual : List.of("file_index", "file_row_number")) {
      if (schema.caseInsensitiveFindField(virtual) != null) {
        throw new IcecapException(
            ErrorCode.UNSUPPORTED,
            "Cannot apply the delete files of a table with a column named %s: DuckDB gives each"
                + " row's %s under that name; rename the column (ALTER TABLE ... RENAME COLUMN)",
            virtual,
            virtual.replace('_', ' '));
      }
    }
    List<String> paths = new ArrayList<>();
    tasks.forEach(task -> paths.add(task.path()));
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      columns.add("d." + DuckDbTypes.quote(field.name()));
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(String.join(", ", columns))
            .append(" FROM read_parquet(")
            .append(list(paths))
            .append(", ")
            .append(options(schema, byName))
            .append(", file_row_number = true) AS d");
    String positions = positions(tasks);
    if (positions != null) {
      sql.append(" ANTI JOIN (")
          .append(positions)
          .append(") AS x ON d.file_index = x.file_index AND d.file_row_number = x.pos");
    }
    Map<List<String>, List<ScanFiles.LocalTask>> groups = equalityGroups(tasks);
    List<String> groupOfFile = new ArrayList<>();
    List<List<String>> keys = new ArrayList<>(groups.keySet());
    for (ScanFiles.LocalTask task : tasks) {
      groupOfFile.add(String.valueOf(keys.indexOf(equalityKey(task))));
    }
    boolean scoped = groups.size() > 1;
    // the equality delete files by their set of columns, each with the groups it applies to
    Map<List<Integer>, Map<String, List<Integer>>> byColumns = new LinkedHashMap<>();
    Map<String, DeleteFile> files = new HashMap<>();
    for (int g = 0; g < keys.size(); g++) {
      for (ScanFiles.LocalDelete delete : groups.get(keys.get(g)).get(0).equalities()) {
        List<Integer> ids = new ArrayList<>(new TreeSet<>(delete.file().equalityFieldIds()));
        byColumns
            .computeIfAbsent(ids, k -> new LinkedHashMap<>())
            .computeIfAbsent(delete.path(), k -> new ArrayList<>())
            .add(g);
        files.put(delete.path(), delete.file());
      }
    }
    int n = 0;
    for (Map.Entry<List<Integer>, Map<String, List<Integer>>> entry : byColumns.entrySet()) {
      String alias = "e" + n++;
      List<String> matches = new ArrayList<>();
      for (int id : entry.getKey()) {
        Types.NestedField field =
            schema.columns().stream().filter(f -> f.fieldId() == id).findAny().orElse(null);
        if (field == null) {
          throw new IcecapException(
              ErrorCode.UNSUPPORTED,
              "Cannot apply equality delete file %s: it deletes by field id %d, which is not a"
                  + " top-level column of the schema read (%s); such deletes are not supported",
              files.get(entry.getValue().keySet().iterator().next()).location(),
              id,
              schema.asStruct());
        }
        String column = DuckDbTypes.quote(field.name());
        matches.add("d." + column + " IS NOT DISTINCT FROM " + alias + "." + column);
      }
      Schema keyColumns = TypeUtil.select(schema, new HashSet<>(entry.getKey()));
      List<String> deletePaths = new ArrayList<>(entry.getValue().keySet());
      String read =
          "read_parquet("
              + list(deletePaths)
              + ", schema = "
              + DuckDbTypes.fieldIdSchema(keyColumns.columns(), Map.of());
      if (!scoped) {
        sql.append(" ANTI JOIN (SELECT * FROM ").append(read).append(")) AS ").append(alias);
      } else {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> file : entry.getValue().entrySet()) {
          for (int g : file.getValue()) {
            pairs.add("(" + DuckDbTypes.literal(file.getKey()) + ", " + g + ")");
          }
        }
        sql.append(" ANTI JOIN (SELECT e.*, m.icecap_group FROM ")
            .append(read)
            .append(", filename = 'icecap_delete_file') AS e JOIN (VALUES ")
            .append(String.join(", ", pairs))
            .append(
                ") AS m(delete_file, icecap_group) ON e.icecap_delete_file = m.delete_file) AS ")
            .append(alias);
        matches.add(
            0,
            "list_extract(["
                + String.join(", ", groupOfFile)
                + "], d.file_index::BIGINT + 1) = "
                + alias
                + ".icecap_group");
      }
      sql.append(" ON ").append(String.join(" AND ", matches));
    }
    return sql.toString();
  }

  /**
   * The deleted positions of the files, by the index of their file in the list read: a position
   * delete file applies to the data files whose tasks name it (and only to its rows naming them).
   */
  private static String positions(List<ScanFiles.LocalTask> tasks) {
    List<String> deleteFiles = new ArrayList<>();
    List<String> triples = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      ScanFiles.LocalTask task = tasks.get(i);
      for (ScanFiles.LocalDelete delete : task.positions()) {
        if (!deleteFiles.contains(delete.path())) {
          deleteFiles.add(delete.path());
        }
        triples.add(
            "("
                + DuckDbTypes.literal(delete.path())
                + ", "
                + DuckDbTypes.literal(task.location())
                + ", "
                + i
                + ")");
      }
    }
    if (deleteFiles.isEmpty()) {
      return null;
    }
    return "SELECT m.file_index::UBIGINT AS file_index, p.pos FROM read_parquet("
        + list(deleteFiles)
        + ", filename = 'icecap_delete_file') AS p JOIN (VALUES "
        + String.join(", ", triples)
        + ") AS m(delete_file, file_path, file_index)"
        + " ON p.icecap_delete_file = m.delete_file AND p.file_path = m.file_path";
  }

  /**
   * A read of files without deletes. A table that has only ever had one schema has every file's
   * columns named as in it, so when its types read back unchanged by name, the files are read by
   * name: DuckDB scans them faster than through the field-id mapping (about 30% on a join). Any
   * other table is read by field id, which is right across renames, drops and type promotions.
   */
  private static String plain(Schema schema, List<String> paths, boolean byName) {
    if (byName) {
      List<String> columns = new ArrayList<>();
      for (Types.NestedField field : schema.columns()) {
        columns.add(DuckDbTypes.quote(field.name()));
      }
      return "SELECT "
          + String.join(", ", columns)
          + " FROM read_parquet("
          + list(paths)
          + ", hive_partitioning = false)";
    }
    return "SELECT * FROM read_parquet(" + list(paths) + ", " + options(schema, false) + ")";
  }

  private static String options(Schema schema, boolean byName) {
    return byName
        ? "hive_partitioning = false"
        : "schema = " + DuckDbTypes.fieldIdSchema(schema.columns(), Map.of());
  }

  private static String list(List<String> paths) {
    List<String> literals = new ArrayList<>();
    for (String path : paths) {
      literals.add(DuckDbTypes.literal(path));
    }
    return "[" + String.join(", ", literals) + "]";
  }

  /** Whether DuckDB reads a column of this type back with the type Icecap maps it to. */
  private static boolean byName(Types.NestedField field) {
    return switch (field.type().typeId()) {
      case BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, DECIMAL, DATE, TIMESTAMP, STRING -> true;
      default -> false;
    };
  }

  private static String empty(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      columns.add(
          "CAST(NULL AS "
              + DuckDbTypes.toDuckDb(field.name(), field.type())
              + ") AS "
              + DuckDbTypes.quote(field.name()));
    }
    return "SELECT " + String.join(", ", columns) + " WHERE false";
  }
}
