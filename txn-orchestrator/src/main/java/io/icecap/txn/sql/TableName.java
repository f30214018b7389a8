package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The table a statement writes to, as written.
 *
 * @param parts the dot-separated name parts, e.g. {@code [shop, orders]} for {@code shop.orders};
 *     quoted parts without their quotes, unquoted parts as written (DuckDB compares both
 *     case-insensitively)
 * @param span the characters of the whole name, quotes and dots included
 */
public record TableName(List<String> parts, Span span) {
  public TableName {
    parts = List.copyOf(requireNonNull(parts, "parts is null"));
    requireNonNull(span, "span is null");
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("A table name needs at least one part");
    }
  }

  /** Returns the last name part: the table itself without catalog or schema. */
  public String lastPart() {
    return parts.get(parts.size() - 1);
  }
}
