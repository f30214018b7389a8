package io.icecap.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Names as DuckDB compares them: ASCII letters without regard to case, every other character
 * exactly ({@code Case} and {@code case} are one name, {@code é} and {@code É} two). Icecap runs
 * its queries and writes in DuckDB, so the catalog refuses a table, namespace or column whose name
 * differs only so from a sibling's; its Lua scripts fold names the same way ({@code string.lower}
 * folds ASCII letters only).
 */
public final class NameCase {
  private NameCase() {}

  /** The name with its ASCII letters in lower case: equal for names DuckDB does not tell apart. */
  public static String fold(String name) {
    char[] chars = name.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /**
   * Two columns of a schema that are siblings (top-level columns, or fields of one struct) and
   * differ only in case, by their full names; empty when there are none.
   */
  public static Optional<List<String>> columnClash(Schema schema) {
    return clash(schema, schema.asStruct());
  }

  private static Optional<List<String>> clash(Schema schema, Type type) {
    if (type == null || type.isPrimitiveType()) {
      return Optional.empty();
    }
    List<Types.NestedField> fields = type.asNestedType().fields();
    if (type.isStructType()) {
      Map<String, Types.NestedField> seen = new HashMap<>();
      for (Types.NestedField field : fields) {
        Types.NestedField other = seen.putIfAbsent(fold(field.name()), field);
        if (other != null) {
          return Optional.of(
              List.of(
                  schema.findColumnName(other.fieldId()), schema.findColumnName(field.fieldId())));
        }
      }
    }
    for (Types.NestedField field : fields) {
      Optional<List<String>> nested = clash(schema, field.type());
      if (nested.isPresent()) {
        return nested;
      }
    }
    return Optional.empty();
  }
}
