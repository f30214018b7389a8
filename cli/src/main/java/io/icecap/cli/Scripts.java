package io.icecap.cli;

import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import java.util.ArrayList;
import java.util.List;

/** SQL text split into statements at semicolons outside strings, quoted names and comments. */
final class Scripts {
  private Scripts() {}

  /**
   * The complete statements of a text and what follows the last semicolon.
   *
   * @param statements the statements ended by a semicolon, without it; empty ones left out
   * @param rest the text after the last semicolon: an unfinished statement, or blank
   */
  record Split(List<String> statements, String rest) {
    boolean restIsBlank() {
      return isBlank(rest);
    }
  }

  /**
   * Splits a text. Text whose quotes or comments are not closed yet is all {@code rest}: more lines
   * may close them.
   */
  static Split split(String text) {
    List<Token> tokens;
    try {
      tokens = SqlLexer.tokenize(text);
    } catch (SqlSyntaxException e) {
      return new Split(List.of(), text);
    }
    List<String> statements = new ArrayList<>();
    int start = 0;
    for (Token token : tokens) {
      if (token.isPunctuation(';')) {
        String statement = text.substring(start, token.start());
        if (!isBlank(statement)) {
          statements.add(statement.strip());
        }
        start = token.end();
      }
    }
    return new Split(statements, text.substring(start));
  }

  /** Whether a text holds nothing but spaces and comments. */
  static boolean isBlank(String text) {
    try {
      return SqlLexer.tokenize(text).isEmpty();
    } catch (SqlSyntaxException e) {
      return false;
    }
  }
}
