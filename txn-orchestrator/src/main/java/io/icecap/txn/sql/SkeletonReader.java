package io.icecap.txn.sql;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Reads the skeleton of a statement (keywords, table and column names, aliases) from a {@link
 * TokenCursor}, and remembers which tokens belong to it so that they are not mistaken for parts of
 * expressions later.
 */
final class SkeletonReader {
  /** Words that end a name position: they cannot be an unquoted table name or alias there. */
  private static final Set<String> RESERVED =
      Set.of(
          ("ALL AND AS BY CASE CAST DEFAULT DELETE DISTINCT ELSE END FALSE FROM GROUP HAVING IN"
                  + " INSERT INTO IS JOIN LIMIT NOT NULL ON OR ORDER RETURNING SELECT SET TABLE"
                  + " THEN TRUE UNION UPDATE USING VALUES WHEN WHERE WITH")
              .split(" "));

  private final TokenCursor cursor;
  private final BitSet structural = new BitSet();

  SkeletonReader(TokenCursor cursor) {
    this.cursor = cursor;
  }

  /** Returns the indexes of the tokens read as part of the skeleton. */
  BitSet structural() {
    return structural;
  }

  /** Consumes the current token as part of the skeleton and returns its index. */
  int consume() {
    int index = cursor.position();
    structural.set(index);
    cursor.advance();
    return index;
  }

  /** Consumes {@code keyword}, or fails saying it was expected {@code context}. */
  void expectKeyword(String keyword, String context) {
    structural.set(cursor.position());
    cursor.expectKeyword(keyword, context);
  }

  /** Consumes {@code keyword} if it is next and returns whether it was. */
  boolean acceptKeyword(String keyword) {
    if (cursor.peekKeyword(keyword)) {
      consume();
      return true;
    }
    return false;
  }

  /** Consumes a comma if one is next and returns whether it was. */
  boolean acceptComma() {
    if (cursor.peekPunctuation(',')) {
      cursor.advance();
      return true;
    }
    return false;
  }

  /** Reads a possibly qualified table name. */
  TableName tableName(String expectation) {
    int from = cursor.position();
    List<String> parts = new ArrayList<>();
    parts.add(name(expectation));
    while (cursor.peekPunctuation('.')) {
      consume();
      parts.add(name("a name part after '.' in the table name"));
    }
    return new TableName(parts, cursor.span(from, cursor.position()));
  }

  /** Reads {@code AS alias} or a bare alias if one is next; returns null when there is none. */
  String optionalAlias() {
    if (acceptKeyword("AS")) {
      return name("an alias after AS");
    }
    return isPlainName(cursor.peek()) ? cursor.tokens().get(consume()).value() : null;
  }

  /** Reads the parenthesized column list {@code (a, b, ...)} at the cursor. */
  List<String> columnList(String where) {
    int close = cursor.partner(cursor.position());
    consume();
    List<String> columns = new ArrayList<>();
    do {
      columns.add(columnName("a column name in the " + where));
    } while (acceptComma());
    if (cursor.position() != close) {
      throw cursor.expected("',' or ')' in the " + where);
    }
    consume();
    return columns;
  }

  /** Reads an unqualified column name; DuckDB refuses qualified names where columns are set. */
  String columnName(String expectation) {
    Token column = cursor.peek();
    String name = name(expectation);
    if (cursor.peekPunctuation('.')) {
      throw new SqlSyntaxException(
          column.start(),
          String.format(
              "Qualified column name at character %d is not supported by DuckDB here; write the"
                  + " bare column name %s",
              column.start(), column.text()));
    }
    return name;
  }

  /** Reads a quoted name or an unquoted one that is not a reserved word. */
  String name(String expectation) {
    if (!isPlainName(cursor.peek())) {
      throw cursor.expected(expectation);
    }
    return cursor.tokens().get(consume()).value();
  }

  /**
   * Skips an expression or list up to the next top-level token for which {@code isEnd} holds,
   * failing with {@code expectation} when there is nothing before it; returns where it started.
   */
  int skipNonEmpty(IntPredicate isEnd, String expectation) {
    int start = cursor.skipUntil(isEnd);
    if (cursor.position() == start) {
      throw cursor.expected(expectation);
    }
    return start;
  }

  /** Returns true when token {@code index} is one of {@code keywords} starting a clause. */
  boolean isClause(int index, String... keywords) {
    Token token = cursor.tokens().get(index);
    for (String keyword : keywords) {
      // "a IS DISTINCT FROM b" is an expression, not a FROM clause
      if (token.isKeyword(keyword)
          && !(index > 0 && cursor.tokens().get(index - 1).isKeyword("DISTINCT"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPlainName(Token token) {
    return token != null
        && (token.kind() == Token.Kind.QUOTED_IDENTIFIER
            || (token.kind() == Token.Kind.IDENTIFIER
                && !RESERVED.contains(token.text().toUpperCase(Locale.ROOT))));
  }
}
