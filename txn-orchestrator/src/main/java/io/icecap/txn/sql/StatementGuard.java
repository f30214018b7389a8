package io.icecap.txn.sql;

import java.util.List;

/**
 * Refuses SQL text that is not exactly one INSERT, UPDATE or DELETE, before its structure is read.
 */
final class StatementGuard {
  private StatementGuard() {}

  /**
   * Returns the tokens of the one statement in {@code tokens}, without its trailing {@code ;}.
   *
   * @throws SqlSyntaxException when there is no statement
   * @throws UnsupportedStatementException when the text starts with anything but INSERT, UPDATE or
   *     DELETE, or holds more than one statement
   */
  static List<Token> singleWrite(String sql, List<Token> tokens) {
    if (tokens.isEmpty()) {
      String holds = sql.isBlank() ? "is blank" : "holds only comments";
      throw new SqlSyntaxException(
          0, "Empty statement: the SQL text " + holds + "; submit one INSERT, UPDATE or DELETE");
    }
    Token first = tokens.get(0);
    if (first.isPunctuation(';')) {
      throw new SqlSyntaxException(
          first.start(),
          String.format(
              "Empty statement before the ';' at character %d; submit one INSERT, UPDATE or"
                  + " DELETE",
              first.start()));
    }
    if (first.isKeyword("WITH")) {
      throw new UnsupportedStatementException(
          first.start(),
          String.format(
              "A WITH clause before the statement is not supported (found %s at character %d);"
                  + " move the common table expression into a subquery, or for an INSERT write"
                  + " it after the target: INSERT INTO t WITH ... SELECT ...",
              first.text(), first.start()));
    }
    if (!first.isKeyword("INSERT") && !first.isKeyword("UPDATE") && !first.isKeyword("DELETE")) {
      throw new UnsupportedStatementException(
          first.start(),
          String.format(
              "Only INSERT, UPDATE and DELETE can be submitted as writes; found %s at character %d",
              TokenCursor.describe(first), first.start()));
    }
    for (int i = 0; i < tokens.size() - 1; i++) {
      Token semicolon = tokens.get(i);
      if (semicolon.isPunctuation(';')) {
        Token next = tokens.get(i + 1);
        if (next.isPunctuation(';')) {
          throw new SqlSyntaxException(
              next.start(),
              String.format(
                  "Empty statement between the ';' at character %d and the ';' at character %d;"
                      + " remove the extra ';'",
                  semicolon.start(), next.start()));
        }
        throw new UnsupportedStatementException(
            next.start(),
            String.format(
                "Found more than one statement: another one starts at character %d after the ';'"
                    + " at character %d; submit each write on its own",
                next.start(), semicolon.start()));
      }
    }
    Token last = tokens.get(tokens.size() - 1);
    return last.isPunctuation(';') ? tokens.subList(0, tokens.size() - 1) : tokens;
  }
}
