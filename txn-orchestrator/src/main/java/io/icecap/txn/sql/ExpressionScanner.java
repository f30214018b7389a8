package io.icecap.txn.sql;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Finds function calls, niladic keyword functions, nested queries and parameters in the tokens of a
 * statement, skipping the tokens that form the statement's own skeleton.
 */
final class ExpressionScanner {
  /**
   * Keywords that may be followed by a parenthesis without being a function. FILTER and OVER after
   * an aggregate need no entry (a name right after ')' is never a call), and must not have one:
   * filter(list, lambda) is a function.
   */
  private static final Set<String> NOT_FUNCTIONS =
      Set.of(
          ("ALL AND ANY ARRAY AS BETWEEN BY CASE CONFLICT DISTINCT DO ELSE END ESCAPE EXCEPT EXISTS"
                  + " FROM GROUP HAVING ILIKE IN INTERSECT INTO IS JOIN LATERAL LIKE"
                  + " LIMIT MATERIALIZED NOT OFFSET ON OR OVER PIVOT QUALIFY RECURSIVE RETURNING"
                  + " SELECT SET SETS SIMILAR SOME TABLE TABLESAMPLE THEN TO UNION UNPIVOT USING"
                  + " VALUES WHEN WHERE WINDOW WITH")
              .split(" "));

  /** Star modifiers: {@code * EXCLUDE (a)} is not a call, {@code replace(s, a, b)} is. */
  private static final Set<String> STAR_MODIFIERS = Set.of("EXCLUDE", "REPLACE", "RENAME");

  private static final Set<String> NILADIC =
      Set.of(
          ("current_date current_time current_timestamp localtime localtimestamp current_user"
                  + " session_user user current_role current_catalog current_schema")
              .split(" "));

  record Result(List<FunctionCall> functionCalls, boolean hasSubquery) {
    Result {
      functionCalls = List.copyOf(functionCalls);
    }
  }

  private ExpressionScanner() {}

  /**
   * Scans every token not in {@code structural}. Tokens in {@code sourceTopLevel} (the top level of
   * an INSERT's own query) are searched for calls but do not count as nested queries.
   */
  static Result scan(TokenCursor cursor, BitSet structural, BitSet sourceTopLevel) {
    List<Token> tokens = cursor.tokens();
    List<FunctionCall> calls = new ArrayList<>();
    boolean hasSubquery = false;
    for (int i = 0; i < tokens.size(); i++) {
      if (structural.get(i)) {
        continue;
      }
      Token token = tokens.get(i);
      // token 0 (INSERT, UPDATE or DELETE) is structural, so i > 0 here
      Token previous = tokens.get(i - 1);
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      if (!sourceTopLevel.get(i) && isSubqueryMarker(token, previous)) {
        hasSubquery = true;
      }
      if (!token.isName()) {
        continue;
      }
      if (next != null && next.isPunctuation('(')) {
        if (isCall(token, previous) && !namesCommonTableExpression(tokens, cursor.partner(i + 1))) {
          calls.add(call(cursor, i));
        }
      } else if (isNiladic(token, previous, next)) {
        calls.add(new FunctionCall(List.of(token.text()), token.span(), true, true));
      }
    }
    return new Result(calls, hasSubquery);
  }

  private static boolean isSubqueryMarker(Token token, Token previous) {
    if (token.isKeyword("SELECT") || token.isKeyword("EXISTS")) {
      return true;
    }
    boolean opensQuery =
        token.isKeyword("WITH") || token.isKeyword("FROM") || token.isKeyword("TABLE");
    return opensQuery && previous.isPunctuation('(');
  }

