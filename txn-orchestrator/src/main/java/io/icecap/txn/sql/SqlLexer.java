package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits DuckDB SQL text into {@link Token}s the way DuckDB's scanner does, skipping whitespace,
 * {@code --} line comments and nested {@code /* *}{@code /} block comments.
 *
 * <p>Quoted text is one token whatever it contains, so {@code ?}, {@code --}, {@code ;} or {@code
 * /*} inside a string or quoted identifier are never parameters, comments or separators.
 */
public final class SqlLexer {
  private static final String OPERATOR_CHARS = "~!@^&|`+-*/%<>=";
  // a multi-character operator may end in + or - only if it holds one of these
  private static final String OPERATOR_MARKERS = "~!@^&|`%";
  private static final String PUNCTUATION = "()[]{},.;#";

  private final String sql;
  private final List<Token> tokens = new ArrayList<>();
  private int position;

  private SqlLexer(String sql) {
    this.sql = sql;
  }

  /**
   * Returns the tokens of {@code sql} in order.
   *
   * @throws SqlSyntaxException for an unterminated string, quoted identifier or comment, an empty
   *     quoted identifier, or a character DuckDB cannot start a token with
   */
  public static List<Token> tokenize(String sql) {
    requireNonNull(sql, "sql is null");
    return new SqlLexer(sql).run();
  }

  private List<Token> run() {
    while (true) {
      skipWhitespaceAndComments();
      if (position >= sql.length()) {
        return List.copyOf(tokens);
      }
      Token token = next();
      tokens.add(token);
      position = token.end();
    }
  }

  private void skipWhitespaceAndComments() {
    while (position < sql.length()) {
      char c = sql.charAt(position);
      if (isWhitespace(c)) {
        position++;
      } else if (c == '-' && charAt(position + 1) == '-') {
        position = endOfLineComment(sql, position);
      } else if (c == '/' && charAt(position + 1) == '*') {
        position = endOfBlockComment(position);
      } else {
        return;
      }
    }
  }

  private int endOfBlockComment(int start) {
    int depth = 0;
    int i = start;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw new SqlSyntaxException(
        start,
        String.format(
            "Unterminated /* comment starting at character %d: close it with */ (comments nest,"
                + " so every /* inside needs its own */)",
            start));
  }

  private Token next() {
    char c = sql.charAt(position);
    char following = charAt(position + 1);
    if (c == '\'') {
      return QuotedText.string(sql, position, position);
    }
    if ("eExXbBnN".indexOf(c) >= 0 && following == '\'') {
      return QuotedText.string(sql, position, position + 1);
    }
    if (c == '"') {
      return QuotedText.quotedIdentifier(sql, position);
    }
    if (c == '$') {
      return dollar();
    }
    if (c == '?') {
      int end = skipDigits(position + 1);
      return token(Token.Kind.PARAMETER, end, sql.substring(position, end));
    }
    if (isDigit(c) || (c == '.' && isDigit(following))) {
      return number();
    }
    if (isIdentifierStart(c)) {
      int end = position + 1;
      while (end < sql.length() && isIdentifierPart(sql.charAt(end))) {
        end++;
      }
      return token(Token.Kind.IDENTIFIER, end, sql.substring(position, end));
    }
    if (c == ':') {
      boolean twoChars = following == ':' || following == '=';
      Token.Kind kind = twoChars ? Token.Kind.OPERATOR : Token.Kind.PUNCTUATION;
      int end = position + (twoChars ? 2 : 1);
      return token(kind, end, sql.substring(position, end));
    }
    if (c == '.' && following == '.') {
      return token(Token.Kind.OPERATOR, position + 2, "..");
    }
    if (PUNCTUATION.indexOf(c) >= 0) {
      return token(Token.Kind.PUNCTUATION, position + 1, String.valueOf(c));
    }
    if (OPERATOR_CHARS.indexOf(c) >= 0) {
      return operator();
    }
    throw new SqlSyntaxException(
        position,
        String.format(
            "Unexpected character '%s' (U+%04X) at character %d: DuckDB cannot read it outside a"
                + " quoted string or identifier; remove it or quote it",
            c, (int) c, position));
  }

  private Token dollar() {
    char following = charAt(position + 1);
    if (isDigit(following)) {
      int end = skipDigits(position + 1);
      return token(Token.Kind.PARAMETER, end, sql.substring(position, end));
    }
    if (following == '$') {
      return QuotedText.dollarString(sql, position, "$$");
    }
    if (isIdentifierStart(following)) {
      int end = position + 1;
      while (end < sql.length() && sql.charAt(end) != '$' && isIdentifierPart(sql.charAt(end))) {
        end++;
      }
      if (charAt(end) == '$') {
        return QuotedText.dollarString(sql, position, sql.substring(position, end + 1));
      }
      return token(Token.Kind.PARAMETER, end, sql.substring(position, end));
    }
    throw new SqlSyntaxException(
        position,
        String.format(
            "Unexpected '$' at character %d: write $1 for a numbered parameter or $$...$$ for a"
                + " dollar-quoted string",
            position));
  }

  private Token number() {
    int end = skipDigits(position);
    if (charAt(end) == '.' && charAt(end + 1) != '.') {
      end = skipDigits(end + 1);
    }
    if (charAt(end) == 'e' || charAt(end) == 'E') {
      int exponent = end + 1;
      if (charAt(exponent) == '+' || charAt(exponent) == '-') {
        exponent++;
      }
      if (isDigit(charAt(exponent))) {
        end = skipDigits(exponent);
      }
    }
    String text = sql.substring(position, end);
    return token(Token.Kind.NUMBER, end, text.replace("_", ""));
  }

  /** Skips digits, allowing single underscores between digits as DuckDB does ({@code 1_000}). */
  private int skipDigits(int from) {
    int i = from;
    while (isDigit(charAt(i))
        || (charAt(i) == '_' && i > from && isDigit(charAt(i - 1)) && isDigit(charAt(i + 1)))) {
      i++;
    }
    return i;
  }

  private Token operator() {
    int end = position;
    while (end < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(end)) >= 0) {
      end++;
    }
    String text = sql.substring(position, end);
    int comment = firstCommentStart(text);
    if (comment > 0) {
      text = text.substring(0, comment);
    }
    // SQL reads "=-1" as "=" followed by "-1", but keeps operators like "@-" whole
    while (text.length() > 1 && (text.endsWith("+") || text.endsWith("-"))) {
      if (containsAny(text.substring(0, text.length() - 1), OPERATOR_MARKERS)) {
        break;
      }
      text = text.substring(0, text.length() - 1);
    }
    return token(Token.Kind.OPERATOR, position + text.length(), text);
  }

  private static int firstCommentStart(String operator) {
    int block = operator.indexOf("/*");
    int line = operator.indexOf("--");
    if (block < 0) {
      return line;
    }
    return line < 0 ? block : Math.min(block, line);
  }

  private Token token(Token.Kind kind, int end, String value) {
    return new Token(kind, sql.substring(position, end), position, end, value);
  }

  private char charAt(int index) {
    return index < sql.length() ? sql.charAt(index) : '\0';
  }

  static int endOfLineComment(String sql, int start) {
    int i = start;
    while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // like DuckDB, any non-ASCII character may appear in an unquoted name
  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }

  private static boolean containsAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
