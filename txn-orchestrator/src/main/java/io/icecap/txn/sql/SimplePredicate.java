package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalInt;

/**
 * A WHERE conjunct of a simple shape that constrains one column of the target table, such as {@code
 * day = DATE '2024-01-01'} or {@code region IN (?, ?)}.
 *
 * @param column the column name without its table qualifier: quoted names without quotes, unquoted
 *     ones as written (DuckDB compares both case-insensitively)
 * @param operator the comparison, normalized so that the column is on the left
 * @param operands the values compared with, in order (two for BETWEEN, none for IS [NOT] NULL)
 * @param span the characters of the whole conjunct
 */
public record SimplePredicate(String column, Operator operator, List<Operand> operands, Span span) {
  /** The comparisons recognized, with the column on the left. */
  public enum Operator {
    EQUAL,
    NOT_EQUAL,
    LESS_THAN,
    LESS_THAN_OR_EQUAL,
    GREATER_THAN,
    GREATER_THAN_OR_EQUAL,
    IN,
    BETWEEN,
    IS_NULL,
    IS_NOT_NULL;

    /** Returns the operator that holds with the sides swapped: {@code 5 < x} is {@code x > 5}. */
    Operator flipped() {
      return switch (this) {
        case LESS_THAN -> GREATER_THAN;
        case LESS_THAN_OR_EQUAL -> GREATER_THAN_OR_EQUAL;
        case GREATER_THAN -> LESS_THAN;
        case GREATER_THAN_OR_EQUAL -> LESS_THAN_OR_EQUAL;
        default -> this;
      };
    }
  }

  /**
   * A value in a simple predicate: a literal ({@code 42}, {@code -1.5}, {@code 'x'}, {@code TRUE}),
   * a parameter, a typed literal ({@code DATE '2024-01-01'}), or one of those cast ({@code
   * ?::DATE}, {@code CAST('1' AS INT)}). Evaluate {@link #text()} to get its value.
   *
   * @param span the characters of the whole operand, casts included
   * @param text the operand as written
   * @param parameterIndex when the operand holds a parameter, its index in {@link
   *     DmlStatement#parameters()}
   */
  public record Operand(Span span, String text, OptionalInt parameterIndex) {
    public Operand {
      requireNonNull(span, "span is null");
      requireNonNull(text, "text is null");
      requireNonNull(parameterIndex, "parameterIndex is null");
    }
  }

  public SimplePredicate {
    requireNonNull(column, "column is null");
    requireNonNull(operator, "operator is null");
    operands = List.copyOf(requireNonNull(operands, "operands is null"));
    requireNonNull(span, "span is null");
    int expected =
        switch (operator) {
          case IS_NULL, IS_NOT_NULL -> 0;
          case BETWEEN -> 2;
          case IN -> Math.max(1, operands.size());
          default -> 1;
        };
    if (operands.size() != expected) {
      throw new IllegalArgumentException(
          String.format(
              "%s on column %s needs %d operands, got %d",
              operator, column, expected, operands.size()));
    }
  }
}
