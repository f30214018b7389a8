package io.icecap.txn.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A position in a list of tokens whose brackets are known to balance, with the helpers a
 * recursive-descent reader needs: keyword tests, expectation errors and skipping over bracketed
 * groups.
 */
final class TokenCursor {
  private final List<Token> tokens;
  private final int[] partner;
  private int position;

  private TokenCursor(List<Token> tokens, int[] partner) {
    this.tokens = tokens;
    this.partner = partner;
  }

  /**
   * Returns a cursor at the first of {@code tokens}.
   *
   * @throws SqlSyntaxException when parentheses, brackets or braces do not balance
   */
  static TokenCursor over(List<Token> tokens) {
    int[] partner = new int[tokens.size()];
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < tokens.size(); i++) {
      partner[i] = -1;
      Token token = tokens.get(i);
      if (isOpening(token)) {
        open.push(i);
      } else if (isClosing(token)) {
        if (open.isEmpty()) {
          throw new SqlSyntaxException(
              token.start(),
              String.format(
                  "Unbalanced %s: '%s' at character %d has no matching '%s'; remove it or add"
                      + " the opening one",
                  bracketWord(token), token.text(), token.start(), opening(token.text())));
        }
        int opener = open.pop();
        Token openToken = tokens.get(opener);
        if (!opening(token.text()).equals(openToken.text())) {
          throw new SqlSyntaxException(
              token.start(),
              String.format(
                  "Unbalanced brackets: '%s' at character %d does not close the '%s' opened at"
                      + " character %d",
                  token.text(), token.start(), openToken.text(), openToken.start()));
        }
        partner[opener] = i;
        partner[i] = opener;
      }
    }
    if (!open.isEmpty()) {
      Token unclosed = tokens.get(open.peek());
      throw new SqlSyntaxException(
          unclosed.start(),
          String.format(
              "Unbalanced %s: '%s' at character %d is never closed; add the missing '%s'",
              bracketWord(unclosed), unclosed.text(), unclosed.start(), closing(unclosed.text())));
    }
    return new TokenCursor(tokens, partner);
  }

  List<Token> tokens() {
    return tokens;
  }

  int position() {
    return position;
  }

  boolean atEnd() {
    return position >= tokens.size();
  }

  /** Returns the token {@code ahead} places after the current one, or null past the end. */
  Token peek(int ahead) {
    int index = position + ahead;
    return index < tokens.size() ? tokens.get(index) : null;
  }

  Token peek() {
    return peek(0);
  }

  boolean peekKeyword(String keyword) {
    return !atEnd() && tokens.get(position).isKeyword(keyword);
  }

  boolean peekPunctuation(char mark) {
    return !atEnd() && tokens.get(position).isPunctuation(mark);
  }

  Token advance() {
    return tokens.get(position++);
  }

  Token expectKeyword(String keyword, String context) {
    if (!peekKeyword(keyword)) {
      throw expected(keyword + " " + context);
    }
    return advance();
  }

  /** Returns the index of the bracket matching the one at {@code index}, or -1. */
  int partner(int index) {
    return partner[index];
  }

  /**
   * Moves forward, jumping over bracketed groups, until the token at the current position satisfies
   * {@code stop} or the end is reached; returns the position where the move started.
   */
  int skipUntil(IntPredicate stop) {
    int start = position;
    while (position < tokens.size() && !stop.test(position)) {
      position = partner[position] > position ? partner[position] + 1 : position + 1;
    }
    return start;
  }

  /** Returns the span from the start of token {@code from} to the end of token {@code to - 1}. */
  Span span(int from, int to) {
    return new Span(tokens.get(from).start(), tokens.get(to - 1).end());
  }

  /** Returns an error saying that {@code what} was expected at the current position. */
  SqlSyntaxException expected(String what) {
    if (atEnd()) {
      int end = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
      return new SqlSyntaxException(
          end, String.format("Expected %s at character %d, but the statement ends", what, end));
    }
    Token found = peek();
    return new SqlSyntaxException(
        found.start(),
        String.format(
            "Expected %s at character %d, found %s", what, found.start(), describe(found)));
  }

  /** Describes a token for an error message: names and strings as written, others quoted. */
  static String describe(Token token) {
    String text = token.text().length() > 40 ? token.text().substring(0, 37) + "..." : token.text();
    return switch (token.kind()) {
      case IDENTIFIER, QUOTED_IDENTIFIER, STRING -> text;
      default -> "'" + text + "'";
    };
  }

  static boolean isOpening(Token token) {
    return token.isPunctuation('(') || token.isPunctuation('[') || token.isPunctuation('{');
  }

  private static boolean isClosing(Token token) {
    return token.isPunctuation(')') || token.isPunctuation(']') || token.isPunctuation('}');
  }

  private static String opening(String closing) {
    return switch (closing) {
      case ")" -> "(";
      case "]" -> "[";
      default -> "{";
    };
  }

  private static String closing(String opening) {
    return switch (opening) {
      case "(" -> ")";
      case "[" -> "]";
      default -> "}";
    };
  }

  private static String bracketWord(Token token) {
    return switch (token.text()) {
      case "(", ")" -> "parentheses";
      case "[", "]" -> "brackets";
      default -> "braces";
    };
  }
}