  private static boolean isCall(Token name, Token previous) {
    boolean qualified = previous.isPunctuation('.');
    String upper = name.text().toUpperCase(Locale.ROOT);
    if (name.kind() == Token.Kind.IDENTIFIER && !qualified && NOT_FUNCTIONS.contains(upper)) {
      return false;
    }
    if (name.kind() == Token.Kind.IDENTIFIER
        && STAR_MODIFIERS.contains(upper)
        && previous.isOperator("*")) {
      return false;
    }
    // a type with modifiers (x::DECIMAL(10, 2), CAST(x AS VARCHAR(10))) or a table alias with
    // column names (FROM (VALUES (1)) v(a), FROM "t" x(a)) is not a call
    return !previous.isOperator("::")
        && !previous.isKeyword("AS")
        && !previous.isPunctuation(')')
        && previous.kind() != Token.Kind.QUOTED_IDENTIFIER;
  }

  /**
   * Returns true for {@code name(columns) AS (...)} in a WITH clause; {@code close} indexes ")".
   */
  private static boolean namesCommonTableExpression(List<Token> tokens, int close) {
    if (close + 2 >= tokens.size() || !tokens.get(close + 1).isKeyword("AS")) {
      return false;
    }
    Token afterAs = tokens.get(close + 2);
    return afterAs.isPunctuation('(')
        || afterAs.isKeyword("MATERIALIZED")
        || afterAs.isKeyword("NOT");
  }

  private static FunctionCall call(TokenCursor cursor, int nameIndex) {
    List<Token> tokens = cursor.tokens();
    int first = nameIndex;
    while (first >= 2
        && tokens.get(first - 1).isPunctuation('.')
        && tokens.get(first - 2).isName()) {
      first -= 2;
    }
    List<String> name = new ArrayList<>();
    for (int i = first; i <= nameIndex; i += 2) {
      name.add(tokens.get(i).value());
    }
    int close = cursor.partner(nameIndex + 1);
    Span span = new Span(tokens.get(first).start(), tokens.get(close).end());
    return new FunctionCall(name, span, false, close == nameIndex + 2);
  }

  private static boolean isNiladic(Token token, Token previous, Token next) {
    if (token.kind() != Token.Kind.IDENTIFIER
        || !NILADIC.contains(token.text().toLowerCase(Locale.ROOT))) {
      return false;
    }
    boolean afterQualifier =
        previous.isPunctuation('.') || previous.isOperator("::") || previous.isKeyword("AS");
    return !afterQualifier && (next == null || !next.isPunctuation('.'));
  }

  /**
   * Returns the parameters among {@code tokens}, in order.
   *
   * @throws UnsupportedStatementException for a named parameter, a parameter numbered 0, or a mix
   *     of positional {@code ?} and numbered parameters
   */
  static List<Parameter> parameters(List<Token> tokens) {
    List<Parameter> parameters = new ArrayList<>();
    Token positional = null;
    Token numbered = null;
    for (Token token : tokens) {
      if (token.kind() != Token.Kind.PARAMETER) {
        continue;
      }
      String text = token.text();
      if (text.equals("?")) {
        positional = positional == null ? token : positional;
        parameters.add(new Parameter(token.span(), OptionalInt.empty()));
      } else if (SqlLexer.isDigit(text.charAt(1))) {
        numbered = numbered == null ? token : numbered;
        parameters.add(new Parameter(token.span(), OptionalInt.of(number(token))));
      } else {
        throw new UnsupportedStatementException(
            token.start(),
            String.format(
                "Named parameter %s at character %d is not supported; use ? or $1, $2, ... and"
                    + " pass the values in order",
                text, token.start()));
      }
    }
    if (positional != null && numbered != null) {
      Token later = positional.start() > numbered.start() ? positional : numbered;
      throw new UnsupportedStatementException(
          later.start(),
          String.format(
              "Cannot mix positional and numbered parameters: ? at character %d and %s at"
                  + " character %d; use one style throughout the statement",
              positional.start(), numbered.text(), numbered.start()));
    }
    return parameters;
  }

  private static int number(Token token) {
    String digits = token.text().substring(1);
    int number;
    try {
      number = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < 1) {
      throw new UnsupportedStatementException(
          token.start(),
          String.format(
              "Parameter %s at character %d is out of range; numbered parameters run from %s1",
              token.text(), token.start(), token.text().charAt(0)));
    }
    return number;
  }
}
