package io.icecap.txn.sql;

/** Reads the quoted tokens of DuckDB SQL: string literals and quoted identifiers. */
final class QuotedText {
  private QuotedText() {}

  /**
   * Reads a string literal whose opening quote is at {@code quote}; {@code start} is the prefix
   * letter ({@code E}, {@code X}, {@code B}, {@code N}) or the quote itself. Like DuckDB, literals
   * separated only by whitespace that holds a line break are one literal ({@code 'a'\n'b'} is
   * {@code 'ab'}).
   */
  static Token string(String sql, int start, int quote) {
    boolean escapes = quote > start && Character.toUpperCase(sql.charAt(start)) == 'E';
    StringBuilder value = new StringBuilder();
    int i = quote + 1;
    while (true) {
      if (i >= sql.length()) {
        throw unterminated(start, "string literal", "'", " (write '' for a quote inside the text)");
      }
      char c = sql.charAt(i);
      if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        int continuation = continuationQuote(sql, i + 1);
        if (continuation < 0) {
          return new Token(
              Token.Kind.STRING, sql.substring(start, i + 1), start, i + 1, value.toString());
        }
        i = continuation + 1;
      } else if (c == '\\' && escapes) {
        i = unescape(sql, i, value);
      } else {
        value.append(c);
        i++;
      }
    }
  }

  /** Reads a dollar-quoted string that opens with {@code delimiter} at {@code start}. */
  static Token dollarString(String sql, int start, String delimiter) {
    int bodyStart = start + delimiter.length();
    int close = sql.indexOf(delimiter, bodyStart);
    if (close < 0) {
      throw unterminated(start, "dollar-quoted string", delimiter, "");
    }
    int end = close + delimiter.length();
    return new Token(
        Token.Kind.STRING, sql.substring(start, end), start, end, sql.substring(bodyStart, close));
  }

  /** Reads a double-quoted identifier starting at {@code start}. */
  static Token quotedIdentifier(String sql, int start) {
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= sql.length()) {
        throw unterminated(
            start, "quoted identifier", "\"", " (write \"\" for a quote inside the name)");
      }
      char c = sql.charAt(i);
      if (c != '"') {
        value.append(c);
        i++;
      } else if (i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
        value.append('"');
        i += 2;
      } else if (value.length() == 0) {
        throw new SqlSyntaxException(
            start,
            String.format(
                "Empty quoted identifier \"\" at character %d: DuckDB names need at least one"
                    + " character",
                start));
      } else {
        return new Token(
            Token.Kind.QUOTED_IDENTIFIER,
            sql.substring(start, i + 1),
            start,
            i + 1,
            value.toString());
      }
    }
  }

  /**
   * Returns the index of the quote that continues a literal closed just before {@code from}, or -1.
   * Only whitespace and {@code --} comments may lie between, and they must hold a line break.
   */
  private static int continuationQuote(String sql, int from) {
    boolean lineBreak = false;
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\n' || c == '\r') {
        lineBreak = true;
        i++;
      } else if (SqlLexer.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        i = SqlLexer.endOfLineComment(sql, i);
      } else {
        return lineBreak && c == '\'' ? i : -1;
      }
    }
    return -1;
  }

  /**
   * Decodes the backslash escape at {@code backslash} of an E'' string and returns the next index.
   */
  private static int unescape(String sql, int backslash, StringBuilder value) {
    int i = backslash + 1;
    if (i >= sql.length()) {
      return i;
    }
    char c = sql.charAt(i);
    switch (c) {
      case 'b' -> value.append('\b');
      case 'f' -> value.append('\f');
      case 'n' -> value.append('\n');
      case 'r' -> value.append('\r');
      case 't' -> value.append('\t');
      case 'x' -> {
        int end = digitsEnd(sql, i + 1, 2, 16);
        if (end == i + 1) {
          value.append('x');
        } else {
          value.append((char) Integer.parseInt(sql.substring(i + 1, end), 16));
        }
        return end;
      }
      default -> {
        if (c >= '0' && c <= '7') {
          int end = digitsEnd(sql, i, 3, 8);
          value.append((char) Integer.parseInt(sql.substring(i, end), 8));
          return end;
        }
        value.append(c);
      }
    }
    return i + 1;
  }

  private static int digitsEnd(String sql, int from, int max, int radix) {
    int i = from;
    while (i < sql.length() && i - from < max && Character.digit(sql.charAt(i), radix) >= 0) {
      i++;
    }
    return i;
  }

  private static SqlSyntaxException unterminated(
      int start, String what, String close, String hint) {
    return new SqlSyntaxException(
        start,
        String.format(
            "Unterminated %s starting at character %d: close it with %s%s",
            what, start, close, hint));
  }
}
