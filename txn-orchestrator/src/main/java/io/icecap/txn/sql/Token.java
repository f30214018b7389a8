package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

/**
 * One lexical token of DuckDB SQL text.
 *
 * @param kind what sort of token this is
 * @param text the token exactly as written, {@code sql.substring(start, end)}
 * @param start 0-based offset of the first character
 * @param end 0-based offset just past the last character
 * @param value the meaning of the token: the name of a quoted identifier without quotes and with
 *     doubled quotes collapsed, the decoded contents of a string literal (without its {@code E},
 *     {@code X}, {@code B} or {@code N} prefix), a number without digit separators; otherwise equal
 *     to {@code text}
 */
public record Token(Kind kind, String text, int start, int end, String value) {
  /** The sorts of token the lexer produces. */
  public enum Kind {
    /** An unquoted name. Keywords are identifiers too: compare them with {@link #isKeyword}. */
    IDENTIFIER,
    /** A double-quoted name such as {@code "Weird Col"}. */
    QUOTED_IDENTIFIER,
    /** A string literal: {@code '...'}, {@code E'...'}, {@code X'...'}, {@code $tag$...$tag$}. */
    STRING,
    /** A numeric literal such as {@code 42}, {@code 1_000}, {@code .5} or {@code 1e-3}. */
    NUMBER,
    /** A parameter placeholder: {@code ?}, {@code ?1}, {@code $1} or {@code $name}. */
    PARAMETER,
    /**
     * An operator such as {@code =}, {@code <>}, {@code ||}, {@code ::}, {@code ->} or {@code ..}.
     */
    OPERATOR,
    /** One of {@code ( ) [ ] { } , . ; : #}. */
    PUNCTUATION
  }

  public Token {
    requireNonNull(kind, "kind is null");
    requireNonNull(text, "text is null");
    requireNonNull(value, "value is null");
    if (start < 0 || end < start || end - start != text.length()) {
      throw new IllegalArgumentException(
          String.format("Token '%s' has inconsistent offsets [%d, %d)", text, start, end));
    }
  }

  /** Returns true when this is an unquoted identifier equal to {@code keyword}, ignoring case. */
  public boolean isKeyword(String keyword) {
    return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
  }

  /** Returns true when this is the punctuation character {@code mark}. */
  public boolean isPunctuation(char mark) {
    return kind == Kind.PUNCTUATION && text.length() == 1 && text.charAt(0) == mark;
  }

  /** Returns true when this is the operator {@code operator}. */
  public boolean isOperator(String operator) {
    return kind == Kind.OPERATOR && text.equals(operator);
  }

  /** Returns true for quoted and unquoted identifiers. */
  public boolean isName() {
    return kind == Kind.IDENTIFIER || kind == Kind.QUOTED_IDENTIFIER;
  }

  /** Returns the characters this token covers. */
  public Span span() {
    return new Span(start, end);
  }
}
