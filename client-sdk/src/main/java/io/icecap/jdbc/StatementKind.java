package io.icecap.jdbc;

import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import java.util.List;

/** What a statement's first word makes it, which decides how a JDBC statement runs it. */
enum StatementKind {
  /** Returns rows: SELECT, WITH, FROM, VALUES, TABLE, or a parenthesized query. */
  QUERY,
  /** INSERT, UPDATE or DELETE, through the table's log. */
  WRITE,
  /** BEGIN, COMMIT, ROLLBACK and their synonyms. */
  CONTROL,
  /** Anything else: DDL, or a statement the session refuses with its own error. */
  OTHER;

  private static final List<String> QUERY_WORDS =
      List.of("SELECT", "WITH", "FROM", "VALUES", "TABLE");
  private static final List<String> CONTROL_WORDS =
      List.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT");

  static StatementKind of(String sql) {
    if (sql == null) {
      return OTHER;
    }
    List<Token> tokens;
    try {
      tokens = SqlLexer.tokenize(sql);
    } catch (SqlSyntaxException e) {
      return OTHER;
    }
    if (tokens.isEmpty()) {
      return OTHER;
    }
    Token first = tokens.get(0);
    if (first.isPunctuation('(') || QUERY_WORDS.stream().anyMatch(first::isKeyword)) {
      return QUERY;
    }
    if (first.isKeyword("INSERT") || first.isKeyword("UPDATE") || first.isKeyword("DELETE")) {
      return WRITE;
    }
    return CONTROL_WORDS.stream().anyMatch(first::isKeyword) ? CONTROL : OTHER;
  }
}
