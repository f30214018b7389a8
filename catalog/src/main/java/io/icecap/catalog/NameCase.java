package io.icecap.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Names that Icecap cannot tell apart. DuckDB compares identifiers with ASCII letters folded to one
 * case and every other character exactly ({@code Case} and {@code case} are one name, {@code é} and
 * {@code É} two); Icecap runs its queries and writes in DuckDB, so the catalog refuses a table or
 * namespace whose name differs only so from a sibling's (its Lua scripts fold with {@code
 * string.lower}, ASCII letters only). Columns are also looked up through Iceberg's case-insensitive
 * index (planning, routing), which folds every letter ({@link String#toLowerCase} in the root
 * locale) and fails on names that fold to one: a column is refused beside a sibling whose name
 * folds so, which covers DuckDB's rule.
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

  /** A column name as Iceberg's case-insensitive look-ups fold it (every letter, root locale). */
  public static String foldColumn(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
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
        Types.NestedField other = seen.putIfAbsent(foldColumn(field.name()), field);
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
