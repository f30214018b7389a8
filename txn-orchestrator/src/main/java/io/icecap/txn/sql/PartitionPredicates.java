package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the conditions of an UPDATE or DELETE that bound the rows it can touch, so that a caller
 * can work out which partitions the statement may write.
 */
public final class PartitionPredicates {
  private PartitionPredicates() {}

  /**
   * Returns the simple predicates among the top-level AND conjuncts of the statement's WHERE
   * clause, in order of appearance.
   *
   * <p>The WHERE expression is split at AND operators outside parentheses and CASE expressions; the
   * AND of {@code BETWEEN x AND y} does not split. A conjunct wrapped in parentheses is split
   * again. Each conjunct of one of these shapes becomes a {@link SimplePredicate}:
   *
   * <ul>
   *   <li>{@code col = X}, {@code col <> X} ({@code !=}), {@code col < X}, {@code <=}, {@code >},
   *       {@code >=}, and the same with the sides swapped ({@code X < col} is reported as {@code
   *       col > X});
   *   <li>{@code col IN (X, Y, ...)} and {@code col BETWEEN X AND Y};
   *   <li>{@code col IS NULL} and {@code col IS NOT NULL}.
   * </ul>
   *
   * <p>{@code col} is a column name, either bare or qualified by the statement's alias (or, when
   * there is none, by the target table name or its trailing parts). Each {@code X} is a literal
   * (number, optionally signed; string; TRUE or FALSE), a parameter, a typed literal such as {@code
   * DATE '2024-01-01'}, or one of those cast with {@code ::TYPE} or {@code CAST(X AS TYPE)}. Any
   * other conjunct, such as {@code NOT col = 1}, {@code col NOT IN (1)}, {@code col = other_col} or
   * {@code col = now()}, constrains nothing and is left out.
   *
   * <p>A top-level OR makes the whole WHERE clause unconstrained: the result is then empty, and so
   * it is without a WHERE clause. An OR inside a parenthesized conjunct only leaves that conjunct
   * out. An empty result therefore means the statement may touch every partition.
   */
  public static List<SimplePredicate> conjuncts(DmlStatement statement) {
    requireNonNull(statement, "statement is null");
    if (statement.where().isEmpty()) {
      return List.of();
    }
    Span where = statement.where().get();
    List<Token> tokens =
        SqlLexer.tokenize(statement.sql()).stream()
            .filter(token -> where.contains(token.span()))
            .toList();
    TokenCursor cursor = TokenCursor.over(tokens);
    List<SimplePredicate> predicates = new ArrayList<>();
    if (!collect(cursor, 0, tokens.size(), new PredicateShapes(statement, cursor), predicates)) {
      return List.of();
    }
    return List.copyOf(predicates);
  }

  /** Adds the simple conjuncts in tokens [from, to); returns false if that range holds an OR. */
  private static boolean collect(
      TokenCursor cursor, int from, int to, PredicateShapes shapes, List<SimplePredicate> out) {
    List<int[]> conjuncts = split(cursor, from, to);
    if (conjuncts == null) {
      return false;
    }
    for (int[] conjunct : conjuncts) {
      int start = conjunct[0];
      int end = conjunct[1];
      if (start >= end) {
        continue;
      }
      if (cursor.tokens().get(start).isPunctuation('(') && cursor.partner(start) == end - 1) {
        List<SimplePredicate> inner = new ArrayList<>();
        if (collect(cursor, start + 1, end - 1, shapes, inner)) {
          out.addAll(inner);
        }
      } else {
        shapes.match(start, end).ifPresent(out::add);
      }
    }
    return true;
  }

  /** Returns the [start, end) ranges of the AND conjuncts in [from, to), or null on an OR. */
  private static List<int[]> split(TokenCursor cursor, int from, int to) {
    List<Token> tokens = cursor.tokens();
    List<int[]> ranges = new ArrayList<>();
    int start = from;
    int caseDepth = 0;
    int pendingBetween = 0;
    int i = from;
    while (i < to) {
      Token token = tokens.get(i);
      if (TokenCursor.isOpening(token)) {
        i = cursor.partner(i) + 1;
        continue;
      }
      if (token.isKeyword("CASE")) {
        caseDepth++;
      } else if (token.isKeyword("END") && caseDepth > 0) {
        caseDepth--;
      } else if (caseDepth == 0) {
        if (token.isKeyword("OR")) {
          return null;
        } else if (token.isKeyword("BETWEEN")) {
          pendingBetween++;
        } else if (token.isKeyword("AND") && pendingBetween > 0) {
          pendingBetween--;
        } else if (token.isKeyword("AND")) {
          ranges.add(new int[] {start, i});
          start = i + 1;
        }
      }
      i++;
    }
    ranges.add(new int[] {start, to});
    return ranges;
  }
}
