package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;

/** Builds new SQL text from an original by replacing spans of it, token-exactly. */
public final class SqlRewriter {
  /**
   * Text to put in place of a span of the original SQL. An empty span inserts the text at its
   * position.
   */
  public record Replacement(Span span, String text) {
    public Replacement {
      requireNonNull(span, "span is null");
      requireNonNull(text, "text is null");
    }
  }

  private SqlRewriter() {}

  /**
   * Returns {@code sql} with every replacement applied; the replacements may come in any order.
   *
   * @throws IllegalArgumentException when a span lies outside {@code sql}, or two replacements
   *     overlap (two insertions at the same position count as overlapping, since their order would
   *     be ambiguous)
   */
  public static String rewrite(String sql, List<Replacement> replacements) {
    requireNonNull(sql, "sql is null");
    List<Replacement> sorted =
        requireNonNull(replacements, "replacements is null").stream()
            .sorted(
                Comparator.comparingInt((Replacement r) -> r.span().start())
                    .thenComparingInt(r -> r.span().end()))
            .toList();
    StringBuilder result = new StringBuilder(sql.length());
    int copied = 0;
    Replacement previous = null;
    for (Replacement replacement : sorted) {
      Span span = replacement.span();
      if (span.end() > sql.length()) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot replace %s: it ends past the SQL text of %d characters",
                span, sql.length()));
      }
      if (previous != null
          && (span.start() < previous.span().end()
              || (span.length() == 0 && previous.span().equals(span)))) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot replace %s and %s: the spans overlap; merge them into one replacement",
                previous.span(), span));
      }
      result.append(sql, copied, span.start()).append(replacement.text());
      copied = span.end();
      previous = replacement;
    }
    return result.append(sql, copied, sql.length()).toString();
  }

  /**
   * Returns the statement with its target table replaced by {@code newTarget}, which is inserted
   * verbatim (quote it with {@link #quoteIdentifier} if needed).
   *
   * <p>When the statement has no alias, the original table name is kept visible as one, so that
   * columns qualified by it still resolve: {@code UPDATE shop.orders SET qty = orders.qty + 1}
   * becomes {@code UPDATE rows AS "orders" SET qty = orders.qty + 1}. This is done for every UPDATE
   * and DELETE, and for an INSERT with ON CONFLICT or RETURNING, whose clauses may also name the
   * table; a plain INSERT only has its target replaced. References qualified by schema or catalog
   * ({@code shop.orders.qty}) do not resolve after the rewrite.
   *
   * @throws IllegalArgumentException when {@code newTarget} is blank
   */
  public static String retarget(DmlStatement statement, String newTarget) {
    requireNonNull(statement, "statement is null");
    requireNonNull(newTarget, "newTarget is null");
    if (newTarget.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot retarget " + statement.target().parts() + ": the new target name is blank");
    }
    boolean keepName =
        statement.alias().isEmpty()
            && (statement.kind() != DmlKind.INSERT
                || statement.onConflict()
                || statement.hasReturning());
    String replacement =
        keepName ? newTarget + " AS " + quoteIdentifier(statement.target().lastPart()) : newTarget;
    return rewrite(
        statement.sql(), List.of(new Replacement(statement.target().span(), replacement)));
  }

  /**
   * Returns {@code name} as a DuckDB quoted identifier: in double quotes, with embedded double
   * quotes doubled ({@code a"b} becomes {@code "a""b"}).
   *
   * @throws IllegalArgumentException when {@code name} is empty, which DuckDB cannot quote
   */
  public static String quoteIdentifier(String name) {
    requireNonNull(name, "name is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot quote an empty identifier: DuckDB rejects zero-length quoted names");
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
