package io.icecap.txn.validate;

import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.Span;
import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.Token;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Whether a statement's expressions may read the table's columns, from its tokens: a name that is
 * one of the table's columns counts, except where an UPDATE assigns it. Errs towards "reads" (a
 * function or alias named like a column counts), which only makes submit check less.
 */
final class ColumnReferences {
  private ColumnReferences() {}

  /**
   * True when an expression of the statement may read a column of the table.
   *
   * @param withWhere whether the WHERE clause counts, or only the rest (the SET of an UPDATE)
   */
  static boolean readsColumns(DmlStatement statement, Schema schema, boolean withWhere) {
    Span where = withWhere ? null : statement.where().orElse(null);
    Map<String, Integer> columns = new HashMap<>();
    for (Types.NestedField field : schema.columns()) {
      columns.put(field.name().toLowerCase(Locale.ROOT), 0);
    }
    for (Token token : SqlLexer.tokenize(statement.sql())) {
      boolean inWhere =
          where != null && token.start() >= where.start() && token.end() <= where.end();
      if (!inWhere
          && (token.kind() == Token.Kind.IDENTIFIER
              || token.kind() == Token.Kind.QUOTED_IDENTIFIER)) {
        String name = token.value().toLowerCase(Locale.ROOT);
        columns.computeIfPresent(name, (k, count) -> count + 1);
      }
    }
    for (String assigned : statement.setColumns()) {
      columns.computeIfPresent(assigned.toLowerCase(Locale.ROOT), (k, count) -> count - 1);
    }
    return columns.values().stream().anyMatch(count -> count > 0);
  }
}
