package io.icecap.txn.record;

import java.util.Set;

/**
 * A logged parameter value: a constant of one type, written as the SQL literal that submit makes of
 * a bound Java value. Workers accept a parameter only in that exact form, so that what a record
 * carries as a parameter is a value and never an expression.
 *
 * <p>The forms: {@code NULL}, {@code true}, {@code false}, {@code CAST(<integer> AS
 * SMALLINT|INTEGER|BIGINT)}, {@code CAST('<text>' AS HUGEINT|FLOAT|DOUBLE|UUID|DECIMAL(p, s))},
 * {@code '<text>'} (a string), {@code DATE|TIME|TIMESTAMP|TIMESTAMPTZ '<text>'} and {@code
 * '<text>'::BLOB}, where {@code <text>} doubles its quotes and holds no NUL character.
 *
 * @param type the SQL type, {@code VARCHAR} for a plain string, {@code NULL} for NULL
 * @param value the value as text (without quotes), null for NULL
 */
public record TypedLiteral(String type, String value) {
  private static final Set<String> SMALL_INTEGERS = Set.of("SMALLINT", "INTEGER", "BIGINT");
  private static final Set<String> QUOTED_CASTS = Set.of("HUGEINT", "FLOAT", "DOUBLE", "UUID");
  private static final Set<String> PREFIXED = Set.of("DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ");

  /** The NULL literal. */
  public static final TypedLiteral NULL = new TypedLiteral("NULL", null);

  /**
   * Reads a logged parameter.
   *
   * @throws IllegalArgumentException when the text is not one of the literal forms
   */
  public static TypedLiteral parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a parameter is null, not a literal");
    }
    switch (text) {
      case "NULL":
        return NULL;
      case "true":
      case "false":
        return new TypedLiteral("BOOLEAN", text);
      default:
        break;
    }
    if (text.startsWith("CAST(") && text.endsWith(")")) {
      int as = text.lastIndexOf(" AS ");
      if (as > 5) {
        String type = text.substring(as + 4, text.length() - 1);
        String inner = text.substring(5, as);
        if (SMALL_INTEGERS.contains(type) && isInteger(inner)) {
          return new TypedLiteral(type, inner);
        }
        if ((QUOTED_CASTS.contains(type) || isDecimal(type)) && isQuoted(inner)) {
          return new TypedLiteral(type, unquote(inner));
        }
      }
    } else if (text.endsWith("'::BLOB")) {
      String inner = text.substring(0, text.length() - "::BLOB".length());
      if (isQuoted(inner)) {
        return new TypedLiteral("BLOB", unquote(inner));
      }
    } else if (isQuoted(text)) {
      return new TypedLiteral("VARCHAR", unquote(text));
    } else {
      int space = text.indexOf(' ');
      if (space > 0
          && PREFIXED.contains(text.substring(0, space))
          && isQuoted(text.substring(space + 1))) {
        return new TypedLiteral(text.substring(0, space), unquote(text.substring(space + 1)));
      }
    }
    throw new IllegalArgumentException(
        "a parameter must be a typed constant as submit writes it, got "
            + (text.length() > 60 ? text.substring(0, 60) + "…" : text));
  }

  /** Whether the text is a canonical logged parameter. */
  public static boolean isLiteral(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isInteger(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() <= start || text.length() > 20) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDecimal(String type) {
    if (!type.startsWith("DECIMAL(") || !type.endsWith(")")) {
      return false;
    }
    String[] parts = type.substring(8, type.length() - 1).split(", ", -1);
    if (parts.length != 2 || !isInteger(parts[0]) || !isInteger(parts[1])) {
      return false;
    }
    if (parts[0].startsWith("-") || parts[1].startsWith("-")) {
      return false;
    }
    int precision = Integer.parseInt(parts[0]);
    int scale = Integer.parseInt(parts[1]);
    return precision >= 1 && precision <= 38 && scale <= precision;
  }

  /** Whether the text is one SQL string literal: quoted, inner quotes doubled, no NUL. */
  private static boolean isQuoted(String text) {
    if (text.length() < 2 || text.charAt(0) != '\'' || text.charAt(text.length() - 1) != '\'') {
      return false;
    }
    for (int i = 1; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return false;
      }
      if (c == '\'') {
        if (i + 1 >= text.length() - 1 || text.charAt(i + 1) != '\'') {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static String unquote(String quoted) {
    return quoted.substring(1, quoted.length() - 1).replace("''", "'");
  }
}
